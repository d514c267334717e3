// The hosts of a fleet audit, however they were named: `--target ssh://...` or an inventory's hosts.
import type { HostFault } from '../lib/host-fault.js';
import type { Scalar } from '../policy/model.js';
import { type SshTarget, unsafeTarget } from '../transport/ssh/ssh.js';

export interface TargetHost {
  /** The name the user knows it by (the inventory name, or the target as given). */
  name: string;
  /** How to reach it; absent when the inventory's vars give no way there (`refused` says why) or it is `local`. */
  target?: SshTarget;
  /** The auditing machine itself (`ansible_connection=local`), read as `plumbline audit` reads it. */
  local?: { address: string; port: number; become: boolean; becomeUser?: string };
  refused?: HostFault;
  groups: string[];
  /** The inventory's vars for it, merged with Ansible's precedence. */
  vars: Record<string, unknown>;
}

/** Each host's name and why no audit reaches it, for a message. */
export function unreachedText(hosts: readonly TargetHost[]): string {
  return hosts.map((h) => `${h.name} (${h.refused ? `${h.refused.class}: ${h.refused.detail}` : 'no way there'})`).join('; ');
}

/** `ssh://[user@]host[:port]`, with an IPv6 address in brackets. */
export function parseSshUrl(text: string): TargetHost | { problem: string } {
  const bad = (why: string) => ({ problem: `--target ${JSON.stringify(text)}: ${why}; it takes ssh://[user@]host[:port]` });
  const m = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]*\]|[^:/@[\]]*)(?::([^/]*))?\/?$/.exec(text);
  if (!m) return bad(/^ssh:\/\//.test(text) ? 'not a host, an optional user and port, and nothing else' : 'not an ssh:// URL');
  const [, user, hostPart, port] = m;
  if (user?.includes(':')) return bad('a password has no place in it (use keys or your ssh agent)');
  const host = hostPart!.startsWith('[') ? hostPart!.slice(1, -1) : hostPart!;
  if (hostPart!.startsWith('[') && !host.includes(':')) return bad('brackets are for IPv6 addresses');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return bad(`the port ${JSON.stringify(port)} is not a number`);
  const target: SshTarget = { host, ...(user ? { user } : {}), ...(port ? { port: Number(port) } : {}) };
  const unsafe = host === '' ? 'no host' : unsafeTarget(target);
  if (unsafe) return bad(unsafe);
  return { name: text.replace(/^ssh:\/\//, '').replace(/\/$/, ''), target, groups: [], vars: {} };
}

/**
 * The policy vars of a host: `host.name`, `host.address`, `host.port`, `host.user`, `host.groups` (comma
 * separated) and `host.vars.X` for each inventory var (nested maps as `host.vars.X.Y`; lists as JSON text).
 */
export function hostVarsOf(h: TargetHost): Record<string, Scalar> {
  const out: Record<string, Scalar> = { 'host.name': h.name, 'host.groups': h.groups.join(',') };
  if (h.target) {
    out['host.address'] = h.target.host;
    out['host.port'] = h.target.port ?? 22;
    if (h.target.user !== undefined) out['host.user'] = h.target.user;
  } else if (h.local) {
    out['host.address'] = h.local.address;
    out['host.port'] = h.local.port;
  }
  const walk = (prefix: string, v: unknown): void => {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[prefix] = v;
    else if (Array.isArray(v)) out[prefix] = JSON.stringify(v);
    else if (typeof v === 'object') for (const [k, e] of Object.entries(v)) if (/^[A-Za-z0-9_]+$/.test(k)) walk(`${prefix}.${k}`, e);
  };
  for (const [k, v] of Object.entries(h.vars)) if (/^[A-Za-z0-9_]+$/.test(k)) walk(`host.vars.${k}`, v);
  return out;
}

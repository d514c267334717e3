// How to reach an inventory host over SSH, from its vars as Ansible's ssh connection reads them: the address
// from ansible_host (else the inventory name), port, user, key file, extra ssh arguments (split like Python's
// shlex, never by a shell), and privilege escalation; or that it is the auditing machine itself
// (`ansible_connection=local`). Where two names mean one thing, the later of Ansible's
// list wins as it does there: ansible_ssh_host over ansible_host, ansible_ssh_port over ansible_port,
// ansible_ssh_user over ansible_user, ansible_ssh_private_key_file over ansible_private_key_file.
import type { InventoryHost } from './model.js';
import { ShlexError, shlexSplit } from './shlex.js';

/** A host Ansible reaches without a connection (`ansible_connection=local`): the auditing machine itself. */
export interface LocalHost {
  local: true;
  /** What the host's vars call its address: ansible_host, or else the inventory name. */
  address: string;
  /** ansible_port where it is one, else ssh's: what `${host.port}` says of it, as of any host. */
  port: number;
  /** Read as root (ansible_become): only a run of plumbline as root can, as no sudo is run on this machine. */
  become: boolean;
  becomeUser?: string;
}

export interface SshTarget {
  /** The address to connect to: ansible_host, or else the inventory name. */
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** ansible_ssh_common_args, as words. */
  commonArgs: string[];
  /** ansible_ssh_extra_args, as words (Ansible gives both to ssh). */
  extraArgs: string[];
  become: boolean;
  becomeUser?: string;
}

/** Why a host has no usable SSH target: its address is empty, or a var is not what its use needs. */
export type SshTargetProblem =
  | { missing: 'address' }
  | {
      /** The var at fault, as the inventory names it. */
      invalid: string;
      value: unknown;
      /**
       * `template`: a Jinja expression plumbline does not evaluate; `dash`: would read as an ssh option;
       * `connection`: an Ansible connection that is not ssh or local; `become-method`: escalation but through sudo.
       */
      reason: 'template' | 'not-a-port' | 'not-text' | 'dash' | 'unsplittable' | 'connection' | 'become-method';
    };

const ALIASES = {
  host: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  identityFile: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
} as const;

// Ansible's connection plugins that log in with ssh (`smart` is ssh since Ansible 2.8; paramiko is another
// client of the same protocol, which OpenSSH's client stands in for), and the one that runs on the controller.
const SSH_CONNECTIONS = new Set([
  'ssh',
  'smart',
  'paramiko',
  'paramiko_ssh',
  'ansible.builtin.ssh',
  'ansible.builtin.paramiko_ssh',
  'ansible.legacy.ssh',
  'ansible.legacy.paramiko_ssh',
]);
const LOCAL_CONNECTIONS = new Set(['local', 'ansible.builtin.local', 'ansible.legacy.local']);
const SUDO_METHODS = new Set(['sudo', 'ansible.builtin.sudo']);

/** Python's BOOLEANS_TRUE, as Ansible reads a boolean option: anything else is false. */
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);

/** Thrown inside sshTargetOf only, to return the first problem found. */
class Problem {
  constructor(readonly problem: SshTargetProblem) {}
}

export function sshTargetOf(h: InventoryHost): SshTarget | LocalHost | SshTargetProblem {
  try {
    return target(h);
  } catch (e) {
    if (e instanceof Problem) return e.problem;
    throw e;
  }
}

function target(h: InventoryHost): SshTarget | LocalHost {
  /** The value of the last of `names` that is set, as text, or undefined. */
  const text = (names: readonly string[], optionLike: boolean): string | undefined => {
    const name = names.filter((n) => h.vars[n] !== undefined && h.vars[n] !== null).at(-1);
    if (name === undefined) return undefined;
    const v = h.vars[name];
    if (typeof v !== 'string' && typeof v !== 'number') throw new Problem({ invalid: name, value: v, reason: 'not-text' });
    const s = String(v);
    if (/\{\{|\{%/.test(s)) throw new Problem({ invalid: name, value: v, reason: 'template' });
    if (optionLike && s.startsWith('-')) throw new Problem({ invalid: name, value: v, reason: 'dash' });
    return s;
  };

  // Only the controller's own connection and ssh's are made: any other (winrm, docker, network_cli ...) is
  // refused by name, never tried as an ssh login to a name that means something else there.
  const connection = text(['ansible_connection'], false);
  if (connection !== undefined && !SSH_CONNECTIONS.has(connection) && !LOCAL_CONNECTIONS.has(connection))
    throw new Problem({ invalid: 'ansible_connection', value: h.vars.ansible_connection, reason: 'connection' });
  const become = isTrue(h.vars.ansible_become);
  if (connection !== undefined && LOCAL_CONNECTIONS.has(connection)) {
    // Ansible's local connection reads neither address nor port: what they say is only what the host's vars say.
    // No sudo runs on the auditing machine (whoever runs plumbline reads it), so no become method is used either.
    const said = (names: readonly string[]): string | undefined => {
      try {
        return text(names, false);
      } catch {
        return undefined;
      }
    };
    const port = Number(said(ALIASES.port)?.trim());
    // The user to become matters only to a host that becomes: then it must be plain, else it is not read.
    const becomeUser = become ? text(['ansible_become_user'], true) : said(['ansible_become_user']);
    return {
      local: true,
      address: said(ALIASES.host) || h.name,
      port: Number.isInteger(port) && port >= 1 && port <= 65535 ? port : 22,
      become,
      ...(becomeUser !== undefined ? { becomeUser } : {}),
    };
  }
  // The method matters only to a host that becomes.
  const method = become ? text(['ansible_become_method'], false) : undefined;
  if (method !== undefined && !SUDO_METHODS.has(method))
    throw new Problem({ invalid: 'ansible_become_method', value: h.vars.ansible_become_method, reason: 'become-method' });
  // Read whether or not this host becomes: `--become` makes every host become, as that user.
  const becomeUser = text(['ansible_become_user'], true);
  const host = text(ALIASES.host, true) ?? h.name;
  if (host.trim() === '') throw new Problem({ missing: 'address' });
  if (host.startsWith('-')) throw new Problem({ invalid: 'inventory_hostname', value: host, reason: 'dash' });
  const t: SshTarget = { host, commonArgs: [], extraArgs: [], become };

  const port = text(ALIASES.port, true);
  if (port !== undefined) {
    const n = /^\s*\d+\s*$/.test(port) ? Number(port) : Number.NaN;
    if (!(n >= 1 && n <= 65535)) {
      const name = ALIASES.port.filter((p) => h.vars[p] !== undefined && h.vars[p] !== null).at(-1)!;
      throw new Problem({ invalid: name, value: h.vars[name], reason: 'not-a-port' });
    }
    t.port = n;
  }
  const user = text(ALIASES.user, true);
  if (user !== undefined) t.user = user;
  const key = text(ALIASES.identityFile, false);
  if (key !== undefined) t.identityFile = key;
  if (becomeUser !== undefined) t.becomeUser = becomeUser;
  t.commonArgs = words(h, 'ansible_ssh_common_args');
  t.extraArgs = words(h, 'ansible_ssh_extra_args');
  return t;
}

/** A var of ssh arguments split into words as Ansible splits them (shlex, no comments). */
function words(h: InventoryHost, name: string): string[] {
  const v = h.vars[name];
  if (v === undefined || v === null) return [];
  if (typeof v !== 'string') throw new Problem({ invalid: name, value: v, reason: 'not-text' });
  if (/\{\{|\{%/.test(v)) throw new Problem({ invalid: name, value: v, reason: 'template' });
  try {
    return shlexSplit(v, { comments: false })
      .map((w) => w.trim())
      .filter((w) => w !== '');
  } catch (e) {
    if (!(e instanceof ShlexError)) throw e;
    throw new Problem({ invalid: name, value: v, reason: 'unsplittable' });
  }
}

function isTrue(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  return typeof v === 'string' && TRUE_WORDS.has(v.trim().toLowerCase());
}

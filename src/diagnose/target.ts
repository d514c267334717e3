// What `plumbline diagnose TARGET` is asked about: a host name, an IP address, host:port, [v6]:port or a URL,
// read into the host, the port and which upper layers (TLS, HTTP) the target implies. Pure; an unusable
// target is a reason in words for the command line, never a guess.
import { parseAddress } from '../lib/address.js';
import { hostKey, invalidHost, invalidPort, invalidUrl, refusedNetwork, urlHost, urlPort } from '../lib/targets.js';
import type { Reason } from '../evaluate/reasons.js';

/** Ports that carry HTTP by convention: a target given as host:port on one of them gets an HTTP layer. */
const HTTP_PORTS: readonly number[] = [80, 443, 8080];

export interface DiagnoseTarget {
  /** As given on the command line. */
  given: string;
  /** A name or an address, without brackets. */
  host: string;
  /** Set when the host is an IP address: DNS is skipped. */
  address?: string;
  family?: 4 | 6;
  /** Absent for a bare host: the lower layers only (link, neighbour, route, ICMP, DNS). */
  port?: number;
  tls: boolean;
  /** The URL an HTTP layer requests, when there is one. */
  url?: string;
}

export interface TargetChoices {
  /** --tls: the port speaks TLS though it is none of the usual ones. */
  tls?: boolean;
}

function fromHost(given: string, host: string, port: number | undefined, choices: TargetChoices): DiagnoseTarget | { why: string } {
  const bad = invalidHost(host);
  if (bad) return { why: bad };
  if (port !== undefined) {
    const badPort = invalidPort(port);
    if (badPort) return { why: `"${given}": ${badPort}` };
  }
  const a = parseAddress(host);
  // Listeners bind the wildcard; nothing can be connected to at it, so it names no target.
  if (a && (a.text === '0.0.0.0' || a.text === '::'))
    return {
      why: `"${given}": ${a.text} is a wildcard bind address, not a target; give the address to connect to, e.g. ${a.family === 4 ? '127.0.0.1' : '::1'}`,
    };
  const tls = choices.tls === true || port === 443;
  const t: DiagnoseTarget = { given, host: a ? a.text : host, tls, ...(port !== undefined ? { port } : {}) };
  if (a) {
    t.address = a.text;
    t.family = a.family;
  }
  if (port !== undefined && HTTP_PORTS.includes(port)) t.url = `${tls ? 'https' : 'http'}://${hostKey(t.host)}${port === (tls ? 443 : 80) ? '' : `:${port}`}/`;
  return t;
}

/**
 * Why nothing may be sent toward the target: its address (or, for a name, every address it resolved to) is in a
 * network the probes refuse and `--allow-target` does not admit. The `target-refused` reason, for its words.
 */
export function refusedTarget(t: DiagnoseTarget, resolved: readonly string[], admitted: readonly string[] = []): Reason | undefined {
  const addresses = t.address !== undefined ? [t.address] : resolved;
  const refused = addresses.map((address) => ({ address, network: refusedNetwork(address, admitted) }));
  if (refused.length === 0 || refused.some((r) => r.network === undefined)) return undefined;
  const { address, network } = refused[0]!;
  return { code: 'target-refused', address, network: network!, ...(t.address === undefined ? { host: t.host } : {}) };
}

/** The target, or why it is none (for a usage error). */
export function parseTarget(given: string, choices: TargetChoices = {}): DiagnoseTarget | { why: string } {
  const s = given.trim();
  if (s === '') return { why: 'the target is empty: give a host, host:port or a URL' };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s)) {
    const bad = invalidUrl(s);
    if (bad) return { why: bad };
    const u = new URL(s);
    const t = fromHost(given, urlHost(u), urlPort(u), { tls: choices.tls === true || u.protocol === 'https:' });
    if ('why' in t) return t;
    return { ...t, tls: u.protocol === 'https:' || choices.tls === true, url: u.href };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    if (!parseAddress(bracketed[1]!)) return { why: `"${given}": ${bracketed[1]} is not an IPv6 address` };
    return fromHost(given, bracketed[1]!, bracketed[2] !== undefined ? Number(bracketed[2]) : undefined, choices);
  }
  // A bare IPv6 address has colons of its own: it takes brackets before a port.
  if (parseAddress(s)) return fromHost(given, s, undefined, choices);
  const hp = /^([^:]+):(\d+)$/.exec(s);
  if (hp) return fromHost(given, hp[1]!, Number(hp[2]), choices);
  if (s.includes(':')) return { why: `"${given}" is not a host, host:port, [IPv6]:port or URL (a port is digits; an IPv6 address with a port takes brackets)` };
  return fromHost(given, s, undefined, choices);
}

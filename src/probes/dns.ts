// The DNS probe. With a server named, a Resolver asks that server directly (so the answer is what that server
// says, with TTLs); without one, A and AAAA go through getaddrinfo as every program on the host resolves them
// (/etc/hosts included), and other types through the system's configured name servers.
import * as dns from 'node:dns/promises';
import type { CaaRecord, MxRecord, SrvRecord } from 'node:dns';
import { performance } from 'node:perf_hooks';
import { canonical } from '../lib/address.js';
import { errCode } from '../lib/errno.js';
import type { DnsAnswer, DnsFact, DnsType, ProbeError } from './net-model.js';
import { roundMs } from './tcp.js';
import { refusal, withTimeout } from './dial.js';
import type { Admitted } from './dial.js';
import { invalidDnsQuery, asciiHost } from '../lib/targets.js';

export interface DnsOptions {
  name: string;
  type?: DnsType;
  /** `198.18.0.53`, `198.18.0.53:5353`, `[fd00::53]:53`. */
  server?: string;
  timeoutMs: number;
  /** Networks admitted beyond the default (`--allow-target`): a server at a link-local or metadata address is refused. */
  allowTargets?: Admitted;
}

// ---------------------------------------------------------------------------------------------------------
// Validation: the pure validators live in src/lib/targets.ts, which the policy may import.
export { invalidDnsQuery, invalidDnsServer } from '../lib/targets.js';

// ---------------------------------------------------------------------------------------------------------
// Normalising answers

/** A DNS name as compared: lower case, no trailing dot. */
function normName(n: string): string {
  return n.trim().toLowerCase().replace(/\.$/, '');
}

type Raw = string | string[] | { address: string; ttl: number } | MxRecord | SrvRecord | CaaRecord;

/** One record from node:dns, in the one form the facts keep. */
export function normaliseAnswer(type: DnsType, r: Raw): DnsAnswer {
  switch (type) {
    case 'ADDRESS': {
      const value = canonical(r as string);
      return { type: value.includes(':') ? 'AAAA' : 'A', value };
    }
    case 'A':
    case 'AAAA':
      return typeof r === 'string'
        ? { type, value: canonical(r) }
        : { type, value: canonical((r as { address: string }).address), ttl: (r as { ttl: number }).ttl };
    case 'MX': {
      const mx = r as MxRecord;
      const target = normName(mx.exchange);
      return { type, value: `${mx.priority} ${target}`, priority: mx.priority, target };
    }
    case 'TXT':
      return { type, value: (r as string[]).join('') };
    case 'CNAME':
    case 'NS':
      return { type, value: normName(r as string) };
    case 'SRV': {
      const s = r as SrvRecord;
      const target = normName(s.name);
      return { type, value: `${s.priority} ${s.weight} ${s.port} ${target}`, priority: s.priority, weight: s.weight, port: s.port, target };
    }
    case 'CAA':
      return caaAnswer(r as CaaRecord);
  }
}

function caaAnswer(c: CaaRecord): DnsAnswer {
  const tags = ['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone'] as const;
  const tag = tags.find((t) => c[t] !== undefined) ?? 'issue';
  const v = String(c[tag] ?? '');
  return { type: 'CAA', value: `${c.critical} ${tag} "${v}"`, tag, critical: c.critical };
}

export function sortAnswers(answers: DnsAnswer[]): DnsAnswer[] {
  return [...answers].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

const DNS_WORDS: Record<string, [string, string]> = {
  ENOTFOUND: ['NXDOMAIN', 'the name does not exist'],
  ENODATA: ['NODATA', 'the name exists but has no records of this type'],
  ESERVFAIL: ['SERVFAIL', 'the server failed to answer (SERVFAIL)'],
  EREFUSED: ['REFUSED', 'the server refused the query'],
  ETIMEOUT: ['TIMEOUT', 'no answer within the timeout'],
  TIMEOUT: ['TIMEOUT', 'no answer within the timeout'],
  ECANCELLED: ['TIMEOUT', 'no answer within the timeout'],
  // Not the server's REFUSED answer: nothing answered DNS at that address and port.
  ECONNREFUSED: ['CONNREFUSED', 'the server could not be reached (connection refused: nothing answers DNS there)'],
  EAI_AGAIN: ['SERVFAIL', 'the resolver failed or timed out (try again)'],
  EFORMERR: ['FORMERR', 'the server could not parse the query'],
  EBADRESP: ['BADRESP', 'the answer was malformed'],
};

/** The stable code and words for a node:dns error code. */
export function dnsFailure(code: string | undefined): ProbeError {
  const known = code ? DNS_WORDS[code] : undefined;
  return known ? { code: known[0], reason: known[1] } : { code: code ?? 'UNKNOWN', reason: `resolution failed (${code ?? 'unknown error'})` };
}

// ---------------------------------------------------------------------------------------------------------
// Asking

type Asker = Pick<dns.Resolver, 'resolve4' | 'resolve6' | 'resolveMx' | 'resolveTxt' | 'resolveCname' | 'resolveNs' | 'resolveSrv' | 'resolveCaa'>;

function ask(r: Asker, name: string, type: Exclude<DnsType, 'ADDRESS'>): Promise<Raw[]> {
  switch (type) {
    case 'A':
      return r.resolve4(name, { ttl: true });
    case 'AAAA':
      return r.resolve6(name, { ttl: true });
    case 'MX':
      return r.resolveMx(name);
    case 'TXT':
      return r.resolveTxt(name);
    case 'CNAME':
      return r.resolveCname(name);
    case 'NS':
      return r.resolveNs(name);
    case 'SRV':
      return r.resolveSrv(name);
    case 'CAA':
      return r.resolveCaa(name);
  }
}

async function viaGetaddrinfo(name: string, type: 'A' | 'AAAA' | 'ADDRESS'): Promise<Raw[]> {
  const all = await dns.lookup(name, { all: true, family: type === 'A' ? 4 : type === 'AAAA' ? 6 : 0 });
  return [...new Set(all.map((a) => canonical(a.address)))];
}

/** The address of a server as setServers takes it (`198.18.0.53:5353`, `[fd00::53]:53`, `fd00::53`). */
function serverAddress(server: string): string {
  if (server.startsWith('[')) return server.slice(1, server.indexOf(']'));
  return server.split(':').length === 2 ? server.slice(0, server.indexOf(':')) : server;
}

/** The named server, or the system's name servers (resolv.conf) when none is named. */
function resolverFor(server: string | undefined, timeoutMs: number): dns.Resolver {
  // One try, each under the whole timeout: retries would multiply the time a dead server costs.
  const r = new dns.Resolver({ timeout: Math.max(1, Math.floor(timeoutMs)), tries: 1 });
  if (server !== undefined) r.setServers([server]);
  return r;
}

export async function probeDns(opts: DnsOptions): Promise<DnsFact> {
  const type = opts.type ?? 'A';
  const fact: DnsFact = { name: opts.name, type, resolves: false, answers: [], latencyMs: 0 };
  if (opts.server !== undefined) fact.server = opts.server;
  const bad = invalidDnsQuery({ name: opts.name, type, server: opts.server });
  if (bad) return { ...fact, error: { code: 'INVALID', reason: bad } };
  // Asking a server sends it packets: one the probes may not reach is refused before the resolver exists.
  const refused = opts.server === undefined ? undefined : refusal([serverAddress(opts.server)], opts.allowTargets ?? []);
  if (refused) return { ...fact, error: refused };
  const resolver = resolverFor(opts.server, opts.timeoutMs);
  const system = opts.server === undefined && (type === 'A' || type === 'AAAA' || type === 'ADDRESS');
  const start = performance.now();
  try {
    // getaddrinfo cannot be cancelled; the timeout still ends our wait for it.
    // An internationalised name is asked in its punycode form, as every resolver holds it.
    const name = asciiHost(opts.name);
    const pending = system ? viaGetaddrinfo(name, type as 'A' | 'AAAA' | 'ADDRESS') : ask(resolver, name, type as Exclude<DnsType, 'ADDRESS'>);
    const raw = await withTimeout(pending, opts.timeoutMs, () => resolver.cancel());
    fact.answers = sortAnswers(raw.map((r) => normaliseAnswer(type, r)));
    fact.resolves = fact.answers.length > 0;
    if (!fact.resolves) fact.error = dnsFailure('ENODATA');
  } catch (e) {
    fact.error = dnsFailure(errCode(e));
  }
  fact.latencyMs = roundMs(performance.now() - start);
  return fact;
}

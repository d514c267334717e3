// Live probes, judged: what a TCP connect, a DNS query and an HTTP request met, against the check's
// expectation. Pure: the facts come from the snapshot's `probes` family, keyed as the plan keys them.
import type { DnsSelector, HttpSelector, Matcher, Scalar, TcpSelector } from '../../policy/model.js';
import type { DnsFact, FactsSnapshot, HttpFact, ProbeError, TcpAddressFact, TcpFact } from '../../facts/model.js';
import { NO_ANSWER } from '../../probes/net-model.js';
import type { Hsts, ProbeClock } from '../../probes/net-model.js';
import { isFamilyError } from '../../facts/model.js';
import { canonical, parseAddress } from '../../lib/address.js';
import { hostKey, probeKey } from '../../plan/plan.js';
import { describe, match, show } from '../matchers.js';
import type { ResultDetail } from '../model.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';

/** A probe not in the snapshot at all: no verdict on the endpoint, and so no cause (`not-in-snapshot`). */
function notInSnapshot(expected: string, reason: string): Outcome {
  return { ...errorOutcome(expected, reason), actual: '(not in the snapshot)', reason: { code: 'not-in-snapshot' } };
}

type Probed<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };

/** A probe's fact by key, or the error outcome that explains its absence. */
export function probeFact<T>(key: string, facts: FactsSnapshot, expected: string): Probed<T> {
  const all = facts.probes;
  if (all === undefined) return { ok: false, outcome: notInSnapshot(expected, 'the facts snapshot has no "probes" family (collected for another policy?)') };
  const v = all[key];
  if (v === undefined) return { ok: false, outcome: notInSnapshot(expected, `the facts snapshot has no probe "${key}" (collected for another policy?)`) };
  if (isFamilyError(v)) return { ok: false, outcome: errorOutcome(expected, v.error) };
  return { ok: true, value: v as T };
}

const reasonOf = (e: ProbeError): string => `${e.reason} (${e.code})`;

const ms = (v: number | undefined): string => (v === undefined ? '(absent)' : `${show(v)} ms`);

/** Said beside judged timings that were taken on the auditor's main thread, where its own work can stretch them. */
function clockNote(clock: ProbeClock | undefined): string {
  return clock?.thread === 'main' ? ` (timed on the auditor's main thread: ${clock.reason})` : '';
}

// ---------------------------------------------------------------------------------------------------------
// TCP

interface TcpExpect {
  connect?: string | string[];
  latencyMs?: { p50?: Matcher; p95?: Matcher; max?: Matcher };
}

const LATENCY_FIELDS = { p50: 'p50Ms', p95: 'p95Ms', max: 'maxMs' } as const;

function tcpExpected(e: TcpExpect): string {
  const parts: string[] = [];
  if (e.connect !== undefined) parts.push(`connect ${Array.isArray(e.connect) ? `one of ${e.connect.join(', ')}` : e.connect}`);
  for (const [k, m] of Object.entries(e.latencyMs ?? {})) parts.push(`latency ${k} ${describe(m as Matcher)} ms`);
  return parts.join(', ');
}

function tcpActual(a: TcpAddressFact): string {
  if (a.connect !== 'open') return `${a.connect}${a.error ? ` (${a.error.reason})` : ''}`;
  const l = a.latency;
  if (!l) return 'open';
  const stopped = a.stopped ? ` (${a.stopped.reason})` : '';
  return l.count === 1 && !a.stopped
    ? `open in ${ms(l.maxMs)}`
    : `open, p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, max ${ms(l.maxMs)} over ${l.count} connects${stopped}`;
}

function tcpAddress(a: TcpAddressFact, port: number, e: TcpExpect): ResultDetail & { whys: string[] } {
  const whys: string[] = [];
  if (e.connect !== undefined) {
    const allowed = Array.isArray(e.connect) ? e.connect : [e.connect];
    if (!allowed.includes(a.connect)) whys.push(`is ${a.connect}, not ${allowed.join(' or ')}${a.error ? ` (${a.error.reason})` : ''}`);
  }
  for (const [k, m] of Object.entries(e.latencyMs ?? {})) {
    const field = LATENCY_FIELDS[k as keyof typeof LATENCY_FIELDS];
    if (!field) continue;
    if (!a.latency) {
      whys.push(`latency ${k}: no connect succeeded (${a.connect})`);
      continue;
    }
    const r = match(a.latency[field], m as Matcher);
    if (!r.ok) whys.push(`latency ${k} ${r.why} ms`);
  }
  const subject = `${a.family === 6 ? `[${a.address}]` : a.address}:${port}`;
  return { subject, status: whys.length ? 'fail' : 'pass', actual: tcpActual(a), whys };
}

export function evaluateTcpProbe(spec: TcpSelector, expect: unknown, facts: FactsSnapshot): Outcome {
  const e = (expect ?? {}) as TcpExpect;
  const expected = tcpExpected(e);
  const f = probeFact<TcpFact>(probeKey({ kind: 'tcp', spec }), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const endpoint = `${hostKey(spec.host)}:${spec.port}`;
  if (fact.error) return errorOutcome(expected, `${endpoint}: ${reasonOf(fact.error)}`);
  if (fact.addresses.length === 0) return errorOutcome(expected, `${endpoint}: no address to connect to`);
  const judged = fact.addresses.map((a) => tcpAddress(a, spec.port, e));
  const details: ResultDetail[] = judged.map(({ subject, status, actual }) => ({ subject, status, actual }));
  const actual = judged.map((d) => (judged.length === 1 ? d.actual : `${d.subject} ${d.actual}`)).join('; ');
  const failed = judged.filter((d) => d.status === 'fail');
  const note = e.latencyMs !== undefined ? clockNote(fact.clock) : '';
  if (failed.length) {
    return { status: 'fail', expected, actual, message: `${failed.map((d) => `${d.subject} ${d.whys.join('; ')}`).join('; ')}${note}`, details };
  }
  return { status: 'pass', expected, actual, message: `${endpoint}: ${actual}${note}`, details };
}

// ---------------------------------------------------------------------------------------------------------
// DNS

interface DnsExpect {
  resolves?: boolean;
  answers?: Matcher | string[];
  latencyMs?: Matcher;
}

/** NXDOMAIN and NODATA are answers (the name has no such records); a server that did not answer is not. */
const NOT_RESOLVING = new Set(['NXDOMAIN', 'NODATA']);

/** An expected answer in the form the facts keep: addresses canonical, names lower-cased without the dot. */
function canonicalAnswer(v: string): string {
  return parseAddress(v) ? canonical(v) : v.trim().toLowerCase().replace(/\.$/, '');
}

function dnsExpected(e: DnsExpect): string {
  const parts: string[] = [];
  if (e.resolves !== undefined) parts.push(e.resolves ? 'resolves' : 'does not resolve');
  if (Array.isArray(e.answers)) parts.push(`answers exactly ${e.answers.join(', ') || '(none)'}`);
  else if (e.answers !== undefined) parts.push(`answers ${describe(e.answers)}`);
  if (e.latencyMs !== undefined) parts.push(`latency ${describe(e.latencyMs)} ms`);
  return parts.join(', ');
}

export function evaluateDnsProbe(spec: DnsSelector, expect: unknown, facts: FactsSnapshot): Outcome {
  const e = (expect ?? {}) as DnsExpect;
  const expected = dnsExpected(e);
  const f = probeFact<DnsFact>(probeKey({ kind: 'dns', spec }), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const query = `${hostKey(spec.name)} ${fact.type}${fact.server ? ` @${fact.server}` : ''}`;
  if (fact.error && !NOT_RESOLVING.has(fact.error.code)) return errorOutcome(expected, `${query}: ${reasonOf(fact.error)}`);
  const values = fact.answers.map((a) => a.value);
  const actual = fact.resolves ? `${values.join(', ')} in ${ms(fact.latencyMs)}` : `${fact.error ? fact.error.code : 'no answers'} in ${ms(fact.latencyMs)}`;
  const whys: string[] = [];
  if (e.resolves !== undefined && e.resolves !== fact.resolves) {
    whys.push(e.resolves ? `does not resolve: ${fact.error ? reasonOf(fact.error) : 'no answers'}` : `resolves to ${values.join(', ')}`);
  }
  if (e.answers !== undefined) {
    if (Array.isArray(e.answers)) {
      const want = [...new Set(e.answers.map(canonicalAnswer))].sort();
      const got = [...new Set(values)].sort();
      if (want.join('\n') !== got.join('\n')) {
        const missing = want.filter((v) => !got.includes(v));
        const extra = got.filter((v) => !want.includes(v));
        whys.push(`answers are ${got.join(', ') || '(none)'}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}`);
      }
    } else {
      const r = match(values.length ? (values as Scalar[]) : undefined, e.answers);
      if (!r.ok) whys.push(`answers ${r.why}`);
    }
  }
  if (e.latencyMs !== undefined) {
    const r = match(fact.latencyMs, e.latencyMs);
    if (!r.ok) whys.push(`latency ${r.why} ms`);
  }
  return whys.length
    ? { status: 'fail', expected, actual, message: `${query} ${whys.join('; ')}` }
    : { status: 'pass', expected, actual, message: `${query}: ${actual}` };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

interface HttpExpect {
  status?: Matcher;
  redirectsTo?: Matcher;
  headers?: Record<string, Matcher>;
  hsts?: { maxAge?: Matcher; includeSubDomains?: Matcher; preload?: Matcher };
  body?: Matcher;
  timings?: Partial<Record<'dnsMs' | 'connectMs' | 'tlsMs' | 'ttfbMs' | 'totalMs', Matcher>>;
}

type HstsField = 'maxAge' | 'includeSubDomains' | 'preload';

/**
 * The HSTS a browser holds after asking the check's URL. Over HTTPS, that response's header; for an http:// URL
 * (RFC 6797 §8.1: the header is ignored over plain HTTP) the one read where its redirects end over HTTPS, which
 * the probe records in `hstsLookup`. No lookup, or redirects that never reach HTTPS, is never the http header.
 */
type HstsInEffect = { ok: true; hsts?: Hsts; readFrom?: string } | { ok: false; status: 'fail' | 'error'; why: string };

/** What a lookup's error means for the check: the site's doing (fail) or not readable (error). */
const HSTS_FAILURES = new Set(['NO_HTTPS', 'TOO_MANY_REDIRECTS']);

function hstsInEffect(fact: HttpFact): HstsInEffect {
  if (!/^http:/i.test(fact.url)) return { ok: true, ...(fact.hsts !== undefined ? { hsts: fact.hsts } : {}) };
  const l = fact.hstsLookup;
  if (!l) {
    return { ok: false, status: 'error', why: `the snapshot's probe of ${fact.url} did not follow its redirects to HTTPS, where HSTS is read (collected by an older plumbline?)` };
  }
  if (l.readFrom !== undefined) return { ok: true, readFrom: l.readFrom, ...(l.hsts !== undefined ? { hsts: l.hsts } : {}) };
  const err = l.error ?? { code: 'UNKNOWN', reason: 'the redirects were not followed to their end' };
  return HSTS_FAILURES.has(err.code)
    ? { ok: false, status: 'fail', why: `HSTS is ignored over plain HTTP (RFC 6797 §8.1) and ${err.reason}` }
    : { ok: false, status: 'error', why: `the HSTS in effect could not be read: ${reasonOf(err)}` };
}

/** Every leaf expectation as [label, matcher, the fact's value]; HSTS leaves only when the HSTS in effect is known. */
function httpLeaves(e: HttpExpect, fact: HttpFact, inEffect: HstsInEffect): Array<[string, Matcher, Scalar | undefined]> {
  const out: Array<[string, Matcher, Scalar | undefined]> = [];
  if (e.status !== undefined) out.push(['status', e.status, fact.status]);
  if (e.redirectsTo !== undefined) out.push(['redirectsTo', e.redirectsTo, fact.redirectsTo]);
  for (const [name, m] of Object.entries(e.headers ?? {})) out.push([`header ${name.toLowerCase()}`, m, fact.headers[name.toLowerCase()]]);
  if (inEffect.ok) for (const [k, m] of Object.entries(e.hsts ?? {})) out.push([`hsts ${k}`, m as Matcher, inEffect.hsts?.[k as HstsField]]);
  if (e.body !== undefined) out.push(['body', e.body, fact.body]);
  for (const [k, m] of Object.entries(e.timings ?? {})) out.push([k, m as Matcher, fact.timings[k as keyof HttpFact['timings']]]);
  return out;
}

function httpExpected(e: HttpExpect): string {
  const parts: string[] = [];
  if (e.status !== undefined) parts.push(`status ${describe(e.status)}`);
  if (e.redirectsTo !== undefined) parts.push(`redirectsTo ${describe(e.redirectsTo)}`);
  for (const [n, m] of Object.entries(e.headers ?? {})) parts.push(`${n.toLowerCase()} ${describe(m)}`);
  for (const [k, m] of Object.entries(e.hsts ?? {})) parts.push(`hsts ${k} ${describe(m as Matcher)}`);
  if (e.body !== undefined) parts.push(`body ${describe(e.body)}`);
  for (const [k, m] of Object.entries(e.timings ?? {})) parts.push(`${k} ${describe(m as Matcher)}`);
  return parts.join(', ');
}

/** HTTP probe error codes that are no verdict on the server: silence, a resolver that failed, or our own side. */
const UNANSWERED = new Set([...NO_ANSWER, 'SERVFAIL', 'CA_FILE', 'INVALID', 'UNKNOWN']);

export function evaluateHttpProbe(spec: HttpSelector, expect: unknown, facts: FactsSnapshot): Outcome {
  const e = (expect ?? {}) as HttpExpect;
  const expected = httpExpected(e);
  const f = probeFact<HttpFact>(probeKey({ kind: 'http', spec }), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const request = `${fact.method} ${fact.url}`;
  // Without a status line there is nothing to judge: a server that answered and fell short (refused, reset, a
  // certificate a client refuses, not HTTP) is a failure; silence, or a problem on our side, is an error. With a
  // status line, a later failure (the body cut off) is said beside.
  if (fact.error && fact.status === undefined) {
    const why = `${request}: ${reasonOf(fact.error)}`;
    return UNANSWERED.has(fact.error.code) ? errorOutcome(expected, why) : { status: 'fail', expected, actual: reasonOf(fact.error), message: why };
  }
  const judgesHsts = e.hsts !== undefined;
  const inEffect: HstsInEffect = judgesHsts ? hstsInEffect(fact) : { ok: true };
  if (!inEffect.ok && inEffect.status === 'error') return errorOutcome(expected, `${request}: ${inEffect.why}`);
  const whys: string[] = [];
  const seen: string[] = [];
  for (const [label, m, v] of httpLeaves(e, fact, inEffect)) {
    if (label !== 'body') seen.push(`${label} ${/Ms$/.test(label) ? ms(v as number | undefined) : show(v)}`);
    const r = match(v, m);
    if (!r.ok) whys.push(`${label} ${label === 'body' ? r.why.replace(/^[\s\S]* (does not (match|contain))/, '$1') : r.why}`);
  }
  if (!inEffect.ok) {
    seen.push('hsts (ignored over plain HTTP)');
    whys.push(inEffect.why);
  } else if (inEffect.readFrom !== undefined) {
    seen.push(`hsts read from ${inEffect.readFrom}`);
  }
  const actual = seen.join(', ') || `status ${show(fact.status)}`;
  const timed = e.timings !== undefined ? clockNote(fact.clock) : '';
  const note = `${fact.error ? ` (then: ${reasonOf(fact.error)})` : ''}${timed}`;
  return whys.length
    ? { status: 'fail', expected, actual, message: `${request}: ${whys.join('; ')}${note}` }
    : { status: 'pass', expected, actual, message: `${request}: ${actual}${note}` };
}

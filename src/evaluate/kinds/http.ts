// The `http` kind, judged: what an HTTP request met: status, headers, HSTS as browsers read it, timings.
import type { HttpSelector, Matcher, Scalar } from '../../policy/model.js';
import type { FactsSnapshot, HttpFact } from '../../facts/model.js';
import { NO_ANSWER } from '../../probes/net-model.js';
import type { Hsts } from '../../probes/net-model.js';
import { httpProbeKey } from '../../plan/probe-keys.js';
import { about, describe, match, show } from '../matchers.js';
import { matcherKey, unseen } from '../../lib/match.js';
import type { MatchFailure, Reason } from '../reasons.js';
import { together } from '../reasons.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { probeFact, errorArgs, ms, clockNote, refusedOutcome, targetRefused } from './shared/probe-fact.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';

type HttpExpect = ExpectOf<'http'>;

type HstsField = 'maxAge' | 'includeSubDomains' | 'preload';

/**
 * The HSTS a browser holds after asking the check's URL. Over HTTPS, that response's header; for an http:// URL
 * (RFC 6797 §8.1: the header is ignored over plain HTTP) the one read where its redirects end over HTTPS, which
 * the probe records in `hstsLookup`. No lookup, or redirects that never reach HTTPS, is never the http header.
 */
type HstsInEffect = { ok: true; hsts?: Hsts; readFrom?: string } | { ok: false; status: 'fail' | 'error'; why: Reason };

/** What a lookup's error means for the check: the site's doing (fail) or not readable (error). */
const HSTS_FAILURES = new Set(['NO_HTTPS', 'TOO_MANY_REDIRECTS']);

function hstsInEffect(fact: HttpFact): HstsInEffect {
  if (!/^http:/i.test(fact.url)) return { ok: true, ...(fact.hsts !== undefined ? { hsts: fact.hsts } : {}) };
  const l = fact.hstsLookup;
  if (!l) {
    return { ok: false, status: 'error', why: { code: 'hsts-not-followed', url: fact.url } };
  }
  if (l.readFrom !== undefined) return { ok: true, readFrom: l.readFrom, ...(l.hsts !== undefined ? { hsts: l.hsts } : {}) };
  const err = l.error ?? { code: 'UNKNOWN', reason: 'the redirects were not followed to their end' };
  // A redirect to a refused address (a metadata service) was not followed: no verdict, and why.
  const refused = targetRefused(err);
  if (refused) return { ok: false, status: 'error', why: refused };
  return HSTS_FAILURES.has(err.code)
    ? { ok: false, status: 'fail', why: { code: 'hsts-plain-http', why: err.reason } }
    : { ok: false, status: 'error', why: { code: 'hsts-unreadable', ...errorArgs(err) } };
}

/** A leaf expectation judged: its label, what was seen (never a body) and the operators that do not hold. */
interface Leaf {
  label: string;
  seen?: string;
  failures: MatchFailure[];
}

/**
 * Every leaf expectation, in the order the expectation lists them; HSTS leaves only when the HSTS in effect is
 * known. The body is not repeated: its findings say only which operators it does not meet.
 */
function httpLeaves(e: HttpExpect, fact: HttpFact, inEffect: HstsInEffect): Leaf[] {
  const out: Leaf[] = [];
  const leaf = (label: string, m: Matcher, v: Scalar | undefined): void => {
    out.push({ label, seen: `${label} ${/Ms$/.test(label) ? ms(v as number | undefined) : show(v)}`, failures: match(v, m).failures });
  };
  if (e.status !== undefined) leaf('status', e.status, fact.status);
  if (e.redirectsTo !== undefined) leaf('redirectsTo', e.redirectsTo, fact.redirectsTo);
  for (const [name, m] of Object.entries(e.headers ?? {})) leaf(`header ${name.toLowerCase()}`, m, fact.headers[name.toLowerCase()]);
  if (inEffect.ok) for (const [k, m] of Object.entries(e.hsts ?? {})) leaf(`hsts ${k}`, m as Matcher, inEffect.hsts?.[k as HstsField]);
  if (e.body !== undefined) out.push({ label: 'body', failures: bodyFailures(e.body, fact) ?? [] });
  for (const [k, m] of Object.entries(e.timings ?? {})) leaf(k, m as Matcher, fact.timings[k as keyof HttpFact['timings']]);
  return out;
}

/**
 * What the body expectation found, never with the body in it: the probe's judgement of it, the text of a snapshot
 * written before bodies were judged as they were read, or `absent` when no body came. Undefined when the snapshot's
 * probe judged other expectations (it was taken for another policy).
 */
function bodyFailures(m: Matcher, fact: HttpFact): MatchFailure[] | undefined {
  const body = fact.body;
  if (body === undefined || typeof body === 'string') return match(body, m).failures.map(unseen);
  return body.judged.find((j) => matcherKey(j.matcher) === matcherKey(m))?.failures;
}

/** A fact the expectation reads that the snapshot did not keep: a header it left out, a body expectation it did not judge. */
function notKept(e: HttpExpect, fact: HttpFact): Reason | undefined {
  const kept = fact.headersKept;
  const header = kept === undefined ? undefined : Object.keys(e.headers ?? {}).find((n) => !kept.includes(n.toLowerCase()));
  if (header !== undefined) return { code: 'fact-missing', header: header.toLowerCase() };
  if (e.body !== undefined && bodyFailures(e.body, fact) === undefined) return { code: 'fact-missing', bodyExpectation: describe(e.body) };
  return undefined;
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

function evaluateHttpProbe(spec: HttpSelector, e: HttpExpect, facts: FactsSnapshot): Outcome {
  const expected = httpExpected(e);
  const f = probeFact<HttpFact>(httpProbeKey(spec), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const request = `${fact.method} ${fact.url}`;
  // Without a status line there is nothing to judge: a server that answered and fell short (refused, reset, a
  // certificate a client refuses, not HTTP) is a failure; silence, or a problem on our side, is an error. With a
  // status line, a later failure (the body cut off) is said beside.
  if (fact.error && fact.status === undefined) {
    const refused = refusedOutcome(fact.error, expected, request);
    if (refused) return refused;
    if (UNANSWERED.has(fact.error.code)) return errorOutcome(expected, { code: 'probe-failed', at: request, ...errorArgs(fact.error) });
    return {
      status: 'fail',
      expected,
      actual: `${fact.error.reason} (${fact.error.code})`,
      reason: { code: 'request-failed', at: request, ...errorArgs(fact.error) },
    };
  }
  const missing = notKept(e, fact);
  if (missing) return errorOutcome(expected, { ...missing, at: request });
  const judgesHsts = e.hsts !== undefined;
  const inEffect: HstsInEffect = judgesHsts ? hstsInEffect(fact) : { ok: true };
  if (!inEffect.ok && inEffect.status === 'error') return errorOutcome(expected, { ...inEffect.why, at: request });
  const whys: Reason[] = [];
  const seen: string[] = [];
  for (const l of httpLeaves(e, fact, inEffect)) {
    if (l.seen !== undefined) seen.push(l.seen);
    whys.push(...about(l.label, l.failures));
  }
  if (!inEffect.ok) {
    seen.push('hsts (ignored over plain HTTP)');
    whys.push(inEffect.why);
  } else if (inEffect.readFrom !== undefined) {
    seen.push(`hsts read from ${inEffect.readFrom}`);
  }
  const actual = seen.join(', ') || `status ${show(fact.status)}`;
  const timed = e.timings !== undefined ? clockNote(fact.clock) : [];
  const note: Reason[] = [...(fact.error ? [{ code: 'later-error', ...errorArgs(fact.error) } as const] : []), ...timed];
  const notes = note.length ? { notes: note } : {};
  const failed = together(whys);
  return failed
    ? { status: 'fail', expected, actual, reason: { ...failed, at: request, ...notes } }
    : { status: 'pass', expected, actual, reason: { code: 'matched', at: request, seen: actual, ...notes } };
}

export function evaluate(c: CheckOf<'http'>, facts: FactsSnapshot): Outcome {
  return evaluateHttpProbe(c.selector.spec, c.expect, facts);
}

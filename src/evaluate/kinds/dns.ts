// The `dns` kind, judged: what a DNS query answered (NXDOMAIN and NODATA are answers).
import type { DnsSelector, Scalar } from '../../policy/model.js';
import type { DnsFact, FactsSnapshot } from '../../facts/model.js';
import { canonical, parseAddress } from '../../lib/address.js';
import { hostKey } from '../../plan/plan.js';
import { dnsProbeKey } from '../../plan/probe-keys.js';
import { about, describe, inUnit, match } from '../matchers.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { probeFact, errorArgs, reasonOf, ms, refusedOutcome } from './shared/probe-fact.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';

type DnsExpect = ExpectOf<'dns'>;

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

function evaluateDnsProbe(spec: DnsSelector, e: DnsExpect, facts: FactsSnapshot): Outcome {
  const expected = dnsExpected(e);
  const f = probeFact<DnsFact>(dnsProbeKey(spec), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const query = `${hostKey(spec.name)} ${fact.type}${fact.server ? ` @${fact.server}` : ''}`;
  if (fact.error && !NOT_RESOLVING.has(fact.error.code))
    return refusedOutcome(fact.error, expected, query) ?? errorOutcome(expected, { code: 'probe-failed', at: query, ...errorArgs(fact.error) });
  const values = fact.answers.map((a) => a.value);
  const actual = fact.resolves ? `${values.join(', ')} in ${ms(fact.latencyMs)}` : `${fact.error ? fact.error.code : 'no answers'} in ${ms(fact.latencyMs)}`;
  const whys: Reason[] = [];
  if (e.resolves !== undefined && e.resolves !== fact.resolves) {
    whys.push(e.resolves ? { code: 'resolves-not', why: fact.error ? reasonOf(fact.error) : 'no answers' } : { code: 'resolves', answers: values });
  }
  if (e.answers !== undefined) {
    if (Array.isArray(e.answers)) {
      const want = [...new Set(e.answers.map(canonicalAnswer))].sort();
      const got = [...new Set(values)].sort();
      if (want.join('\n') !== got.join('\n')) {
        const missing = want.filter((v) => !got.includes(v));
        const extra = got.filter((v) => !want.includes(v));
        whys.push({ code: 'answers-differ', got, missing, extra });
      }
    } else {
      whys.push(...about('answers', match(values.length ? (values as Scalar[]) : undefined, e.answers).failures));
    }
  }
  if (e.latencyMs !== undefined) whys.push(...inUnit('ms', about('latency', match(fact.latencyMs, e.latencyMs).failures)));
  // The query is said before the first finding: "example.com A does not resolve: ...".
  const failed = together(whys.map((w, i) => (i === 0 ? { ...w, where: query } : w)));
  return failed
    ? { status: 'fail', expected, actual, reason: failed }
    : { status: 'pass', expected, actual, reason: { code: 'matched', at: query, seen: actual } };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

export function evaluate(c: CheckOf<'dns'>, facts: FactsSnapshot): Outcome {
  return evaluateDnsProbe(c.selector.spec, c.expect, facts);
}

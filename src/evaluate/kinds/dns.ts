// The `dns` kind, judged: what a DNS query answered (NXDOMAIN and NODATA are answers).
import type { DnsSelector, Scalar } from '../../policy/model.js';
import type { DnsFact, FactsSnapshot } from '../../facts/model.js';
import { canonical, parseAddress } from '../../lib/address.js';
import { hostKey } from '../../plan/plan.js';
import { dnsProbeKey } from '../../plan/probe-keys.js';
import { describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { probeFact, reasonOf, ms } from './shared/probe-fact.js';
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
        whys.push(
          `answers are ${got.join(', ') || '(none)'}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}`,
        );
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

export function evaluate(c: CheckOf<'dns'>, facts: FactsSnapshot): Outcome {
  return evaluateDnsProbe(c.selector.spec, c.expect, facts);
}

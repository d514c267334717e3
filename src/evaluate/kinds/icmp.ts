// The `icmp` kind, judged: whether the host's pings came back, with what loss and round-trip times. A host with
// no route or a name that does not exist fails (no packet can go there); ICMP that cannot be sent at all, or a
// resolver that did not answer, is an error that says which.
import type { FactsSnapshot } from '../../facts/model.js';
import { percentile } from '../../lib/percentile.js';
import type { Matcher } from '../../policy/model.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';
import { about, describe, inUnit, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import { pingActual, sentPing, unreachableOf } from './shared/ping.js';

type IcmpExpect = ExpectOf<'icmp'>;

const PERCENTILES = { p50: 50, p95: 95, max: 100 } as const;

function icmpExpected(e: IcmpExpect): string {
  const parts: string[] = [];
  if (e.reachable !== undefined) parts.push(e.reachable ? 'reachable' : 'unreachable');
  if (e.lossPercent !== undefined) parts.push(`loss ${describe(e.lossPercent)} %`);
  for (const [k, m] of Object.entries(e.rttMs ?? {})) parts.push(`rtt ${k} ${describe(m as Matcher)} ms`);
  return parts.join(', ');
}

export function evaluate(c: CheckOf<'icmp'>, facts: FactsSnapshot): Outcome {
  const spec = c.selector.spec;
  const e = c.expect;
  const expected = icmpExpected(e);
  const got = sentPing({ ...spec, dontFragment: false }, facts, expected);
  // A lower layer plumbline made under a probe, on a host that cannot send ICMP, explains nothing either way: said
  // and skipped, where the policy's own check is an error.
  if (!got.ok) return c.impliedBy !== undefined && got.outcome.reason.code === 'icmp-cannot-send' ? { ...got.outcome, status: 'skip' } : got.outcome;
  const f = got.value;
  const host = spec.host;
  const whys: Reason[] = [];
  if (e.reachable === true && f.received === 0) {
    whys.push({
      code: 'icmp-no-reply',
      host,
      transmitted: f.transmitted,
      errors: f.errors,
      unreachable: unreachableOf(f),
      ...(f.address ? { address: f.address } : {}),
    });
  }
  if (e.reachable === false && f.received > 0) whys.push({ code: 'icmp-replies', host, received: f.received, transmitted: f.transmitted });
  if (e.lossPercent !== undefined) whys.push(...inUnit('%', about('loss', match(f.lossPercent, e.lossPercent).failures)));
  for (const [k, m] of Object.entries(e.rttMs ?? {})) {
    const p = PERCENTILES[k as keyof typeof PERCENTILES];
    const v = percentile(f.rttMs, p);
    if (v === undefined) whys.push({ code: 'no-rtt', percentile: k, host });
    else whys.push(...inUnit('ms', about(`rtt ${k}`, match(v, m as Matcher).failures)));
  }
  const actual = pingActual(f) + rttText(f.rttMs);
  const failed = together(whys);
  if (failed) return { status: 'fail', expected, actual, reason: failed };
  return { status: 'pass', expected, actual, reason: { code: 'matched', seen: actual } };
}

function rttText(rtt: readonly number[]): string {
  if (rtt.length === 0) return '';
  return `, rtt p50 ${percentile(rtt, 50)} ms, p95 ${percentile(rtt, 95)} ms, max ${percentile(rtt, 100)} ms`;
}

import type { Check, Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { netstatCounter } from '../../facts/readings/netstat.js';
import { timeWaitRatio } from '../../facts/readings/tcp.js';
import { EPHEMERAL_RANGE } from '../../plan/plan.js';
import { describe, match, show } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';

export function evaluateTcpStates(check: Check, facts: FactsSnapshot): Outcome {
  const e = (check.expect ?? {}) as Record<string, Matcher>;
  const expected = Object.entries(e)
    .map(([state, m]) => `${state} ${describe(m)}`)
    .join(', ');
  const sockets = family(facts, 'sockets', expected);
  if (!sockets.ok) return sockets.outcome;
  const states = sockets.value.tcpStates;
  const whys: string[] = [];
  const seen: string[] = [];
  for (const [state, m] of Object.entries(e)) {
    if (state === 'TIME_WAIT_RATIO') {
      const tw = states.TIME_WAIT ?? 0;
      const share = timeWaitRatio(facts, tw, EPHEMERAL_RANGE);
      if ('error' in share) return errorOutcome(expected, `cannot weigh TIME_WAIT against the ephemeral range: ${share.error}`);
      seen.push(`TIME_WAIT_RATIO ${show(share.ratio)} (${tw} TIME_WAIT of ${share.ports} ephemeral ports)`);
      const r = match(share.ratio, m);
      if (!r.ok) whys.push(`TIME_WAIT_RATIO ${r.why}: ${tw} sockets in TIME_WAIT hold ports of a ${share.ports}-port ephemeral range`);
      continue;
    }
    seen.push(`${state} ${states[state] ?? 0}`);
    const r = match(states[state] ?? 0, m);
    if (!r.ok) whys.push(`${state} ${r.why}`);
  }
  const actual = seen.join(', ');
  return whys.length
    ? { status: 'fail', expected, actual, message: whys.join('; ') }
    : { status: 'pass', expected, actual, message: actual };
}

export function evaluateNetstat(check: Check, counter: string, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect as Matcher);
  const ns = family(facts, 'netstat', expected);
  if (!ns.ok) return ns.outcome;
  const v = netstatCounter(ns.value, counter);
  if (typeof v !== 'number') return errorOutcome(expected, v.error);
  const shown = show(v);
  const r = match(v, check.expect as Matcher);
  return { status: r.ok ? 'pass' : 'fail', expected, actual: shown, message: r.ok ? `${counter} = ${shown}` : `${counter} ${r.why}` };
}

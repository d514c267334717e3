// The `tcpStates` kind, judged: TCP sockets per state (and TIME_WAIT as a share of the ephemeral range).
import type { Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { timeWaitRatio } from '../../facts/readings/tcp.js';
import { EPHEMERAL_RANGE } from '../../plan/plan.js';
import { describe, match, show } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import type { CheckOf } from '../../policy/model.js';

function evaluateTcpStates(check: CheckOf<'tcpStates'>, facts: FactsSnapshot): Outcome {
  const e: Record<string, Matcher> = check.expect;
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
  return whys.length ? { status: 'fail', expected, actual, message: whys.join('; ') } : { status: 'pass', expected, actual, message: actual };
}

export function evaluate(c: CheckOf<'tcpStates'>, facts: FactsSnapshot): Outcome {
  return evaluateTcpStates(c, facts);
}

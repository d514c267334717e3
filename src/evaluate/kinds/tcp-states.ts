// The `tcpStates` kind, judged: TCP sockets per state (and TIME_WAIT as a share of the ephemeral range).
import type { Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { peerPiling, pilingWords, timeWaitRatio } from '../../facts/readings/tcp.js';
import { EPHEMERAL_RANGE } from '../../plan/plan.js';
import { about, describe, match, show } from '../matchers.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
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
  const toward = check.selector.spec.toward;
  const piling = sockets.value.tcpPiling;
  if (toward && !piling) return errorOutcome(expected, { code: 'fact-missing', family: 'sockets', at: 'tcpPiling' });
  const peer = toward && piling ? peerPiling(piling, toward) : undefined;
  const states: Record<string, number> = { ...sockets.value.tcpStates, ...(peer ? { SYN_SENT: peer.SYN_SENT.count, CLOSE_WAIT: peer.CLOSE_WAIT.count } : {}) };
  const whys: Reason[] = [];
  const seen: string[] = [];
  for (const [state, m] of Object.entries(e)) {
    if (state === 'TIME_WAIT_RATIO') {
      const tw = states.TIME_WAIT ?? 0;
      const share = timeWaitRatio(facts, tw, EPHEMERAL_RANGE);
      if ('error' in share) return errorOutcome(expected, { code: 'range-unknown', error: share.error });
      seen.push(`TIME_WAIT_RATIO ${show(share.ratio)} (${tw} TIME_WAIT of ${share.ports} ephemeral ports)`);
      const r = match(share.ratio, m);
      if (!r.ok) whys.push({ code: 'time-wait', failures: about('TIME_WAIT_RATIO', r.failures), sockets: tw, ports: share.ports });
      continue;
    }
    const of = peer && (state === 'SYN_SENT' || state === 'CLOSE_WAIT') ? ` ${pilingWords(peer[state].of)}` : '';
    seen.push(`${state} ${states[state] ?? 0}${of}`);
    const r = match(states[state] ?? 0, m);
    whys.push(...about(state, r.failures));
  }
  const actual = seen.join(', ');
  const failed = together(whys);
  return failed ? { status: 'fail', expected, actual, reason: failed } : { status: 'pass', expected, actual, reason: { code: 'matched', seen: actual } };
}

export function evaluate(c: CheckOf<'tcpStates'>, facts: FactsSnapshot): Outcome {
  return evaluateTcpStates(c, facts);
}

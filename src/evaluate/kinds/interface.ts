// The `interface` kind, judged: an interface's state and counters (or every interface but loopback).
import type { Matcher } from '../../policy/model.js';
import type { FactsSnapshot, InterfaceFact } from '../../facts/model.js';
import type { ResultDetail } from '../model.js';
import { carrierOf, isInterfaceUp } from '../../facts/readings/interfaces.js';
import { about, describe, match, show } from '../matchers.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import type { FactValue } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { family, fold } from '../outcome.js';
import type { CheckOf } from '../../policy/model.js';

function ratio(n: number | undefined, d: number | undefined): number {
  return d ? (n ?? 0) / d : 0;
}

/** Interface fields a policy can name: sysfs attributes, counters, and error/drop shares of packets. */
function field(i: InterfaceFact, name: string): FactValue {
  const s = i.stats;
  switch (name) {
    case 'state':
      return i.operstate;
    case 'up':
      // loopback and some virtual links report operstate "unknown" while passing traffic.
      return isInterfaceUp(i);
    case 'carrier':
      // A link set down has no carrier, though the kernel will not read one out for it.
      return carrierOf(i);
    case 'mtu':
      return i.mtu;
    case 'rx_error_ratio':
      return ratio(s.rx_errors, s.rx_packets);
    case 'tx_error_ratio':
      return ratio(s.tx_errors, s.tx_packets);
    case 'rx_drop_ratio':
      return ratio(s.rx_dropped, s.rx_packets);
    case 'tx_drop_ratio':
      return ratio(s.tx_dropped, s.tx_packets);
    default:
      return s[name];
  }
}

function expectText(e: Record<string, Matcher>): string {
  return Object.entries(e)
    .map(([k, m]) => `${k} ${describe(m)}`)
    .join(', ');
}

function judgeInterface(i: InterfaceFact, e: Record<string, Matcher>): ResultDetail {
  const whys: Reason[] = [];
  const seen: string[] = [];
  for (const [k, m] of Object.entries(e)) {
    const v = field(i, k);
    seen.push(`${k} ${show(v)}`);
    whys.push(...about(k, match(v, m).failures));
  }
  if (i.adminUp === false) seen.push('administratively down');
  // actual is what was seen; why it fails goes after it, so the item line reads as observation then verdict.
  const failed = together(whys);
  const actual = seen.join(', ');
  return { subject: i.name, status: failed ? 'fail' : 'pass', actual, ...(failed ? { reason: { ...failed, observed: actual } } : {}) };
}

export function evaluateInterface(check: CheckOf<'interface'>, name: string, facts: FactsSnapshot): Outcome {
  const e: Record<string, Matcher> = check.expect;
  const expected = expectText(e);
  const fam = family(facts, 'interfaces', expected);
  if (!fam.ok) return fam.outcome;
  // "*" means every interface that carries traffic off the host.
  const targets = name === '*' ? Object.values(fam.value).filter((i) => !i.loopback) : [fam.value[name]].filter((i): i is InterfaceFact => !!i);
  if (targets.length === 0) {
    if (name === '*') return { status: 'skip', expected, actual: 'no interfaces besides loopback', reason: { code: 'no-interfaces' } };
    return { status: 'fail', expected, actual: 'absent', reason: { code: 'no-such-interface', name } };
  }
  const details = targets.map((i) => judgeInterface(i, e));
  const out = fold(expected, details, 'interfaces');
  const one = details[0]!;
  if (targets.length === 1) out.reason = one.reason ? { ...one.reason, at: one.subject } : { code: 'matched', at: one.subject, seen: one.actual };
  return out;
}

export function evaluate(c: CheckOf<'interface'>, facts: FactsSnapshot): Outcome {
  return evaluateInterface(c, c.selector.name, facts);
}

import type { Check, Matcher } from '../../policy/model.js';
import type { FactsSnapshot, InterfaceFact } from '../../facts/model.js';
import type { ResultDetail } from '../model.js';
import { isInterfaceUp } from '../../facts/readings/interfaces.js';
import { describe, match, show } from '../matchers.js';
import type { FactValue } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { family, fold } from '../outcome.js';

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
      return i.carrier;
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
  const whys: string[] = [];
  const seen: string[] = [];
  for (const [k, m] of Object.entries(e)) {
    const v = field(i, k);
    seen.push(`${k} ${show(v)}`);
    const r = match(v, m);
    if (!r.ok) whys.push(`${k} ${r.why}`);
  }
  // actual is what was seen; why it fails goes after it, so the item line reads as observation then verdict.
  return { subject: i.name, status: whys.length ? 'fail' : 'pass', actual: whys.length ? `${seen.join(', ')} (${whys.join('; ')})` : seen.join(', ') };
}

export function evaluateInterface(check: Check, name: string, facts: FactsSnapshot): Outcome {
  const e = (check.expect ?? {}) as Record<string, Matcher>;
  const expected = expectText(e);
  const fam = family(facts, 'interfaces', expected);
  if (!fam.ok) return fam.outcome;
  // "*" means every interface that carries traffic off the host.
  const targets = name === '*' ? Object.values(fam.value).filter((i) => !i.loopback) : [fam.value[name]].filter((i): i is InterfaceFact => !!i);
  if (targets.length === 0) {
    if (name === '*') return { status: 'skip', expected, actual: 'no interfaces besides loopback', message: 'no non-loopback interface on this host' };
    return { status: 'fail', expected, actual: 'absent', message: `interface ${name} does not exist` };
  }
  const details = targets.map((i) => judgeInterface(i, e));
  const out = fold(expected, details, 'interfaces');
  if (targets.length === 1) out.message = `${details[0]!.subject}: ${details[0]!.actual}`;
  return out;
}

export function evaluateRoute(check: Check, dest: string, facts: FactsSnapshot): Outcome {
  const e = (check.expect ?? {}) as { exists?: boolean; via?: Matcher; dev?: Matcher };
  const parts: string[] = [];
  if (e.exists !== undefined) parts.push(e.exists ? 'exists' : 'absent');
  if (e.via !== undefined) parts.push(`via ${describe(e.via)}`);
  if (e.dev !== undefined) parts.push(`dev ${describe(e.dev)}`);
  const expected = parts.join(', ') || 'exists';
  const fam = family(facts, 'routes', expected);
  if (!fam.ok) return fam.outcome;
  const wantDest = dest === 'default6' ? 'default' : dest;
  const rs = fam.value.filter((r) => r.dest === wantDest && (dest !== 'default6' || r.family === 6));
  const actual = rs.length ? rs.map((r) => `${r.dest}${r.via ? ` via ${r.via}` : ''} dev ${r.dev}`).join('; ') : `no ${dest} route`;
  const mustExist = e.exists ?? true;
  if (rs.length === 0) {
    return mustExist
      ? { status: 'fail', expected, actual, message: `no ${dest} route` }
      : { status: 'pass', expected, actual, message: `no ${dest} route` };
  }
  if (!mustExist) return { status: 'fail', expected, actual, message: `a ${dest} route exists: ${actual}` };
  const whys: string[] = [];
  if (e.via !== undefined && !rs.some((r) => match(r.via, e.via!).ok)) whys.push(`gateway is ${rs.map((r) => r.via ?? 'none').join(', ')}`);
  if (e.dev !== undefined && !rs.some((r) => match(r.dev, e.dev!).ok)) whys.push(`device is ${rs.map((r) => r.dev).join(', ')}`);
  return whys.length ? { status: 'fail', expected, actual, message: whys.join('; ') } : { status: 'pass', expected, actual, message: actual };
}

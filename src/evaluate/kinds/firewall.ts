// The `firewall` kind, judged: a chain's effective policy, from the ruleset's reading.
import type { FirewallSelector } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { effectivePolicy } from '../../facts/readings/firewall.js';
import type { Outcome } from '../outcome.js';
import { family } from '../outcome.js';
import { ipv6Off } from '../../facts/readings/ipv6.js';
import type { CheckOf } from '../../policy/model.js';

/**
 * Why IPv6 does not apply on this host, if it does not. An absent or unreadable ipv6 fact (an older snapshot, a
 * failed read) says nothing, so both families are judged as before.
 */
export function evaluateFirewall(check: CheckOf<'firewall'>, sel: FirewallSelector, facts: FactsSnapshot): Outcome {
  const e = check.expect;
  const want = e.policy === undefined ? [] : Array.isArray(e.policy) ? e.policy : [e.policy];
  const fam = sel.family ?? 'inet';
  const expected = `${sel.chain} policy ${want.join(' or ')}`;
  const off = ipv6Off(facts);
  // An IPv6 filter on a host without IPv6 guards nothing: there are no IPv6 packets to let through.
  if (fam === 'ip6' && off) return { status: 'skip', expected, actual: 'IPv6 disabled', reason: { code: 'ipv6-off', why: off, bare: true } };
  const fw = family(facts, 'firewall', expected);
  if (!fw.ok) return fw.outcome;
  // IPv6 switched off is not IPv6 left open: judge inet on IPv4 alone, and say so.
  const judgedOn = fam === 'inet' && off ? 'ip' : fam;
  const eff = effectivePolicy(fw.value, sel.chain, judgedOn);
  const v4only = judgedOn !== fam ? `; IPv4 only: ${off}` : '';
  const managers = fw.value.managers.length ? ` [managed by ${fw.value.managers.join(', ')}]` : '';
  const actual = `${eff.verdict} (${eff.reason}${v4only})${managers}`;
  const ok = want.length === 0 || want.includes(eff.verdict);
  const verdict = { chain: sel.chain, family: fam, verdict: eff.verdict, ...(judgedOn !== fam ? { ipv4Only: true } : {}) };
  return {
    status: ok ? 'pass' : 'fail',
    expected,
    actual,
    reason: ok ? { code: 'firewall-verdict', ...verdict, wanted: [] } : { code: 'firewall-verdict', ...verdict, wanted: want },
  };
}

export function evaluate(c: CheckOf<'firewall'>, facts: FactsSnapshot): Outcome {
  return evaluateFirewall(c, c.selector.spec, facts);
}

import type { Check, FirewallSelector } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { effectivePolicy } from '../../facts/readings/firewall.js';
import type { Outcome } from '../outcome.js';
import { family } from '../outcome.js';

export function evaluateFirewall(check: Check, sel: FirewallSelector, facts: FactsSnapshot): Outcome {
  const e = (check.expect ?? {}) as { policy?: string | string[] };
  const want = e.policy === undefined ? [] : Array.isArray(e.policy) ? e.policy : [e.policy];
  const fam = sel.family ?? 'inet';
  const expected = `${sel.chain} policy ${want.join(' or ')}`;
  const fw = family(facts, 'firewall', expected);
  if (!fw.ok) return fw.outcome;
  const eff = effectivePolicy(fw.value, sel.chain, fam);
  const managers = fw.value.managers.length ? ` [managed by ${fw.value.managers.join(', ')}]` : '';
  const actual = `${eff.verdict} (${eff.reason})${managers}`;
  const ok = want.length === 0 || want.includes(eff.verdict);
  return {
    status: ok ? 'pass' : 'fail',
    expected,
    actual,
    message: ok ? `${sel.chain} (${fam}) is ${eff.verdict}` : `${sel.chain} (${fam}) is ${eff.verdict}, not ${want.join(' or ')}`,
  };
}

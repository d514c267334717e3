// The `conntrack` kind: the connection tracking table's usage, entries or limit, against the check's matcher. A
// host without nf_conntrack tracks nothing and has no table to fill: the check does not apply there.
import type { FactsSnapshot } from '../../facts/model.js';
import type { CheckOf } from '../../policy/model.js';
import { about, describe, match, show } from '../matchers.js';
import { together } from '../reasons.js';
import type { Outcome } from '../outcome.js';
import { family } from '../outcome.js';

export function evaluate(check: CheckOf<'conntrack'>, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect);
  const ct = family(facts, 'conntrack', expected);
  if (!ct.ok) return ct.outcome;
  const table = ct.value;
  if (!table.loaded) return { status: 'skip', expected, actual: 'not loaded', reason: { code: 'not-loaded', why: table.reason } };
  const { measure } = check.selector;
  // Judged on the exact share; shown to four places.
  const value = measure === 'usage' ? (table.max > 0 ? table.count / table.max : 0) : table[measure];
  const shown = measure === 'usage' ? `${show(Math.round(value * 10_000) / 10_000)} (${table.count} of ${table.max} entries)` : show(value);
  const r = match(value, check.expect);
  const name = `conntrack ${measure}`;
  return { status: r.ok ? 'pass' : 'fail', expected, actual: shown, reason: together(about(name, r.failures)) ?? { code: 'matched', name, value: shown } };
}

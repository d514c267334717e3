// `plumbline init --from-host`: a policy that holds a host known to be right as it is. The host is read once
// with the baseline's plan (so its sysctls, listeners, limits, firewall and TLS listeners), the baseline judged
// on it, and each capturer (registry.ts) turns its part into checks; write.ts makes the commented file.
import type { Result } from '../evaluate/model.js';
import type { Check, ResolvedPolicy } from '../policy/model.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { CapturedCheck } from './model.js';
import { CAPTURERS } from './registry.js';

export interface CapturedPolicy {
  sections: { title: string; checks: CapturedCheck[] }[];
  /** What could not be captured, and why. */
  leftOut: string[];
}

/**
 * The checks whose plan reads what a capture needs: the baseline's, with every TLS version asked of the host's
 * TLS listeners (the baseline asks only about the old ones), so each version's verdict is known.
 */
export function capturePlanChecks(baseline: ResolvedPolicy): Check[] {
  return baseline.checks.map((c): Check => {
    if (c.selector.kind !== 'tlsListeners') return c;
    return {
      ...c,
      expect: { ...(c.expect as object), versions: { refuse: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] }, certificate: { daysLeft: { gte: 0 } } },
    } as Check;
  });
}

export function capturePolicy(facts: FactsSnapshot, baseline: ResolvedPolicy, results: readonly Result[]): CapturedPolicy {
  const ctx = { facts, baseline, results: new Map(results.map((r) => [r.id, r])) };
  const seen = new Set<string>();
  const out: CapturedPolicy = { sections: [], leftOut: [] };
  for (const c of CAPTURERS) {
    const { checks, leftOut } = c.capture(ctx);
    out.leftOut.push(...leftOut);
    // Two services of one name, say: each check keeps an id of its own.
    for (const k of checks) {
      let id = k.id;
      for (let n = 2; seen.has(id); n++) id = `${k.id}-${n}`;
      seen.add(id);
      k.id = id;
    }
    if (checks.length) out.sections.push({ title: c.section, checks });
  }
  return out;
}

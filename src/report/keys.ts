// What the machine-read renderers (sarif, prometheus) share: keys that stay unique when a policy repeats a check id.
import type { ReportResult as Result } from './model.js';

/**
 * One key per result, in report order: the check id, and for a later result with an id already seen, the id
 * with `#2`, `#3` ... (policies merged from several files can repeat one). Metrics series and code-scanning
 * fingerprints need a key that names exactly one result, and the same one on every run.
 */
export function distinctIds(results: readonly Result[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(results.map((r) => r.id));
  return results.map((r) => {
    const n = (seen.get(r.id) ?? 0) + 1;
    seen.set(r.id, n);
    if (n === 1) return r.id;
    // A policy could hold a real check called "x#2" beside two checks "x": step past it.
    let k = n;
    while (taken.has(`${r.id}#${k}`)) k++;
    const key = `${r.id}#${k}`;
    taken.add(key);
    return key;
  });
}

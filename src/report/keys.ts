// Helpers the machine-read renderers (junit, sarif, prometheus) share: text that every consumer can hold, and
// keys that stay unique when a policy repeats a check id.
import type { Result } from '../evaluate/model.js';

// What XML 1.0 cannot hold at all (C0 controls but tab, newline and CR; lone surrogates; U+FFFE and U+FFFF).
// ANSI colour codes and bells from a command's output land in `actual` and `message`; no consumer shows them
// as intended, and an XML parser refuses the whole file for one of them.
const UNHOLDABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` without the characters XML 1.0 cannot hold; everything else is kept as written. */
export function holdable(s: string): string {
  return s.replace(UNHOLDABLE, '');
}

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


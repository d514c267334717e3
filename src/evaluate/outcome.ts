// What one selector's evaluation yields before policy-level concerns (when, waivers, causes) apply.
import type { ResultDetail } from './model.js';
import type { Reason } from './reasons.js';
import type { FactsSnapshot } from '../facts/model.js';
import { isFamilyError } from '../facts/model.js';

export interface Outcome {
  status: 'pass' | 'fail' | 'error' | 'skip';
  expected: string;
  actual: string;
  reason: Reason;
  details?: ResultDetail[];
}

/** A fact that could not be collected: an error, with why as data. */
export function errorOutcome(expected: string, reason: Reason): Outcome {
  return { status: 'error', expected, actual: '(not collected)', reason };
}

/**
 * A fact family from the snapshot, or the error outcome that explains its absence.
 * A snapshot taken for another policy may lack a family: say so instead of guessing.
 */
export function family<K extends keyof FactsSnapshot>(
  facts: FactsSnapshot,
  name: K,
  expected: string,
): { ok: true; value: Exclude<NonNullable<FactsSnapshot[K]>, { error: string }> } | { ok: false; outcome: Outcome } {
  const v = facts[name];
  if (v === undefined) return { ok: false, outcome: errorOutcome(expected, { code: 'fact-missing', family: String(name) }) };
  if (isFamilyError(v)) return { ok: false, outcome: errorOutcome(expected, { code: 'not-collected', family: String(name), error: v.error }) };
  return { ok: true, value: v as Exclude<NonNullable<FactsSnapshot[K]>, { error: string }> };
}

/**
 * Fold per-item details into one outcome: any fail → fail, else any error → error. Each detail's `actual` is what
 * was seen; its `reasons` why it fails, which the report says after it (or instead, when nothing was seen).
 */
export function fold(expected: string, details: ResultDetail[], noun: string): Outcome {
  const failed = details.filter((d) => d.status === 'fail');
  const errored = details.filter((d) => d.status === 'error');
  // A few items read best in full (the report writes them, with their reasons); many are summarised here.
  const actual =
    details.length <= 3
      ? ''
      : `${details.length} ${noun}: ${details.length - failed.length - errored.length} pass, ${failed.length} fail${errored.length ? `, ${errored.length} error` : ''}`;
  if (failed.length) {
    return { status: 'fail', expected, actual, reason: { code: 'items-failed', failed: failed.map((d) => d.subject), of: details.length, noun }, details };
  }
  if (errored.length) {
    return { status: 'error', expected, actual, reason: { code: 'items-unreadable', count: errored.length, of: details.length, noun }, details };
  }
  return { status: 'pass', expected, actual, reason: { code: 'all-pass', count: details.length, noun }, details };
}

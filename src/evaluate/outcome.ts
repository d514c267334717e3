// What one selector's evaluation yields before policy-level concerns (when, waivers, causes) apply.
import type { ResultDetail, ResultReason } from './model.js';
import type { FactsSnapshot } from '../facts/model.js';
import { isFamilyError } from '../facts/model.js';

export interface Outcome {
  status: 'pass' | 'fail' | 'error' | 'skip';
  expected: string;
  actual: string;
  message: string;
  details?: ResultDetail[];
  reason?: ResultReason;
}

export function errorOutcome(expected: string, reason: string): Outcome {
  return { status: 'error', expected, actual: '(not collected)', message: reason, reason: { code: 'not-collected' } };
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
  if (v === undefined) {
    return { ok: false, outcome: errorOutcome(expected, `the facts snapshot has no "${String(name)}" family (collected for another policy?)`) };
  }
  if (isFamilyError(v)) return { ok: false, outcome: errorOutcome(expected, `could not collect ${String(name)}: ${v.error}`) };
  return { ok: true, value: v as Exclude<NonNullable<FactsSnapshot[K]>, { error: string }> };
}

/** Fold per-item details into one outcome: any error → error, any fail → fail. */
export function fold(expected: string, details: ResultDetail[], noun: string): Outcome {
  const failed = details.filter((d) => d.status === 'fail');
  const errored = details.filter((d) => d.status === 'error');
  // A few items read best in full; many are summarised here and listed one per line by the renderers.
  const actual =
    details.length <= 3
      ? details.map((d) => `${d.subject}: ${d.actual}`).join('; ')
      : `${details.length} ${noun}: ${details.length - failed.length - errored.length} pass, ${failed.length} fail${errored.length ? `, ${errored.length} error` : ''}`;
  if (failed.length) {
    return {
      status: 'fail',
      expected,
      actual,
      message: `${failed.length} of ${details.length} ${noun} fail: ${failed.map((d) => d.subject).join(', ')}`,
      details,
    };
  }
  if (errored.length) {
    return { status: 'error', expected, actual, message: `${errored.length} of ${details.length} ${noun} could not be read`, details };
  }
  return { status: 'pass', expected, actual, message: `all ${details.length} ${noun} pass`, details };
}

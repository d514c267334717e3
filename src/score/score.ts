// Score and verdict. Pure. Severity-weighted share of applicable checks that pass; `error` counts
// against (an unverified check is not a passed one); `skip` and `waived` leave the denominator, and implied
// lower checks are not counted at all.
import type { Severity } from '../policy/model.js';
import type { Result, Status } from '../evaluate/model.js';

/** What scoring reads of a result: its verdict, weight and place, never its words. */
type Scored = Pick<Result, 'id' | 'status' | 'severity' | 'area' | 'impliedBy' | 'cause'>;
import { STATUSES } from '../evaluate/model.js';

export type Counts = Record<Status, number>;

export interface AreaScore {
  area: string;
  score: number;
  counts: Counts;
}

const WEIGHTS: Record<Severity, number> = { critical: 10, high: 5, medium: 3, low: 1, info: 0 };

function emptyCounts(): Counts {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Counts;
}

function countStatuses(results: Scored[]): Counts {
  const c = emptyCounts();
  for (const r of results) c[r.status]++;
  return c;
}

/** Percentage with one decimal; 100 when nothing weighted applies (the counts beside it tell the story). */
export function scoreOf(results: Scored[]): number {
  let earned = 0;
  let possible = 0;
  for (const r of results) {
    if (r.status === 'skip' || r.status === 'waived') continue;
    const w = WEIGHTS[r.severity];
    possible += w;
    if (r.status === 'pass') earned += w;
  }
  return possible === 0 ? 100 : Math.floor((earned / possible) * 1000) / 10;
}

/**
 * The checks that would be a verdict on the host (neither skipped nor implied), when every one of them is an
 * error: then the results say nothing of the host at all (no /proc, every collector refused, an answer cut off
 * before anything came), and no verdict may be drawn from them.
 */
export function unevaluated<R extends Pick<Result, 'status' | 'impliedBy'>>(results: readonly R[]): R[] | undefined {
  const applicable = results.filter((r) => r.status !== 'skip' && r.impliedBy === undefined);
  return applicable.length > 0 && applicable.every((r) => r.status === 'error') ? applicable : undefined;
}

export interface Verdict {
  score: number;
  ready: boolean;
  reason: string;
  counts: Counts;
  areas: AreaScore[];
}

export function verdict(all: Scored[], threshold: number): Verdict {
  // Implied lower checks explain failures; the upper checks they stand under already carry the weight.
  const results = all.filter((r) => r.impliedBy === undefined);
  const score = scoreOf(results);
  const counts = countStatuses(results);
  const areaNames = [...new Set(results.map((r) => r.area))].sort();
  const areas = areaNames.map((area) => {
    const rs = results.filter((r) => r.area === area);
    return { area, score: scoreOf(rs), counts: countStatuses(rs) };
  });
  // A critical check that failed — or could not be verified — blocks readiness whatever the score.
  const blocking = results.filter((r) => r.severity === 'critical' && (r.status === 'fail' || r.status === 'error'));
  // Nothing passed or failed (no checks, or every one skipped or unverifiable): no evidence of readiness, whatever
  // the score says of an empty denominator.
  const judged = results.filter((r) => r.status === 'pass' || r.status === 'fail' || r.status === 'waived').length;
  let reason: string;
  if (judged === 0) {
    reason =
      results.length === 0
        ? 'no check to judge: the policy has none'
        : `no check could be judged: ${[counts.skip ? `${counts.skip} skipped` : '', counts.error ? `${counts.error} could not be verified` : ''].filter(Boolean).join(', ')}`;
  } else if (blocking.length) {
    // A failure with a cause names it: the verdict points where to start, not at a symptom alone.
    const failed = blocking.filter((r) => r.status === 'fail').map((r) => (r.cause ? `${r.id} (because ${r.cause} failed)` : r.id));
    const errored = blocking.filter((r) => r.status === 'error').map((r) => r.id);
    reason = [
      failed.length ? `critical check${failed.length > 1 ? 's' : ''} failed: ${failed.join(', ')}` : '',
      errored.length ? `critical check${errored.length > 1 ? 's' : ''} could not be verified: ${errored.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  } else if (score < threshold) {
    reason = `score ${score} is below the threshold ${threshold}`;
  } else {
    reason = `score ${score} meets the threshold ${threshold} and no critical check failed`;
  }
  return { score, ready: judged > 0 && blocking.length === 0 && score >= threshold, reason, counts, areas };
}

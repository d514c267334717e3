// Assemble the report from results. Pure: the clock and version are inputs.
import type { ResolvedPolicy } from '../policy/model.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { Report, ReportResult } from './model.js';
import type { Result } from '../evaluate/model.js';
import { verdict } from '../score/score.js';
import type { WaiverUse } from '../evaluate/waivers.js';
import { worded } from './reasons.js';

const ORDER = { fail: 0, error: 1, waived: 2, skip: 3, pass: 4 } as const;
/** critical 0 … info 4: the order every renderer lists severities in. */
export const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;

/** Worst first: failures by severity, then errors, then the rest; ties keep policy order. */
export function byImportance(a: Pick<Result, 'status' | 'severity'>, b: Pick<Result, 'status' | 'severity'>): number {
  return ORDER[a.status] - ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}

function rootCauses(results: ReportResult[]): Report['rootCauses'] {
  const explains = new Map<string, string[]>();
  for (const r of results) if (r.cause !== undefined) explains.set(r.cause, [...(explains.get(r.cause) ?? []), r.id]);
  return results
    .filter((r) => r.cause === undefined && explains.has(r.id))
    .sort(byImportance)
    .map((r) => ({ id: r.id, explains: explains.get(r.id)! }));
}

/**
 * The report of a run. Results come from evaluation and are worded here (`reasons.ts`); a result that carries its
 * words already (a saved report's, rebuilt) keeps them.
 */
export function buildReport(
  policy: ResolvedPolicy,
  facts: FactsSnapshot,
  evaluated: ReadonlyArray<Result | ReportResult>,
  opts: { threshold: number; now: Date; version: string; waivers?: WaiverUse[] },
): Report {
  const results = evaluated.map((r) => ('message' in r ? r : worded(r)));
  const v = verdict(results, opts.threshold);
  return {
    schema: 'plumbline/report/v1',
    tool: { name: 'plumbline', version: opts.version },
    policy: { name: policy.name, sources: policy.sources },
    host: { ...facts.host },
    generatedAt: opts.now.toISOString(),
    score: v.score,
    threshold: opts.threshold,
    ready: v.ready,
    verdictReason: v.reason,
    counts: v.counts,
    areas: v.areas,
    rootCauses: rootCauses(results),
    results,
    ...(opts.waivers ? { waivers: opts.waivers } : {}),
    facts,
  };
}

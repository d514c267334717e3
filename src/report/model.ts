// The report: results as data. Renderers only read this; they never judge.
import type { Result } from '../evaluate/model.js';
import type { Reason } from '../evaluate/reasons.js';
import type { AreaScore, Counts } from '../score/score.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { WaiverUse } from '../evaluate/waivers.js';

/**
 * A result as the report holds it: the evaluation's result with its message, made from its reason at the edge
 * (`reasons.ts`). A report written before reasons were data has no `reason`, or one with a code alone: renderers
 * read the message, so it renders all the same.
 */
export type ReportResult = Omit<Result, 'reason'> & { message: string; reason?: Reason };

export interface Report {
  schema: 'plumbline/report/v1';
  tool: { name: 'plumbline'; version: string };
  policy: { name: string; sources: string[] };
  host: { hostname: string; kernel: string; collectedAt: string; transport: string };
  generatedAt: string;
  score: number;
  threshold: number;
  ready: boolean;
  /** Why the verdict is what it is, in one sentence. */
  verdictReason: string;
  counts: Counts;
  areas: AreaScore[];
  /**
   * The failing checks that no lower failure explains but that explain others, worst first, each with the
   * checks failing because of it: where to start fixing.
   */
  rootCauses: { id: string; explains: string[] }[];
  results: ReportResult[];
  /** With a waivers file (--waivers): what each of its waivers did on this host, stale and expired ones too. */
  waivers?: WaiverUse[];
  /**
   * The facts the verdict was reached on (the snapshot `plumbline facts` would write), so that a saved report
   * can be rendered again in full, appendix included, and a verdict can be traced to what was seen.
   */
  facts?: FactsSnapshot;
}

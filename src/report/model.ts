// The report: results as data. Renderers only read this; they never judge.
import type { Result } from '../evaluate/model.js';
import type { AreaScore, Counts } from '../score/score.js';

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
  results: Result[];
}

// The report: results as data. Renderers only read this; they never judge.
import type { Severity, SourcePos } from '../policy/model.js';

export const STATUSES = ['pass', 'fail', 'error', 'skip', 'waived'] as const;
export type Status = (typeof STATUSES)[number];

export type Counts = Record<Status, number>;

/** One item behind a result: a process, a listener, a chain ... with its own verdict. */
export interface ResultDetail {
  subject: string;
  status: 'pass' | 'fail' | 'error';
  actual: string;
}

export interface Result {
  id: string;
  title: string;
  area: string;
  severity: Severity;
  status: Status;
  /** Human-readable expectation, e.g. ">= 4096" or "bind loopback". */
  expected: string;
  /** Human-readable observation, e.g. "128" or "0.0.0.0:6379 (redis-server)". */
  actual: string;
  message: string;
  remediation?: string;
  rationale?: string;
  /** The lower check whose failure explains this one (root cause, bottom-up). */
  cause?: string;
  details?: ResultDetail[];
  waiver?: { reason: string; expires?: string; status: Status };
  tags: string[];
  refs: string[];
  source: SourcePos;
}

export interface AreaScore {
  area: string;
  score: number;
  counts: Counts;
}

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
  results: Result[];
}

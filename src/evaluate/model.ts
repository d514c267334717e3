// The result model: what evaluation says about each check. Score counts it, reports render it.
import type { Severity, SourcePos } from '../policy/model.js';
import type { Reason } from './reasons.js';

export const STATUSES = ['pass', 'fail', 'error', 'skip', 'waived'] as const;
export type Status = (typeof STATUSES)[number];

/** One item behind a result: a process, a listener, a chain ... with its own verdict. */
export interface ResultDetail {
  subject: string;
  status: 'pass' | 'fail' | 'error';
  /** What was seen of the item. */
  actual: string;
  /** Why the item fails or could not be read; the report says it after what was seen (or instead, when nothing was). */
  reason?: Reason;
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
  /**
   * Why the result is what it is, as data (`src/evaluate/reasons.ts`): root causes and renderers decide on the
   * code, never on words; the report makes the message from it.
   */
  reason: Reason;
  remediation?: string;
  rationale?: string;
  /** The lower check whose failure explains this one (root cause, bottom-up). */
  cause?: string;
  /** A lower check plumbline made for these checks (the policy declared none): reported, not scored. */
  impliedBy?: string[];
  details?: ResultDetail[];
  /** The waiver that made this result `waived`: its words, owner, date, where it is written, and the status under it. */
  waiver?: { reason: string; expires?: string; owner?: string; source?: SourcePos; status: Status };
  tags: string[];
  refs: string[];
  source: SourcePos;
  /**
   * Set when the check comes from a built-in policy the user extended: the user's `extends` entry that brought it
   * in. Findings are shown there (code scanning, annotations), never at a file inside plumbline.
   */
  anchor?: SourcePos;
}

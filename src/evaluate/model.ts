// The result model: what evaluation says about each check. Score counts it, reports render it.
import type { Severity, SourcePos } from '../policy/model.js';

export const STATUSES = ['pass', 'fail', 'error', 'skip', 'waived'] as const;
export type Status = (typeof STATUSES)[number];

/** One item behind a result: a process, a listener, a chain ... with its own verdict. */
export interface ResultDetail {
  subject: string;
  status: 'pass' | 'fail' | 'error';
  actual: string;
}

/**
 * Why a result is what it is, as data: root causes and renderers decide on the code, never on the words. Codes:
 * `not-collected` (the fact could not be collected; the message says why), `not-in-snapshot` (a saved snapshot,
 * taken for another policy, lacks the fact: no verdict on the host, and so no cause), `caused-by` (made a failure
 * by the failing lower check named in `cause`), `evaluation-failed` (plumbline's own error).
 */
export interface ResultReason {
  code: 'not-collected' | 'not-in-snapshot' | 'caused-by' | 'evaluation-failed';
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
  /** A lower check plumbline made for these checks (the policy declared none): reported, not scored. */
  impliedBy?: string[];
  details?: ResultDetail[];
  reason?: ResultReason;
  waiver?: { reason: string; expires?: string; status: Status };
  tags: string[];
  refs: string[];
  source: SourcePos;
  /**
   * Set when the check comes from a built-in policy the user extended: the user's `extends` entry that brought it
   * in. Findings are shown there (code scanning, annotations), never at a file inside plumbline.
   */
  anchor?: SourcePos;
}

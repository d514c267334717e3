// Which findings become annotations on the job page. GitHub shows about ten of each level per step and
// drops the rest without a word, so the worst are chosen here and the rest are counted for the summary.
import type { Report } from '../report/model.js';
import type { ReportResult as Result } from '../report/model.js';
import { byImportance } from '../report/build.js';
import { sanitize } from '../report/sanitize.js';
import { seen } from '../report/listing.js';
import { clip } from '../report/reading.js';

type Level = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: Level;
  title: string;
  message: string;
  /** Absent when the check has no file in the workspace (a built-in policy run on its own). */
  file?: string;
  line?: number;
  column?: number;
}

/** Shown per step and level by GitHub. */
export const PER_LEVEL = 10;

/**
 * Characters of one annotation's message: a few lines to read beside the policy line, far under the 65,535 GitHub
 * takes (a runaway remediation or expectation is cut, the rest is in the summary and the reports).
 */
const MESSAGE_CHARS = 4096;

function levelOf(r: Result): Level {
  // An unverified check is not a failure, but it is no pass either: a reader should see it.
  if (r.status === 'error') return 'warning';
  return r.severity === 'critical' || r.severity === 'high' ? 'error' : r.severity === 'medium' ? 'warning' : 'notice';
}

/** One line of findings: the message (a long list in it cut when it was worded, listing.ts), then the count of items. */
function messageOf(r: Result): string {
  if (r.status === 'error') return `could not be verified: ${r.message}`;
  const parts = [r.message, `expected ${r.expected}, got ${seen(r)}`];
  if (r.cause) parts.push(`fails because ${r.cause} fails: fix that first`);
  if (r.remediation) parts.push(`fix: ${r.remediation}`);
  return parts.join('\n');
}

/**
 * The worst failures and errors as annotations, at most PER_LEVEL per level, placed at the policy line that
 * declared each check (for a built-in check, the user's `extends` line). `isWorkspaceFile` says which files a
 * reader of the repository has; the others get no position.
 */
export function annotationsFor(report: Report, isWorkspaceFile: (file: string) => boolean): { annotations: Annotation[]; left: number } {
  const findings = report.results.filter((r) => (r.status === 'fail' || r.status === 'error') && r.impliedBy === undefined).sort(byImportance);
  const used: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const annotations: Annotation[] = [];
  let left = 0;
  for (const r of findings) {
    const level = levelOf(r);
    if (used[level] >= PER_LEVEL) {
      left++;
      continue;
    }
    used[level]++;
    const at = r.anchor ?? r.source;
    annotations.push({
      level,
      // GitHub shows annotations as plain text: the report's one rule for shown text, and no other escaping.
      title: sanitize(`${r.severity.toUpperCase()} ${r.id}: ${r.title}`).replace(/\n/g, ' '),
      message: clip(sanitize(messageOf(r)), MESSAGE_CHARS),
      ...(isWorkspaceFile(at.file) ? { file: at.file, line: at.line, column: at.column } : {}),
    });
  }
  return { annotations, left };
}

// What the markdown and HTML renderers share, for a person reading them: the clipping of a runaway field, and
// the one reading of a report into what a person reads first, the pretty report's order.
import type { Report } from './model.js';
import type { ReportResult as Result } from './model.js';
import { byImportance } from './build.js';

/** At most `max` characters, saying how many more there are, so one runaway field cannot fill a report. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters in the JSON report)` : s;
}

interface RootCause {
  result: Result;
  /** The failing checks it explains, directly or through another symptom, worst first. */
  symptoms: Result[];
}

export interface Sections {
  rootCauses: RootCause[];
  /** Failures that are neither a root cause nor explained by one, worst first. */
  failures: Result[];
  /** Failures with a cause whose chain reaches no listed root cause (a report from elsewhere): still shown. */
  orphans: Result[];
  /** Every failure with a cause, worst first. */
  symptoms: Result[];
  errors: Result[];
  waived: Result[];
  skips: Result[];
  passes: Result[];
  /** The results shown at all: implied lower checks only where they explain a failure. */
  shown: Result[];
}

export function sections(report: Report): Sections {
  const byId = new Map<string, Result>();
  for (const r of report.results) if (!byId.has(r.id)) byId.set(r.id, r);
  const causes = new Set<string>(report.rootCauses.map((c) => c.id));
  for (const r of report.results) if (r.cause !== undefined) causes.add(r.cause);
  const shown = report.results.filter((r) => r.impliedBy === undefined || causes.has(r.id)).sort(byImportance);

  // A report from elsewhere may repeat an id: each rootCauses entry takes the next result of its id, so no
  // result is lost, and a cause points at the first of them.
  const ofId = new Map<string, Result[]>();
  for (const r of shown) ofId.set(r.id, [...(ofId.get(r.id) ?? []), r]);
  const roots = new Map<string, RootCause>();
  const rootResults = new Set<Result>();
  const list: RootCause[] = [];
  for (const c of report.rootCauses) {
    // Only a failing or unreadable check is a cause; anything else a foreign report names stays in its place.
    const result = ofId.get(c.id)?.find((r) => !rootResults.has(r) && (r.status === 'fail' || r.status === 'error'));
    if (!result) continue;
    rootResults.add(result);
    const root = { result, symptoms: [] };
    list.push(root);
    if (!roots.has(c.id)) roots.set(c.id, root);
  }
  // A symptom belongs under the root its chain of causes reaches; the seen-set stops a cycle in a foreign report.
  const rootOf = (r: Result): RootCause | undefined => {
    const seen = new Set<string>();
    let at: Result | undefined = r;
    while (at?.cause !== undefined && !seen.has(at.id)) {
      seen.add(at.id);
      const root = roots.get(at.cause);
      if (root) return root;
      at = byId.get(at.cause);
    }
    return undefined;
  };

  const s: Sections = { rootCauses: list, failures: [], orphans: [], symptoms: [], errors: [], waived: [], skips: [], passes: [], shown };
  for (const r of shown) {
    if (rootResults.has(r)) continue;
    if (r.status === 'fail' && r.cause !== undefined) {
      s.symptoms.push(r);
      const root = rootOf(r);
      if (root) root.symptoms.push(r);
      else s.orphans.push(r);
    } else if (r.status === 'fail') s.failures.push(r);
    else if (r.status === 'error') s.errors.push(r);
    else if (r.status === 'waived') s.waived.push(r);
    else if (r.status === 'skip') s.skips.push(r);
    else s.passes.push(r);
  }
  return s;
}

/** The line that declared the check and, for a built-in one, the user's `extends` line that brought it in. */
export function where(r: Result): string {
  const at = `${r.source.file}:${r.source.line}:${r.source.column}`;
  return r.anchor ? `${at} (extended at ${r.anchor.file}:${r.anchor.line}:${r.anchor.column})` : at;
}

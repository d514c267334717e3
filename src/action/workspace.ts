// Paths as the repository knows them. Policy files are named relative to the working directory the audit ran
// in; annotations and code scanning want them relative to the checkout (GITHUB_WORKSPACE).
import * as path from 'node:path';
import type { Report } from '../report/model.js';
import type { SourcePos } from '../policy/model.js';

/** `file` (relative to `cwd`, or absolute) relative to `workspace`, or undefined when it lies outside. */
export function inWorkspace(file: string, cwd: string, workspace: string): string | undefined {
  if (file.startsWith('builtin:')) return undefined;
  const rel = path.relative(workspace, path.resolve(cwd, file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The report with every policy position inside the workspace named from the workspace root. */
export function rebased(report: Report, cwd: string, workspace: string): Report {
  const move = (p: SourcePos): SourcePos => {
    const rel = inWorkspace(p.file, cwd, workspace);
    return rel === undefined ? p : { ...p, file: rel };
  };
  return {
    ...report,
    policy: { ...report.policy, sources: report.policy.sources.map((f) => inWorkspace(f, cwd, workspace) ?? f) },
    results: report.results.map((r) => ({ ...r, source: move(r.source), ...(r.anchor ? { anchor: move(r.anchor) } : {}) })),
  };
}

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

/**
 * The report with every policy position inside the workspace named from the workspace root. A check that the
 * repository declares nowhere (a built-in policy run as it is, with no policy file of the user's) is shown at
 * `fallback`, the workflow step that asked for it, when there is one: code scanning needs a file in the
 * repository for every result, and plumbline's own files are not in it.
 */
export function rebased(report: Report, cwd: string, workspace: string, fallback?: SourcePos): Report {
  const move = (p: SourcePos): SourcePos | undefined => {
    const rel = inWorkspace(p.file, cwd, workspace);
    return rel === undefined ? undefined : { ...p, file: rel };
  };
  return {
    ...report,
    policy: { ...report.policy, sources: report.policy.sources.map((f) => inWorkspace(f, cwd, workspace) ?? f) },
    results: report.results.map((r) => {
      const source = move(r.source);
      const anchor = r.anchor ? move(r.anchor) : undefined;
      const out = { ...r, source: source ?? r.source };
      if (r.waiver?.source) out.waiver = { ...r.waiver, source: move(r.waiver.source) ?? r.waiver.source };
      if (anchor) out.anchor = anchor;
      else if (!source && fallback) out.anchor = fallback;
      return out;
    }),
    ...(report.waivers ? { waivers: report.waivers.map((u) => ({ ...u, source: move(u.source) ?? u.source })) } : {}),
  };
}

/**
 * The line of the running workflow that uses this action (GITHUB_WORKFLOW_REF names the workflow file,
 * GITHUB_ACTION_REPOSITORY the action), when the workflow file is in the checkout.
 */
export function workflowStep(workspace: string, env: NodeJS.ProcessEnv, read: (file: string) => string | undefined): SourcePos | undefined {
  const ref = env.GITHUB_WORKFLOW_REF;
  const m = ref ? /^[^/]+\/[^/]+\/(.+?)@/.exec(ref) : null;
  if (!m) return undefined;
  const file = m[1]!;
  const text = read(path.join(workspace, file));
  if (text === undefined) return undefined;
  const repo = env.GITHUB_ACTION_REPOSITORY;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s*(-\s*)?uses:/.test(l) && (repo ? l.includes(repo) : /plumbline/.test(l)));
  const at = Math.max(i, 0);
  return { file, line: at + 1, column: Math.max(1, lines[at]!.search(/\S/) + 1) };
}

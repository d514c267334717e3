// Validate: the schema's problems (schema-messages.ts) and the rules beyond it (rules.ts) on one loaded file,
// merged into one friendly line per problem, each at the key or value that caused it.
import { issueAt, posAt } from './load.js';
import type { LoadedPolicy } from './load.js';
import type { DataPath, RawIssue } from './data-path.js';
import { getPath, pointerToPath } from './data-path.js';
import { isSelector } from './model.js';
import type { PolicyIssue } from './model.js';
import { schemaIssues } from './schema-messages.js';
import { checksWithManySelectors, nonFiniteNumbers, notAPolicy, semanticIssues } from './rules.js';
import { isObject } from '../lib/is-object.js';

export interface ValidationResult {
  issues: PolicyIssue[];
  /** Indices of checks (in this file's `checks`) that have an issue; resolve leaves them out. */
  badChecks: Set<number>;
}

export function validateLoaded(loaded: LoadedPolicy): ValidationResult {
  if (loaded.issues.length > 0 || loaded.value === undefined) return { issues: [...loaded.issues], badChecks: new Set() };
  const value = loaded.value;
  if (value === null) {
    return { issues: [issueAt(loaded, [], 'policy file is empty; it needs apiVersion, kind and metadata')], badChecks: new Set() };
  }
  const other = isObject(value) ? notAPolicy(value) : undefined;
  if (other) return toResult(loaded, [other]);
  const semantic = [...nonFiniteNumbers(value), ...semanticIssues(value, (s) => !hasVarRef(s))];
  // Where a rule says more than the schema could (an address's reason, an infinite number), the schema is quiet.
  const overridden = new Set(semantic.filter((r) => r.overridesSchema).map((r) => r.path.join('\0')));
  const skipExpect = checksWithManySelectors(value);
  const suppressNoSelector = new Set<number>();
  const schemaRaw = schemaIssues(value, value, (e) => {
    const p = pointerToPath(e.instancePath);
    if (overridden.has(p.join('\0'))) return false;
    // In a check, a `${var}` stands in for a value of any type until vars are merged; resolve re-validates
    // after interpolation. Ids and when.var are names, never interpolated.
    if (typeof e.data === 'string' && hasVarRef(e.data) && isInterpolated(p)) return false;
    if (p[0] === 'checks' && typeof p[1] === 'number' && p[2] === 'expect' && skipExpect.has(p[1])) return false;
    return true;
  });
  for (const r of schemaRaw) {
    // A misspelt selector already says what is wrong; "no fact selector" on top would only repeat it.
    if (r.path.length === 2 && r.path[0] === 'checks' && r.suggestion && isSelector(r.suggestion)) {
      suppressNoSelector.add(r.path[1] as number);
    }
  }
  const noSelector = semantic.filter((r) => r.noSelector !== undefined && !suppressNoSelector.has(r.noSelector));
  const noSelectorAt = new Set(noSelector.map((r) => r.noSelector));
  const all = [
    // "add a selector" already implies an expect; asking for expect alone would send the reader the wrong way.
    ...schemaRaw.filter((r) => !(r.missingExpect !== undefined && noSelectorAt.has(r.missingExpect))),
    ...semantic.filter((r) => r.noSelector === undefined),
    ...noSelector,
  ];
  return toResult(loaded, all);
}

/**
 * Re-validates one check after `${var}` interpolation, reporting only problems at values that held a
 * variable reference: everything else was already judged on the file as written.
 */
export function revalidateCheck(loaded: LoadedPolicy, index: number, original: unknown, interpolated: unknown): PolicyIssue[] {
  const wrapper = { apiVersion: 'plumbline/v1', kind: 'Policy', metadata: { name: 'x' }, checks: [interpolated] };
  const fromVar = (rel: DataPath): string | undefined => {
    const orig = getPath(original, rel);
    return typeof orig === 'string' && hasVarRef(orig) ? orig : undefined;
  };
  const sem = semanticIssues(
    wrapper,
    () => true,
    (paths) => paths.some((p) => fromVar(p.slice(2)) !== undefined),
  );
  const overridden = new Set(sem.filter((r) => r.overridesSchema).map((r) => r.path.join('\0')));
  const raw: RawIssue[] = [];
  for (const r of schemaIssues(wrapper, wrapper, (e) => !overridden.has(pointerToPath(e.instancePath).join('\0')))) {
    const rel = r.path.slice(2);
    const orig = r.key === undefined ? fromVar(rel) : undefined;
    if (orig !== undefined)
      raw.push({ path: ['checks', index, ...rel], message: `${r.message} (from "${orig}")`, vars: varNames(orig), valueProblem: r.message });
  }
  for (const r of sem) {
    if (r.noSelector !== undefined) continue;
    const orig = r.key === undefined ? fromVar(r.path.slice(2)) : undefined;
    const message = orig !== undefined ? `${r.message} (from "${orig}")` : r.message;
    raw.push({
      path: ['checks', index, ...r.path.slice(2)],
      ...(r.key ? { key: r.key } : {}),
      message,
      ...(orig !== undefined ? { vars: varNames(orig), valueProblem: r.message } : {}),
    });
  }
  return toResult(loaded, raw).issues;
}

function toResult(loaded: LoadedPolicy, raw: RawIssue[]): ValidationResult {
  const badChecks = new Set<number>();
  const seen = new Set<string>();
  const issues: PolicyIssue[] = [];
  for (const r of raw) {
    if (r.path[0] === 'checks' && typeof r.path[1] === 'number') badChecks.add(r.path[1]);
    const message = r.firstAt ? `${r.message}; first declared on line ${posAt(loaded, r.firstAt).line}` : r.message;
    const issue: PolicyIssue = {
      ...issueAt(loaded, r.path, message, r.key !== undefined ? { key: r.key } : {}),
      ...(r.vars ? { vars: r.vars } : {}),
      ...(r.valueProblem ? { valueProblem: r.valueProblem } : {}),
    };
    const k = `${issue.line}:${issue.column}:${issue.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    issues.push(issue);
  }
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { issues, badChecks };
}

/** Whether resolve interpolates `${var}` in the value at this path: strings in checks, except names. */
export function isInterpolated(path: DataPath): boolean {
  if (path[0] !== 'checks' || typeof path[1] !== 'number' || path.length < 3) return false;
  if (path.length === 3 && path[2] === 'id') return false;
  if (path.length === 4 && path[2] === 'when' && path[3] === 'var') return false;
  return true;
}

/** The names of the vars a string refers to (`${name}`, `${host.vars.x}`), each once. */
function varNames(s: string): string[] {
  return [...new Set([...s.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/g)].map((m) => m[1]!))];
}

function hasVarRef(s: string): boolean {
  return s.includes('${');
}

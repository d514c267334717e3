// Validate: the generated schema validator (schemas/policy.schema.json) plus the rules a schema cannot say
// well, turned into one friendly line per problem, each at the key or value that caused it.
import type { ErrorObject } from 'ajv';
import { validate as validateSchema } from './generated/policy-validator.js';
import { issueAt, posAt } from './load.js';
import type { DataPath, LoadedPolicy } from './load.js';
import { SELECTORS } from './model.js';
import type { PolicyIssue } from './model.js';

/** An issue before it has a position: where in the value, and optionally which key of the map there. */
interface RawIssue {
  path: DataPath;
  key?: string;
  message: string;
  /** An earlier declaration to mention: "; first declared on line N" is appended once positions are known. */
  firstAt?: DataPath;
}

export interface ValidationResult {
  issues: PolicyIssue[];
  /** Indices of checks (in this file's `checks`) that have an issue; resolve leaves them out. */
  badChecks: Set<number>;
}

/** Validates a loaded policy file; returns its load issues when it could not be read as data. */
export function validatePolicy(loaded: LoadedPolicy): PolicyIssue[] {
  return validateLoaded(loaded).issues;
}

export function validateLoaded(loaded: LoadedPolicy): ValidationResult {
  if (loaded.issues.length > 0 || loaded.value === undefined) return { issues: [...loaded.issues], badChecks: new Set() };
  const value = loaded.value;
  if (value === null) {
    return { issues: [issueAt(loaded, [], 'policy file is empty; it needs apiVersion, kind and metadata')], badChecks: new Set() };
  }
  const semantic = semanticIssues(value, (s) => !hasVarRef(s));
  const skipExpect = checksWithManySelectors(value);
  const suppressNoSelector = new Set<number>();
  const schemaRaw = schemaIssues(value, value, (e) => {
    const p = pointerToPath(e.instancePath);
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
  const raw: RawIssue[] = [];
  for (const r of schemaIssues(wrapper, wrapper, () => true)) {
    const rel = r.path.slice(2);
    const orig = r.key === undefined ? fromVar(rel) : undefined;
    if (orig !== undefined) raw.push({ path: ['checks', index, ...rel], message: `${r.message} (from "${orig}")` });
  }
  const sem = semanticIssues(wrapper, () => true, (paths) => paths.some((p) => fromVar(p.slice(2)) !== undefined));
  for (const r of sem) {
    if (r.noSelector !== undefined) continue;
    raw.push({ path: ['checks', index, ...r.path.slice(2)], ...(r.key ? { key: r.key } : {}), message: r.message });
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
    const issue = issueAt(loaded, r.path, message, r.key !== undefined ? { key: r.key } : {});
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

export function hasVarRef(s: string): boolean {
  return s.includes('${');
}

function isSelector(k: string): boolean {
  return (SELECTORS as readonly string[]).includes(k);
}

// ---------------------------------------------------------------------------------------------------------
// Schema errors

interface SchemaIssue extends RawIssue {
  /** For unknown keys: the did-you-mean, so callers can tell a misspelt selector. */
  suggestion?: string;
  /** Set on "missing expect" of a check: its index. */
  missingExpect?: number;
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else', 'not', 'propertyNames']);

interface SchemaNode {
  title?: string;
  properties?: Record<string, { const?: unknown }>;
  patternErrorMessage?: string;
  maximum?: number;
}

function parentOf(e: ErrorObject): SchemaNode {
  return (e.parentSchema ?? {}) as SchemaNode;
}

// ajv's schemaPath is relative to whichever definition it compiled separately, so the schema node itself
// (verbose mode's parentSchema) is what tells a matcher or a variable reference apart.
function isMatcherSchema(e: ErrorObject): boolean {
  const props = parentOf(e).properties;
  return props !== undefined && 'gte' in props && 'eq' in props;
}

function schemaIssues(root: unknown, value: unknown, keep: (e: ErrorObject) => boolean): SchemaIssue[] {
  if (validateSchema(value)) return [];
  const errors = (validateSchema.errors ?? []).filter(
    (e) => !COMBINATORS.has(e.keyword) && parentOf(e).title !== 'variable reference' && keep(e),
  );
  const out: SchemaIssue[] = [];
  // Value errors are grouped per location so that the alternatives of an anyOf yield one message.
  const byLocation = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      out.push(unknownKey(root, path, e));
    } else if (e.keyword === 'required') {
      out.push(missingKey(root, path, e));
    } else if (e.propertyName !== undefined) {
      // Only vars constrains its key names.
      out.push({ path, key: e.propertyName, message: `variable name "${e.propertyName}" must be letters, digits and _, not starting with a digit` });
    } else {
      const list = byLocation.get(e.instancePath) ?? [];
      list.push(e);
      byLocation.set(e.instancePath, list);
    }
  }
  const pointers = [...byLocation.keys()];
  for (const [pointer, list] of byLocation) {
    const hasDeeper = pointers.some((p) => p.startsWith(`${pointer}/`));
    const message = valueMessage(pointerToPath(pointer), list, hasDeeper);
    if (message !== undefined) out.push({ path: pointerToPath(pointer), message });
  }
  return out;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** "listener.port", "expect.only[2]", "defaults.timeout": the path as a reader would name it. */
function label(path: DataPath): string {
  let rel = path;
  if (path[0] === 'checks' && typeof path[1] === 'number') {
    rel = path.slice(2);
    if (rel.length === 0) return 'check';
  } else if (path[0] === 'waivers' && typeof path[1] === 'number') {
    rel = path.slice(2);
    if (rel.length === 0) return 'waiver';
  }
  if (rel.length === 0) return 'policy';
  let s = '';
  for (const seg of rel) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s;
}

/** Which part of the language an object is: "check", "listener", "listener expect", "metadata" ... */
function contextName(root: unknown, path: DataPath): string {
  if (path.length === 0) return 'policy';
  if (path.length === 3 && path[0] === 'checks' && path[2] === 'expect') {
    const check = getPath(root, path.slice(0, 2));
    const selectors = isObject(check) ? Object.keys(check).filter(isSelector) : [];
    if (selectors.length === 1) return `${selectors[0]} expect`;
  }
  return label(path);
}

const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'match', 'contains', 'exists', 'index'];

function unknownKey(root: unknown, path: DataPath, e: ErrorObject): SchemaIssue {
  const key = String((e.params as { additionalProperty: string }).additionalProperty);
  const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
  const suggestion = didYouMean(key, allowed);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
  if (isMatcherSchema(e)) {
    return { path, key, ...(suggestion ? { suggestion } : {}), message: `unknown operator "${key}"${hint} Operators: ${OPERATORS.join(', ')}` };
  }
  const where = contextName(root, path);
  let message = `unknown key "${key}" in ${where}${hint}`;
  if (!suggestion) message += allowed.length ? `; expected one of ${allowed.join(', ')}` : `; ${where} takes no keys ({})`;
  return { path, key, ...(suggestion ? { suggestion } : {}), message };
}

function missingKey(root: unknown, path: DataPath, e: ErrorObject): SchemaIssue {
  const key = String((e.params as { missingProperty: string }).missingProperty);
  const where = contextName(root, path);
  let message = `missing required key "${key}" in ${where}`;
  const c = parentOf(e).properties?.[key]?.const;
  if (typeof c === 'string') message += `; add ${key}: ${c}`;
  if (where === 'check' && key === 'expect' && path[0] === 'checks' && typeof path[1] === 'number' && path.length === 2) {
    return { path, message, missingExpect: path[1] };
  }
  return { path, message };
}

/** "must be a duration like ..." from the schema's patternErrorMessage, which editors show too. */
function mustBe(e: ErrorObject): string {
  const m = parentOf(e).patternErrorMessage;
  if (m) return `must be ${m.replace(/^Expected /, '')}`;
  return `must match ${(e.params as { pattern?: string }).pattern ?? 'its pattern'}`;
}

function valueMessage(path: DataPath, errors: ErrorObject[], hasDeeper: boolean): string | undefined {
  const name = label(path);
  const typeErrors = errors.filter((e) => e.keyword === 'type');
  const data = errors[0]?.data;
  // With anyOf, a branch whose type matched explains the problem better than the branches that did not;
  // a list of scalars (enum, const) says little about a list or map that some other branch accepts.
  const structured = typeof data === 'object' && data !== null;
  const specific = errors.filter((x) => x.keyword !== 'type' && !(structured && (x.keyword === 'enum' || x.keyword === 'const')));
  const scalarChoice = errors.filter((x) => x.keyword === 'enum' || x.keyword === 'const');
  if (specific.length === 0 && scalarChoice.length > 0 && hasDeeper) return undefined;
  const e = specific[0] ?? scalarChoice[0];
  if (!e) {
    if (hasDeeper) return undefined;
    if (typeErrors.some(isMatcherSchema)) {
      return `${name} must be a value (meaning eq) or a map of operators, got ${describe(data)}`;
    }
    const types = [...new Set(typeErrors.flatMap((t) => typeList((t.params as { type: string | string[] }).type)))];
    return `${name} must be ${joinOr(types.map(typeWord))}, got ${describe(data)}`;
  }
  const between = path[path.length - 1] === 'between';
  switch (e.keyword) {
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const s = typeof data === 'string' ? didYouMean(data, allowed) : undefined;
      return `${name} must be one of ${allowed.join(', ')}; got ${shortJson(data)}${s ? `; did you mean "${s}"?` : ''}`;
    }
    case 'const':
      return `${name} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${shortJson(data)}`;
    case 'pattern':
      return `${name} ${mustBe(e)}; got ${shortJson(data)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      if (parentOf(e).maximum === 65535) return `${name} must be a port number 1-65535, got ${shortJson(data)}`;
      const p = e.params as { comparison: string; limit: number };
      return `${name} must be ${p.comparison} ${p.limit}, got ${shortJson(data)}`;
    }
    case 'minLength':
      return `${name} must not be empty`;
    case 'minItems':
    case 'maxItems':
    case 'items': {
      if (between) return `${name} must be a list [lo, hi]; got ${describe(data)}`;
      const limit = (e.params as { limit: number }).limit;
      if (e.keyword === 'minItems') return `${name} must have at least ${limit} item${limit === 1 ? '' : 's'}`;
      return `${name} must have at most ${limit} item${limit === 1 ? '' : 's'}`;
    }
    case 'minProperties': {
      if (isMatcherSchema(e)) return `${name} must not be empty; give a value or at least one operator`;
      const keys = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `${name} must not be empty; give at least one of ${keys.join(', ')}`;
    }
    default:
      return `${name} ${e.message ?? 'is invalid'}`;
  }
}

function typeList(t: string | string[]): string[] {
  return Array.isArray(t) ? t : [t];
}

function typeWord(t: string): string {
  switch (t) {
    case 'integer':
      return 'an integer';
    case 'object':
      return 'a map';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return `a ${t}`;
  }
}

function joinOr(words: string[]): string {
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `string "eighty"`, `number 5`, `list [1,2]`: the kind of value and (a short form of) the value. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `list ${shortJson(v)}`;
  if (typeof v === 'object') return `map ${shortJson(v)}`;
  return `${typeof v} ${shortJson(v)}`;
}

function shortJson(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The closest candidate by Damerau-Levenshtein distance (case-insensitive), if it is close enough. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  // Typos are short; a long string is not a misspelt name and would cost quadratic time.
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}

/** Optimal string alignment distance: edits, plus swaps of adjacent letters counted as one. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    const row = d[i]!;
    const prev = d[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      row[j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

// ---------------------------------------------------------------------------------------------------------
// Rules beyond the schema

interface SemanticIssue extends RawIssue {
  /** Set on the "no fact selector" issue: the check index, so a misspelt selector can replace it. */
  noSelector?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checksWithManySelectors(value: unknown): Set<number> {
  const out = new Set<number>();
  if (!isObject(value) || !Array.isArray(value.checks)) return out;
  value.checks.forEach((c, i) => {
    if (isObject(c) && SELECTORS.filter((s) => s in c).length > 1) out.add(i);
  });
  return out;
}

const LIMIT_TARGETS = ['process', 'pid', 'pidfile', 'unit', 'port', 'listening'];
const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four'];

/**
 * `considerString` says whether a string value is judged now (values holding `${var}` wait for
 * interpolation); `considerPaths` overrides it for rules that look at several values at once.
 */
function semanticIssues(
  value: unknown,
  considerString: (s: string) => boolean,
  considerPaths?: (paths: DataPath[]) => boolean,
): SemanticIssue[] {
  const out: SemanticIssue[] = [];
  if (!isObject(value)) return out;
  const consider = (paths: DataPath[], values: unknown[]): boolean =>
    considerPaths ? considerPaths(paths) : values.every((v) => typeof v !== 'string' || considerString(v));

  if (Array.isArray(value.checks)) {
    const firstIdAt = new Map<string, number>();
    value.checks.forEach((c, i) => {
      if (!isObject(c)) return;
      const at: DataPath = ['checks', i];
      const present = Object.keys(c).filter(isSelector);
      if (present.length === 0 && c.enabled !== false) {
        out.push({ path: at, noSelector: i, message: `check has no fact selector; add one of ${SELECTORS.join(', ')}` });
      } else if (present.length > 1) {
        const names = present.length === 2 ? `${present[0]} and ${present[1]}` : `${present.slice(0, -1).join(', ')} and ${present[present.length - 1]}`;
        out.push({
          path: at,
          key: present[1]!,
          message: `check has ${COUNT_WORDS[present.length] ?? present.length} selectors (${names}); a check reads exactly one fact`,
        });
      }
      if (typeof c.id === 'string') {
        const first = firstIdAt.get(c.id);
        if (first === undefined) firstIdAt.set(c.id, i);
        else out.push({ path: [...at, 'id'], message: `duplicate check id "${c.id}"`, firstAt: ['checks', first] });
      }
      if (isObject(c.limits)) {
        const limits = c.limits;
        const targets = Object.keys(limits).filter((k) => LIMIT_TARGETS.includes(k));
        // Several targets narrow the selection together (process nginx AND unit nginx.service); none selects nothing.
        if (targets.length === 0) {
          out.push({ path: [...at, 'limits'], message: `limits must name the processes with one of ${LIMIT_TARGETS.join(', ')}` });
        }
      }
      for (const sub of ['expect', 'when'] as const) {
        if (c[sub] !== undefined) matcherRules(c[sub], [...at, sub], out, consider);
      }
    });
  }

  if (Array.isArray(value.waivers)) {
    const firstFor = new Map<string, number>();
    value.waivers.forEach((w, i) => {
      if (!isObject(w)) return;
      if (typeof w.check === 'string') {
        const first = firstFor.get(w.check);
        if (first === undefined) firstFor.set(w.check, i);
        else out.push({ path: ['waivers', i, 'check'], message: `duplicate waiver for check "${w.check}"`, firstAt: ['waivers', first] });
      }
      if (typeof w.expires === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(w.expires) && !isRealDate(w.expires)) {
        out.push({ path: ['waivers', i, 'expires'], message: `expires is not a real date: "${w.expires}"` });
      }
    });
  }
  return out;
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Numbers as the matchers compare them: numeric strings count. */
function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function matcherRules(
  v: unknown,
  path: DataPath,
  out: SemanticIssue[],
  consider: (paths: DataPath[], values: unknown[]) => boolean,
): void {
  if (Array.isArray(v)) return;
  if (!isObject(v)) return;
  const keys = Object.keys(v);
  if (typeof v.match === 'string' && consider([[...path, 'match']], [v.match])) {
    try {
      new RegExp(v.match);
    } catch (e) {
      const why = (e as Error).message.replace(/^Invalid regular expression: /, '');
      out.push({ path: [...path, 'match'], message: `match is not a valid regular expression: ${why}` });
    }
  }
  if (Array.isArray(v.between) && v.between.length === 2) {
    const [lo, hi] = v.between;
    const nlo = asNumber(lo);
    const nhi = asNumber(hi);
    const paths = [[...path, 'between', 0], [...path, 'between', 1]];
    if (nlo !== undefined && nhi !== undefined && nlo > nhi && consider(paths, [lo, hi])) {
      out.push({ path: [...path, 'between'], message: `between [${nlo}, ${nhi}]: the lower bound is greater than the upper bound` });
    }
  }
  if (keys.length === 1 && keys[0] === 'index') {
    out.push({ path, message: 'index picks an element but there is no operator to apply to it; add one, e.g. gte' });
  }
  // Object expects (limits soft/hard, listener user/process, ...) hold matchers one level down.
  for (const k of keys) {
    if (!OPERATORS.includes(k)) matcherRules(v[k], [...path, k], out, consider);
  }
}

function getPath(v: unknown, path: DataPath): unknown {
  let cur: unknown = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObject(cur)) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

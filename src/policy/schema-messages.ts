// Schema errors in words: the generated validator (schemas/policy.schema.json) reports ajv errors, one per
// failed keyword and anyOf branch; this turns them into one line per location that says what to write.
import type { ErrorObject } from 'ajv';
import { validate as validateSchema } from './generated/policy-validator.js';
import { getPath, label, pointerToPath } from './data-path.js';
import type { DataPath, RawIssue } from './data-path.js';
import { TIMER_MAX_MS, timeoutRangeProblem } from './duration.js';
import { OPERATORS, isSelector } from './model.js';
import { didYouMean } from '../lib/did-you-mean.js';
import { isObject } from '../lib/is-object.js';

export interface SchemaIssue extends RawIssue {
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

/** The schema's problems with `value`, worded; `root` is the whole file, for naming where a key belongs. */
export function schemaIssues(root: unknown, value: unknown, keep: (e: ErrorObject) => boolean): SchemaIssue[] {
  if (validateSchema(value)) return [];
  const relevant = (validateSchema.errors ?? []).filter((e) => !COMBINATORS.has(e.keyword) && parentOf(e).title !== 'variable reference');
  // Locations with errors, counting the ones the caller sets aside (a `${var}` not judged yet, a value a rule
  // words better): an anyOf branch that failed only there still explains the value, so the branches it
  // did not take stay quiet.
  const pointers = [...new Set(relevant.map((e) => e.instancePath))];
  const errors = relevant.filter(keep);
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
  for (const [pointer, list] of byLocation) {
    const hasDeeper = pointers.some((p) => p.startsWith(`${pointer}/`));
    const message = valueMessage(pointerToPath(pointer), list, hasDeeper);
    if (message !== undefined) out.push({ path: pointerToPath(pointer), message });
  }
  return out;
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
  // The whole file is not a map: it is some other file, and quoting it would print its contents.
  if (path.length === 0) return `policy must be a map of apiVersion, kind, metadata and checks; this file reads as ${kindOf(data)}`;
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
      const parent = parentOf(e);
      if (parent.maximum === 65535) return `${name} must be a port number 1-65535, got ${shortJson(data)}`;
      // The integer form of a duration: the same words as for "0s" or "99999h" (rules.ts).
      const outOfRange = parent.maximum === TIMER_MAX_MS && typeof data === 'number' ? timeoutRangeProblem(data) : undefined;
      if (outOfRange) return `${name} ${outOfRange}; got ${shortJson(data)}`;
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
    case 'maxProperties': {
      const keys = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const limit = (e.params as { limit: number }).limit;
      return limit === 1 ? `${name} takes one of ${keys.join(', ')}, not several` : `${name} must have at most ${limit} keys`;
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

/** "a list", "a string", "a number": the kind of a value, without the value. */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
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

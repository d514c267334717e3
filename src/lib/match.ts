// The expectation language: its values and operators, and what each operator says of a value. Pure: a value and
// a matcher in, the operators that do not hold (as codes and their arguments) out. Evaluation applies it to every
// fact; the HTTP probe applies it to a response body as it is read, so the body itself is never kept.

export type Scalar = string | number | boolean | null;

/** Operators of the expectation language, in the order messages list them. */
export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'match', 'contains', 'exists', 'index'] as const;

/** Operators of the expectation language. A bare scalar means { eq: scalar }. */
export interface MatcherOps {
  eq?: Scalar | Scalar[];
  ne?: Scalar | Scalar[];
  gt?: number | string | number[];
  gte?: number | string | number[];
  lt?: number | string | number[];
  lte?: number | string | number[];
  between?: [number | string, number | string];
  in?: Scalar[];
  notIn?: Scalar[];
  match?: string;
  contains?: Scalar;
  exists?: boolean;
  /** Multi-value facts (ip_local_port_range): compare one element by index. */
  index?: number;
}
export type Matcher = Scalar | MatcherOps;

/** A value shown to a reader (a fact or a bound, already in the form `show` gives it). */
type Shown = string;

/**
 * The arguments of each operator's failure. `actual` (and `not-a-number`'s `value`) is what was seen, left out
 * where the value is not kept (a response body).
 */
export interface OperatorArgs {
  /** The value is absent, and the operator needs one. */
  absent: Record<never, never>;
  /** The value exists and `exists: false` was asked. */
  present: { actual?: Shown };
  /** `eq`: the value differs. */
  'not-equal': { actual?: Shown; expected: Shown };
  /** `ne`: the value is the one excluded. */
  equal: { actual?: Shown };
  /** `gt`/`gte`: below the bound. */
  below: { actual?: Shown; op: 'gt' | 'gte'; bound: Shown };
  /** `lt`/`lte`: above the bound. */
  above: { actual?: Shown; op: 'lt' | 'lte'; bound: Shown };
  /** `between`: outside the range. */
  'out-of-range': { actual?: Shown; low: Shown; high: Shown };
  /** `in`: not one of the allowed values. */
  'not-in': { actual?: Shown; allowed: Shown[] };
  /** `notIn`: one of the excluded values. */
  excluded: { actual?: Shown };
  /** `match`: the pattern does not match. */
  'no-match': { actual?: Shown; pattern: string };
  /** `match`: the policy's pattern is no regular expression. */
  'bad-pattern': { pattern: string };
  /** `contains`: the value does not contain it. */
  'not-contained': { actual?: Shown; needle: Shown };
  /** A numeric operator met a value that is no number. */
  'not-a-number': { value?: Shown };
  /** A numeric operator's bound is no number. */
  'bound-not-a-number': { bound: Shown };
  /** An array bound of another length than the value. */
  'count-mismatch': { values: number; bounds: number };
}

export type OperatorCode = keyof OperatorArgs;
export type OperatorFailure = { [C in OperatorCode]: { code: C } & OperatorArgs[C] }[OperatorCode];

/** A fact as the matchers see it: a scalar, or several values (multi-value sysctls), or nothing. */
export type FactValue = Scalar | Scalar[] | undefined;

export interface MatchOutcome {
  ok: boolean;
  /** Why it failed, each operator that does not hold as a code and its arguments; empty when ok. */
  failures: OperatorFailure[];
}

export function isOps(m: Matcher): m is MatcherOps {
  return typeof m === 'object' && m !== null && !Array.isArray(m);
}

/** Numbers from numeric strings ("4096", "0x10" is not numeric); "unlimited" is +Infinity for limits. */
function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === 'unlimited' || s === 'infinity') return Infinity;
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) return Number(s);
  }
  return undefined;
}

/** Split sysctl-style values ("32768\t60999") into elements; single values stay scalars. */
function normalise(v: FactValue): FactValue {
  if (typeof v === 'string') {
    const parts = v.trim().split(/\s+/);
    if (parts.length > 1) return parts;
  }
  if (Array.isArray(v) && v.length === 1) return v[0];
  return v;
}

export function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.map(show).join(' ');
  if (typeof v === 'number' && v === Infinity) return 'unlimited';
  // Ratios: four significant digits say all there is to say (0.1304, 0.00104).
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(4)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return typeof a === 'string' && typeof b === 'string' && a.trim() === b.trim();
}

function valuesEqual(actual: FactValue, expected: unknown): boolean {
  const exp = Array.isArray(expected) ? expected : normalise(expected as FactValue);
  if (Array.isArray(actual) || Array.isArray(exp)) {
    const a = Array.isArray(actual) ? actual : [actual];
    const e = Array.isArray(exp) ? exp : [exp];
    return a.length === e.length && a.every((x, i) => looseEqual(x, e[i]));
  }
  return looseEqual(actual, exp);
}

type Cmp = 'gt' | 'gte' | 'lt' | 'lte';
function compare(op: Cmp, a: number, b: number): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/** Element-wise numeric comparison: an array bound compares position by position, a scalar bound every element. */
function numericCheck(actual: FactValue, bound: unknown, test: (a: number, b: number) => boolean): boolean | OperatorFailure {
  const a = Array.isArray(actual) ? actual : [actual];
  const b = Array.isArray(bound) ? bound : null;
  if (b && b.length !== a.length) return { code: 'count-mismatch', values: a.length, bounds: b.length };
  for (let i = 0; i < a.length; i++) {
    const x = toNumber(a[i]);
    const y = toNumber(b ? b[i] : bound);
    if (x === undefined) return { code: 'not-a-number', value: show(a[i]) };
    if (y === undefined) return { code: 'bound-not-a-number', bound: show(b ? b[i] : bound) };
    if (!test(x, y)) return false;
  }
  return true;
}

function pick(actual: FactValue, index: number | undefined): FactValue {
  if (index === undefined) return actual;
  const arr = Array.isArray(actual) ? actual : [actual];
  return arr[index] as Scalar | undefined;
}

/** Apply a matcher to a fact value. Every operator in one matcher must hold. */
export function match(actualRaw: FactValue, matcher: Matcher, display: (v: unknown) => string = show): MatchOutcome {
  if (!isOps(matcher)) return match(actualRaw, { eq: matcher }, display);
  const actual = pick(normalise(actualRaw), matcher.index);
  const failures: OperatorFailure[] = [];
  if (matcher.exists !== undefined) {
    const present = actual !== undefined && actual !== null;
    if (present !== matcher.exists) failures.push(matcher.exists ? { code: 'absent' } : { code: 'present', actual: display(actual) });
    if (!present) return { ok: failures.length === 0, failures };
  }
  if (actual === undefined && OPERATORS.some((op) => op !== 'exists' && matcher[op] !== undefined)) {
    return { ok: false, failures: [{ code: 'absent' }] };
  }
  const shown = display(actual);
  if (matcher.eq !== undefined && !valuesEqual(actual, matcher.eq)) failures.push({ code: 'not-equal', actual: shown, expected: display(matcher.eq) });
  if (matcher.ne !== undefined && valuesEqual(actual, matcher.ne)) failures.push({ code: 'equal', actual: shown });
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const bound = matcher[op];
    if (bound === undefined) continue;
    const r = numericCheck(actual, bound, (x, y) => compare(op, x, y));
    if (r === true) continue;
    if (r !== false) failures.push(r);
    else if (op === 'gt' || op === 'gte') failures.push({ code: 'below', actual: shown, op, bound: display(bound) });
    else failures.push({ code: 'above', actual: shown, op, bound: display(bound) });
  }
  if (matcher.between !== undefined) {
    const [lo, hi] = matcher.between;
    const r = numericCheck(actual, lo, (x, y) => x >= y);
    const s = r === true ? numericCheck(actual, hi, (x, y) => x <= y) : r;
    if (s !== true) failures.push(s === false ? { code: 'out-of-range', actual: shown, low: display(lo), high: display(hi) } : s);
  }
  if (matcher.in !== undefined && !matcher.in.some((e) => valuesEqual(actual, e))) {
    failures.push({ code: 'not-in', actual: shown, allowed: matcher.in.map(display) });
  }
  if (matcher.notIn?.some((e) => valuesEqual(actual, e))) {
    failures.push({ code: 'excluded', actual: shown });
  }
  if (matcher.match !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(matcher.match);
    } catch {
      failures.push({ code: 'bad-pattern', pattern: matcher.match });
    }
    if (re && !re.test(shown)) failures.push({ code: 'no-match', actual: shown, pattern: matcher.match });
  }
  if (matcher.contains !== undefined) {
    const has = Array.isArray(actual) ? actual.some((e) => looseEqual(e, matcher.contains)) : shown.includes(display(matcher.contains));
    if (!has) failures.push({ code: 'not-contained', actual: shown, needle: display(matcher.contains) });
  }
  return { ok: failures.length === 0, failures };
}

/**
 * A failure without what was seen: for a value that must not be repeated (a response body, judged where it was
 * read and never kept).
 */
export function unseen(f: OperatorFailure): OperatorFailure {
  const { actual: _a, value: _v, ...rest } = f as OperatorFailure & { actual?: unknown; value?: unknown };
  return rest as OperatorFailure;
}

/**
 * One text per matcher, whatever the order its keys were written in: how the probe's judgements of a body are
 * found again for the expectation that asked them.
 */
export function matcherKey(m: Matcher): string {
  return JSON.stringify(m, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

// The expectation operators. Pure: a fact value and a matcher in, a verdict and why (as data) out.
import type { Matcher, MatcherOps, Scalar } from '../policy/model.js';
import { parseAddress, unmapped } from '../lib/address.js';
import type { Frame, MatchFailure } from './reasons.js';

/** A fact as the matchers see it: a scalar, or several values (multi-value sysctls), or nothing. */
export type FactValue = Scalar | Scalar[] | undefined;

export interface MatchOutcome {
  ok: boolean;
  /** Why it failed, each operator that does not hold as a code and its arguments; empty when ok. */
  failures: MatchFailure[];
}

/**
 * A matcher's failures as findings about `subject` ("latency p50 is 9, not <= 5"): the subject is said once,
 * before the first; `where` before that.
 */
export function about(subject: string, failures: MatchFailure[], where?: string): MatchFailure[] {
  return failures.map((f, i) => (i === 0 ? ({ ...f, subject, ...(where !== undefined ? { where } : {}) } as MatchFailure & Frame) : f));
}

import { OPERATORS as OPS } from '../policy/model.js';

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
/** The operators' signs, for the expectation in words (`describe`) and the report's sentences. */
export const CMP_WORD: Record<Cmp, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

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
function numericCheck(actual: FactValue, bound: unknown, test: (a: number, b: number) => boolean): boolean | MatchFailure {
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

/** The unit said after a matcher's last failure: "latency p50 is 9, not <= 5 ms". */
export function inUnit(unit: string, failures: MatchFailure[]): MatchFailure[] {
  return failures.map((f, i) => (i === failures.length - 1 ? { ...f, unit } : f));
}

/**
 * Share of a whole (0 to 1) as a person reads it: a percentage ("5%", "12.5%"); anything else as `show` has it.
 * For the values and bounds of a matcher on a share, in what it expects and why it failed.
 */
export function asPercent(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${Math.round(v * 1000) / 10}%` : show(v);
}

/** Apply a matcher to a fact value. Every operator in one matcher must hold. */
export function match(actualRaw: FactValue, matcher: Matcher, display: (v: unknown) => string = show): MatchOutcome {
  if (!isOps(matcher)) return match(actualRaw, { eq: matcher }, display);
  const actual = pick(normalise(actualRaw), matcher.index);
  const failures: MatchFailure[] = [];
  if (matcher.exists !== undefined) {
    const present = actual !== undefined && actual !== null;
    if (present !== matcher.exists) failures.push(matcher.exists ? { code: 'absent' } : { code: 'present', actual: display(actual) });
    if (!present) return { ok: failures.length === 0, failures };
  }
  if (actual === undefined && OPS.some((op) => op !== 'exists' && matcher[op] !== undefined)) {
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

/** The expectation in words: ">= 4096", "between 1024 and 65535", "one of a, b". */
export function describe(matcher: Matcher, display: (v: unknown) => string = show): string {
  if (!isOps(matcher)) return display(matcher);
  const parts: string[] = [];
  const at = matcher.index !== undefined ? `[${matcher.index}] ` : '';
  if (matcher.eq !== undefined) parts.push(`${at}${display(matcher.eq)}`);
  if (matcher.ne !== undefined) parts.push(`${at}not ${display(matcher.ne)}`);
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (matcher[op] !== undefined) parts.push(`${at}${CMP_WORD[op]} ${display(matcher[op])}`);
  }
  if (matcher.between) parts.push(`${at}between ${display(matcher.between[0])} and ${display(matcher.between[1])}`);
  if (matcher.in) parts.push(`${at}one of ${matcher.in.map(display).join(', ')}`);
  if (matcher.notIn) parts.push(`${at}none of ${matcher.notIn.map(display).join(', ')}`);
  if (matcher.match !== undefined) parts.push(`${at}matches /${matcher.match}/`);
  if (matcher.contains !== undefined) parts.push(`${at}contains ${display(matcher.contains)}`);
  if (matcher.exists !== undefined) parts.push(matcher.exists ? 'present' : 'absent');
  return parts.join(' and ');
}

/** An address in its canonical text, an IPv4-mapped one as the IPv4 address it maps; anything else unchanged. */
function canonicalScalar<T>(v: T): T {
  if (typeof v !== 'string') return v;
  const a = parseAddress(v);
  return (a ? unmapped(a).text : v) as T;
}

/** The matcher with every address it names in canonical text (`fe80:0:0::1` is `fe80::1`). */
function canonicalMatcher(m: Matcher): Matcher {
  if (!isOps(m)) return canonicalScalar(m);
  const c: MatcherOps = { ...m };
  const one = (v: Scalar | Scalar[]): Scalar | Scalar[] => (Array.isArray(v) ? v.map(canonicalScalar) : canonicalScalar(v));
  if (m.eq !== undefined) c.eq = one(m.eq);
  if (m.ne !== undefined) c.ne = one(m.ne);
  if (m.in !== undefined) c.in = m.in.map(canonicalScalar);
  if (m.notIn !== undefined) c.notIn = m.notIn.map(canonicalScalar);
  if (m.contains !== undefined) c.contains = canonicalScalar(m.contains);
  return c;
}

/**
 * Apply a matcher to an address (a gateway, a destination): both sides are compared in canonical text when they
 * are addresses, so `fe80:0:0::1` equals `fe80::1` and `::ffff:192.0.2.1` is `192.0.2.1` (an IPv4-mapped address
 * is the IPv4 address, as everywhere in src/lib/address.ts); patterns and other values behave as in `match`.
 */
export function matchAddress(actual: string | undefined, matcher: Matcher): MatchOutcome {
  return match(actual === undefined ? undefined : canonicalScalar(actual.trim()), canonicalMatcher(matcher));
}

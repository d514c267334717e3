// The expectation operators as evaluation uses them: the operators themselves (src/lib/match.ts, which the HTTP
// probe applies to a body it does not keep), and the findings and words evaluation makes of them.
import type { Matcher, MatcherOps, Scalar } from '../policy/model.js';
import { parseAddress, unmapped } from '../lib/address.js';
import { isOps, match, show } from '../lib/match.js';
import type { MatchOutcome } from '../lib/match.js';
import type { Frame, MatchFailure } from './reasons.js';

export { isOps, match, show };
export type { FactValue, MatchOutcome } from '../lib/match.js';

/**
 * A matcher's failures as findings about `subject` ("latency p50 is 9, not <= 5"): the subject is said once,
 * before the first; `where` before that.
 */
export function about(subject: string, failures: MatchFailure[], where?: string): MatchFailure[] {
  return failures.map((f, i) => (i === 0 ? ({ ...f, subject, ...(where !== undefined ? { where } : {}) } as MatchFailure & Frame) : f));
}

type Cmp = 'gt' | 'gte' | 'lt' | 'lte';
/** The operators' signs, for the expectation in words (`describe`) and the report's sentences. */
export const CMP_WORD: Record<Cmp, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

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

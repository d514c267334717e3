// The rules of the language that the schema cannot say (or cannot say well): one selector per check, unique
// ids and waivers, regular expressions that compile, bounds in order, real dates, finite numbers, timeouts a
// timer can hold, addresses that are addresses. Each finding is a RawIssue at the value that caused it.
import { label } from './data-path.js';
import type { DataPath, RawIssue } from './data-path.js';
import { parseDuration, timeoutRangeProblem } from './duration.js';
import { OPERATORS, SELECTORS, isSelector } from './model.js';
import { LIMIT_TARGETS } from './kinds/shared/limit-targets.js';
import { didYouMean } from '../lib/did-you-mean.js';
import { isObject } from '../lib/is-object.js';
import { invalidHostPort, invalidNetwork, parseAddress } from '../lib/address.js';
import { invalidDnsServer, invalidHeaders, invalidHost, invalidMethod, invalidUrl } from '../lib/targets.js';

export interface SemanticIssue extends RawIssue {
  /** Set on the "no fact selector" issue: the check index, so a misspelt selector can replace it. */
  noSelector?: number;
  /** Says more than the schema could at this path (an address's reason, say): the schema's message there goes. */
  overridesSchema?: true;
}

/** The top-level keys of a policy (schemas/policy.schema.json), to tell a policy from some other file. */
export const POLICY_KEYS = ['apiVersion', 'kind', 'metadata', 'extends', 'vars', 'defaults', 'waivers', 'checks'];

/**
 * A map with none of a policy's keys, and mostly keys that are not even misspellings of one, is some other
 * file (a package.json, a compose file): one line saying so beats a missing-key and an unknown-key line for
 * every key it has.
 */
export function notAPolicy(value: Record<string, unknown>): RawIssue | undefined {
  if (value.kind === 'Waivers') return { path: ['kind'], message: 'a waivers file, not a policy: give it with --waivers FILE (audit and validate take it)' };
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((k) => POLICY_KEYS.includes(k))) return undefined;
  const nearMisses = keys.filter((k) => didYouMean(k, POLICY_KEYS) !== undefined).length;
  if (nearMisses * 2 > keys.length) return undefined;
  return { path: [], message: `not a plumbline policy: it has none of the keys a policy has (${POLICY_KEYS.join(', ')})` };
}

/**
 * Every number YAML read as infinite or not-a-number (`1e400`, `.inf`, `.nan`): no fact compares sensibly
 * with one, JSON cannot hold one, and the schema would only say "must be a number".
 */
export function nonFiniteNumbers(value: unknown): SemanticIssue[] {
  const out: SemanticIssue[] = [];
  // Depth is bounded by the loader (load.ts), so a recursive walk is safe here.
  const walk = (v: unknown, path: DataPath): void => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      const what = Number.isNaN(v) ? 'not a number (.nan)' : `${v > 0 ? '' : 'minus '}infinity (a number too large, or .inf)`;
      out.push({ path, overridesSchema: true, message: `${label(path)} must be a finite number; YAML reads this as ${what}` });
    } else if (Array.isArray(v)) {
      v.forEach((e, i) => walk(e, [...path, i]));
    } else if (isObject(v)) {
      for (const [k, e] of Object.entries(v)) walk(e, [...path, k]);
    }
  };
  walk(value, []);
  return out;
}

export function checksWithManySelectors(value: unknown): Set<number> {
  const out = new Set<number>();
  if (!isObject(value) || !Array.isArray(value.checks)) return out;
  value.checks.forEach((c, i) => {
    if (isObject(c) && SELECTORS.filter((s) => s in c).length > 1) out.add(i);
  });
  return out;
}

const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four'];

type Consider = (paths: DataPath[], values: unknown[]) => boolean;

/**
 * `considerString` says whether a string value is judged now (values holding `${var}` wait for
 * interpolation); `considerPaths` overrides it for rules that look at several values at once.
 */
export function semanticIssues(value: unknown, considerString: (s: string) => boolean, considerPaths?: (paths: DataPath[]) => boolean): SemanticIssue[] {
  const out: SemanticIssue[] = [];
  if (!isObject(value)) return out;
  const consider: Consider = (paths, values) => (considerPaths ? considerPaths(paths) : values.every((v) => typeof v !== 'string' || considerString(v)));

  if (isObject(value.defaults)) timeoutRule(value.defaults.timeout, ['defaults', 'timeout'], out, consider);

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
        const targets = Object.keys(c.limits).filter((k) => (LIMIT_TARGETS as readonly string[]).includes(k));
        // Several targets narrow the selection together (process nginx AND unit nginx.service); none selects nothing.
        if (targets.length === 0) {
          out.push({ path: [...at, 'limits'], message: `limits must name the processes with one of ${LIMIT_TARGETS.join(', ')}` });
        }
      }
      timeoutRule(c.timeout, [...at, 'timeout'], out, consider);
      if (present.length === 1) addressRules(present[0]!, c.expect, [...at, 'expect'], out, consider);
      if (present.length === 1 && present[0] === 'route') routeRules(c.route, c.expect, at, out, consider);
      if (present.length === 1 && present[0] === 'neighbour') neighbourRules(c.neighbour, at, out, consider);
      if (present.length === 1 && present[0] === 'icmp' && isObject(c.icmp)) timeoutRule(c.icmp.interval, [...at, 'icmp', 'interval'], out, consider);
      if (present.length === 1) probeRules(present[0]!, c[present[0]!], [...at, present[0]!], out, consider);
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

/** A duration the schema accepted as written, but no timer can wait for (0, or longer than a timer holds). */
function timeoutRule(v: unknown, path: DataPath, out: SemanticIssue[], consider: Consider): void {
  // Numbers are bounded by the schema itself, which editors show too.
  if (typeof v !== 'string' || !consider([path], [v])) return;
  const ms = parseDuration(v);
  const problem = ms === undefined ? undefined : timeoutRangeProblem(ms);
  if (problem) out.push({ path, message: `${label(path)} ${problem}; got "${v}"` });
}

/**
 * Addresses in listener `bind` lists and listeners `only` entries, read by the reader the evaluation uses
 * (src/lib/address.ts), so an entry that validates is one the audit can compare.
 */
function addressRules(selector: string, expect: unknown, path: DataPath, out: SemanticIssue[], consider: Consider): void {
  if (!isObject(expect)) return;
  const entries = (key: string, why: (e: string) => string | undefined): void => {
    const list = expect[key];
    if (!Array.isArray(list)) return;
    list.forEach((e, i) => {
      const at = [...path, key, i];
      // Port numbers are the schema's to judge; empty strings too ("must not be empty").
      if (typeof e !== 'string' || e === '' || !consider([at], [e])) return;
      const problem = why(e);
      if (problem) out.push({ path: at, overridesSchema: true, message: `${label(at)}: ${problem}` });
    });
  };
  if (selector === 'listener') entries('bind', invalidNetwork);
  if (selector === 'listeners') entries('only', invalidHostPort);
}

const GATEWAY_FORMS = 'via is one gateway address, like 192.0.2.1 or fe80::1';

/** Why a `via` value cannot be a gateway: an address read as the audit reads it, never a network. */
function invalidGateway(v: unknown): string | undefined {
  if (typeof v !== 'string') return `${JSON.stringify(v)} is not an IP address; ${GATEWAY_FORMS}`;
  const t = v.trim();
  if (t.includes('/') || t === '*') return `${t} is a network, not an address; ${GATEWAY_FORMS}`;
  return invalidNetwork(t);
}

/**
 * The shape schemas/policy.schema.json (`routeDest`) accepts for a network: what it says of other texts
 * ("defualt", "10.0.0.0/33x") stands, and only destinations of this shape are read as networks here.
 */
const CIDR_SHAPE = /^([0-9.]+\/[0-9]{1,2}|[0-9A-Fa-f:]+\/[0-9]{1,3})$/;
const ADDRESS_SHAPE = /^([0-9.]+|[0-9A-Fa-f:]+)$/;

/**
 * Route destinations and gateways, read by the readers the evaluation uses: a destination of the schema's CIDR
 * shape must be a network, without host bits (`192.0.2.5/24`) or a prefix too long; a `via` string, and every
 * string (or other scalar) that `eq`, `ne`, `in` and `notIn` compare with, must be an address. `match` is a
 * pattern and `dev` a name: neither is read here.
 */
function routeRules(dest: unknown, expect: unknown, at: DataPath, out: SemanticIssue[], consider: Consider): void {
  const destAt = [...at, 'route'];
  if (typeof dest === 'string' && CIDR_SHAPE.test(dest) && consider([destAt], [dest])) {
    const why = invalidNetwork(dest);
    if (why) out.push({ path: destAt, message: `route: ${why}` });
  }
  if (typeof dest === 'string' && ADDRESS_SHAPE.test(dest) && consider([destAt], [dest]) && !parseAddress(dest)) {
    out.push({ path: destAt, message: `route: ${JSON.stringify(dest)} is not an IP address, like 192.0.2.7 or 2001:db8::7` });
  }
  if (!isObject(expect) || expect.via === undefined) return;
  const viaAt = [...at, 'expect', 'via'];
  const judge = (v: unknown, path: DataPath): void => {
    if (v === undefined || v === null || typeof v === 'object' || (typeof v === 'string' && !consider([path], [v]))) return;
    const why = invalidGateway(v);
    if (why) out.push({ path, overridesSchema: true, message: `${label(path)}: ${why}` });
  };
  const via = expect.via;
  if (!isObject(via)) {
    // A list is the schema's to refuse; a scalar is eq.
    if (!Array.isArray(via)) judge(via, viaAt);
    return;
  }
  for (const op of ['eq', 'ne', 'in', 'notIn'] as const) {
    const operand = via[op];
    if (Array.isArray(operand)) operand.forEach((e, i) => judge(e, [...viaAt, op, i]));
    else judge(operand, [...viaAt, op]);
  }
}

/** A neighbour's address, read as the evaluation reads it: one address, never a network or a name. */
function neighbourRules(spec: unknown, at: DataPath, out: SemanticIssue[], consider: Consider): void {
  if (!isObject(spec)) return;
  for (const key of ['address', 'to'] as const) {
    const v = spec[key];
    if (typeof v !== 'string' || v === '') continue;
    const path = [...at, 'neighbour', key];
    if (!consider([path], [v]) || parseAddress(v) !== undefined) continue;
    out.push({ path, overridesSchema: true, message: `neighbour.${key}: ${JSON.stringify(v)} is not an IP address, like 192.0.2.1 or fe80::1` });
  }
}

/**
 * Probe targets, read by the validators the probes use (src/lib/targets.ts), so a host, URL or DNS server that
 * validates is one the probe can reach for; certificate files must be named by absolute paths. Ports, sample
 * counts and DNS types are the schema's to judge.
 */
function probeRules(selector: string, spec: unknown, path: DataPath, out: SemanticIssue[], consider: Consider): void {
  if (!isObject(spec)) return;
  const judge = (key: string, why: (v: unknown) => string | undefined): void => {
    const v = spec[key];
    const at = [...path, key];
    if (v === undefined || !consider([at], [v])) return;
    const problem = why(v);
    if (problem) out.push({ path: at, overridesSchema: true, message: `${selector}.${key}: ${problem}` });
  };
  // icmp and mtu hosts go to ping and tracepath as an argument: a name or an address, never an option.
  if (selector === 'tcp' || selector === 'icmp' || selector === 'mtu') judge('host', invalidHost);
  if (selector === 'tls') {
    judge('host', invalidHost);
    judge('servername', invalidHost);
    judge('ip', (v) => (typeof v === 'string' && parseAddress(v) === undefined ? `${JSON.stringify(v)} is not an IP address` : undefined));
  }
  if (selector === 'dns') {
    judge('name', invalidHost);
    judge('server', (v) => (typeof v === 'string' ? invalidDnsServer(v) : undefined));
  }
  if (selector === 'certificate') {
    // Read on the audited host through the transport, whose working directory is nobody's to guess.
    const absolute =
      (like: string) =>
      (v: unknown): string | undefined =>
        typeof v === 'string' && !v.startsWith('/') ? `${JSON.stringify(v)} is not an absolute path: write the full path, like "${like}"` : undefined;
    judge('path', absolute('/etc/ssl/certs/site.pem'));
    judge('key', absolute('/etc/ssl/private/site.key'));
  }
  if (selector === 'http') {
    judge('url', invalidUrl);
    judge('method', invalidMethod);
    // Values holding ${var} are judged after interpolation, like every other string.
    judge('headers', (v) => (isObject(v) && Object.values(v).some((e) => typeof e === 'string' && !consider([path], [e])) ? undefined : invalidHeaders(v)));
  }
}

export function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Numbers as the matchers compare them: numeric strings count. */
function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function matcherRules(v: unknown, path: DataPath, out: SemanticIssue[], consider: Consider): void {
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
  // Comparisons are numeric: a bound that is no number could only ever fail, so it is the policy's mistake.
  for (const op of ['gt', 'gte', 'lt', 'lte', 'between'] as const) {
    const bound = v[op];
    const bounds = Array.isArray(bound) ? bound.map((b, i) => [b, [...path, op, i]] as const) : [[bound, [...path, op]] as const];
    for (const [b, at] of bounds) {
      if (typeof b === 'string' && asNumber(b) === undefined && consider([at], [b]))
        out.push({ path: at, message: `${op} compares numbers, and ${JSON.stringify(b)} is not one` });
    }
  }
  if (Array.isArray(v.between) && v.between.length === 2) {
    const [lo, hi] = v.between;
    const nlo = asNumber(lo);
    const nhi = asNumber(hi);
    const paths = [
      [...path, 'between', 0],
      [...path, 'between', 1],
    ];
    if (nlo !== undefined && nhi !== undefined && nlo > nhi && consider(paths, [lo, hi])) {
      out.push({ path: [...path, 'between'], message: `between [${nlo}, ${nhi}]: the lower bound is greater than the upper bound` });
    }
  }
  if (keys.length === 1 && keys[0] === 'index') {
    out.push({ path, message: 'index picks an element but there is no operator to apply to it; add one, e.g. gte' });
  }
  // Object expects (limits soft/hard, listener user/process, ...) hold matchers one level down.
  for (const k of keys) {
    if (!(OPERATORS as readonly string[]).includes(k)) matcherRules(v[k], [...path, k], out, consider);
  }
}

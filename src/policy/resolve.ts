// Resolve: policy files (and what they extend) merged into one list of checks, with variables interpolated
// and waivers attached. Every problem in every file is collected before anything is thrown, so a user fixes
// a policy in one pass instead of one error per run.
import { withImpliedChecks } from './implied.js';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { issueAt, loadPolicyText, posAt, readErrorText } from './load.js';
import type { LoadedPolicy } from './load.js';
import type { DataPath } from './data-path.js';
import { parseDuration } from './duration.js';
import { AREA_OF, LIMIT_TARGETS, PolicyError, SELECTORS, VarError } from './model.js';
import type {
  CertificateSelector,
  TlsSelector,
  Check,
  DnsSelector,
  HttpSelector,
  LimitsSelector,
  Matcher,
  PolicyIssue,
  ResolvedPolicy,
  Scalar,
  Selector,
  SelectorName,
  Severity,
  SourcePos,
  TcpSelector,
  Waiver,
} from './model.js';
import { isInterpolated, revalidateCheck, validateLoaded } from './validate.js';
import { displayPath } from './display.js';
import { didYouMean } from '../lib/did-you-mean.js';
import { isObject } from '../lib/is-object.js';

export interface ResolveOptions {
  /** Directory of the built-in policies: `builtin:NAME` is `${builtinDir}/NAME.yaml`. */
  builtinDir: string;
  /** Reads a policy file (absolute path); the file system by default. Lets callers serve files from memory. */
  readFile?: (absPath: string) => string;
  /** Base for relative entry files and for the file names in messages; process.cwd() by default. */
  cwd?: string;
  /** Vars given on the command line: they win over every file's `vars`. */
  vars?: Record<string, Scalar>;
}

const BUILTIN_NAME = /^[a-z0-9][a-z0-9._-]*$/;

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_FAIL_UNDER = 80;

interface Source {
  abs: string;
  display: string;
  builtin?: string;
  loaded: LoadedPolicy;
  /** The file's value when it is a map at all; parts of it may still be invalid (see badChecks and issues). */
  value: Record<string, unknown> | undefined;
  badChecks: Set<number>;
  /** A built-in's checks are declared, as far as the user can see, by the user's `extends` entry that brought it in. */
  anchor?: SourcePos;
}

interface Ref {
  source: Source;
  index: number;
  raw: Record<string, unknown>;
}

/**
 * Loads, validates and merges `entryFiles` in order (each after what it extends); later files override
 * earlier checks by id. Throws PolicyError carrying every issue found in any of the files.
 */
export function resolvePolicy(entryFiles: string[], opts: ResolveOptions): ResolvedPolicy {
  const cwd = opts.cwd ?? process.cwd();
  const read = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const builtinDir = path.resolve(cwd, opts.builtinDir);
  const issues: PolicyIssue[] = [];
  const applied: Source[] = [];
  const state = new Map<string, 'loading' | 'done'>();
  const stack: Source[] = [];
  // Set when some file could not be read as data: its checks are unknown, so "no such check" would mislead.
  let incomplete = false;

  const displayOf = (abs: string, builtinName?: string): string => displayPath(abs, cwd, builtinDir, builtinName);

  const target = (spec: string, base: string): { abs: string; display: string; builtin?: string } => {
    if (spec.startsWith('builtin:')) {
      const name = spec.slice('builtin:'.length);
      const abs = path.join(builtinDir, `${name}.yaml`);
      return { abs, display: displayOf(abs, name), builtin: name };
    }
    const abs = path.resolve(base, spec);
    return { abs, display: displayOf(abs) };
  };

  const builtinNames = (): string[] => {
    try {
      return readdirSync(builtinDir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => f.slice(0, -'.yaml'.length))
        .sort();
    } catch {
      return [];
    }
  };

  const visit = (t: { abs: string; display: string; builtin?: string }, spec: string, via?: { source: Source; index: number }): void => {
    // A built-in is a name, not a path: "builtin:../x" must not reach outside the built-in directory.
    if (t.builtin !== undefined && !BUILTIN_NAME.test(t.builtin)) {
      incomplete = true;
      const message = `invalid built-in policy name "${spec}"; built-ins are builtin:NAME with NAME like baseline`;
      issues.push(via ? issueAt(via.source.loaded, ['extends', via.index], message) : { file: spec, line: 1, column: 1, message });
      return;
    }
    const st = state.get(t.abs);
    if (st === 'loading') {
      const from = stack.findIndex((s) => s.abs === t.abs);
      // Named as the extends entries would name them, from the directory of the file that closes the cycle.
      const dir = path.dirname(via?.source.abs ?? t.abs);
      const name = (s: { abs: string; builtin?: string }): string => (s.builtin !== undefined ? `builtin:${s.builtin}` : path.relative(dir, s.abs));
      const chain = [...stack.slice(from).map(name), name(t)].join(' → ');
      if (via) issues.push(issueAt(via.source.loaded, ['extends', via.index], `extends cycle: ${chain}`));
      return;
    }
    // Applied once, where first reached: a second copy of a shared base would undo the overrides between.
    if (st === 'done') return;
    state.set(t.abs, 'done');

    let text: string;
    try {
      text = read(t.abs);
    } catch (e) {
      incomplete = true;
      if (t.builtin !== undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') {
        const names = builtinNames();
        const s = didYouMean(t.builtin, names);
        const hint = s ? `; did you mean "builtin:${s}"?` : names.length ? `; available: ${names.map((n) => `builtin:${n}`).join(', ')}` : '';
        const message = `unknown built-in policy "${spec}"${hint}`;
        issues.push(via ? issueAt(via.source.loaded, ['extends', via.index], message) : { file: spec, line: 1, column: 1, message });
      } else if (!via) {
        issues.push({ file: t.display, line: 1, column: 1, message: `cannot read: ${readErrorText(e)}` });
      } else if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        issues.push(issueAt(via.source.loaded, ['extends', via.index], `extended policy "${spec}" not found: ${t.display}`));
      } else {
        issues.push(issueAt(via.source.loaded, ['extends', via.index], `cannot read extended policy "${spec}" (${t.display}): ${readErrorText(e)}`));
      }
      return;
    }

    const loaded = loadPolicyText(text, t.display);
    if (loaded.value === undefined) incomplete = true;
    const result = validateLoaded(loaded);
    issues.push(...result.issues);
    const source: Source = {
      abs: t.abs,
      display: t.display,
      ...(t.builtin !== undefined ? { builtin: t.builtin } : {}),
      loaded,
      value: isObject(loaded.value) ? loaded.value : undefined,
      badChecks: result.badChecks,
    };
    if (t.builtin !== undefined && via) {
      const anchor = via.source.builtin !== undefined ? via.source.anchor : sourcePos(via.source, ['extends', via.index]);
      if (anchor) source.anchor = anchor;
    }
    state.set(t.abs, 'loading');
    stack.push(source);
    const ext = source.value?.extends;
    if (Array.isArray(ext)) {
      ext.forEach((spec2, index) => {
        if (typeof spec2 === 'string' && spec2 !== '') visit(target(spec2, path.dirname(t.abs)), spec2, { source, index });
      });
    }
    stack.pop();
    state.set(t.abs, 'done');
    applied.push(source);
  };

  const entries = entryFiles.map((f) => target(f, cwd));
  entries.forEach((t, i) => visit(t, entryFiles[i]!));

  // Merge in application order: later sources win, per check id, per var, per default.
  const vars: Record<string, Scalar> = {};
  let timeout = DEFAULT_TIMEOUT_MS;
  let failUnder = DEFAULT_FAIL_UNDER;
  const checks = new Map<string, Ref>();
  /** Ids some file declared, valid or not: a waiver or a disable naming one is no typo. */
  const declared = new Set<string>();
  const waivers = new Map<string, Ref>();

  for (const src of applied) {
    const v = src.value;
    if (!v) continue;
    if (isObject(v.vars)) {
      for (const [k, val] of Object.entries(v.vars)) {
        if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') vars[k] = val;
      }
    }
    if (isObject(v.defaults)) {
      const t = parseDuration(v.defaults.timeout);
      if (t !== undefined) timeout = t;
      const f = v.defaults.failUnder;
      if (typeof f === 'number' && f >= 0 && f <= 100) failUnder = f;
    }
    if (Array.isArray(v.checks)) {
      v.checks.forEach((c: unknown, index) => {
        if (!isObject(c) || typeof c.id !== 'string') return;
        const id = c.id;
        if (c.enabled === false) {
          if (!checks.delete(id) && !declared.has(id) && !incomplete) {
            const s = didYouMean(id, [...checks.keys()]);
            issues.push(
              issueAt(src.loaded, ['checks', index, 'enabled'], `cannot disable check "${id}": no policy applied before this one defines it${s ? `; did you mean "${s}"?` : ''}`),
            );
          }
        } else if (src.badChecks.has(index)) {
          // Its issues are reported; keeping an inherited version instead would hide that the override failed.
          checks.delete(id);
        } else {
          checks.set(id, { source: src, index, raw: c });
        }
        declared.add(id);
      });
    }
    if (Array.isArray(v.waivers)) {
      v.waivers.forEach((w: unknown, index) => {
        if (isObject(w) && typeof w.check === 'string') waivers.set(w.check, { source: src, index, raw: w });
      });
    }
  }

  if (opts.vars) {
    // A var no policy declares or uses is a typo (tlsport for tlsPort): say so, instead of auditing the default.
    const used = new Set(Object.keys(vars));
    for (const ref of checks.values()) {
      for (const m of JSON.stringify(ref.raw).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) used.add(m[1]!);
      if (isObject(ref.raw.when) && typeof ref.raw.when.var === 'string') used.add(ref.raw.when.var);
    }
    for (const name of Object.keys(opts.vars)) {
      if (used.has(name)) continue;
      const s = didYouMean(name, [...used]);
      const known = used.size ? `the policies' vars are ${[...used].sort().join(', ')}` : 'the policies have no vars';
      throw new VarError(`--var ${name}: no policy declares or uses a var "${name}"${s ? `; did you mean "${s}"?` : `; ${known}`}`);
    }
  }
  Object.assign(vars, opts.vars);
  const varNames = Object.keys(vars);
  const built = new Map<string, Check>();
  for (const [id, ref] of checks) {
    const before = issues.length;
    const { value, changed } = interpolate(ref.raw, ['checks', ref.index], vars, (p, message) => issues.push(issueAt(ref.source.loaded, p, message)));
    const when = ref.raw.when;
    if (isObject(when) && typeof when.var === 'string' && !(when.var in vars)) {
      issues.push(issueAt(ref.source.loaded, ['checks', ref.index, 'when', 'var'], `undefined variable ${when.var} in when; ${definedList(varNames)}`));
    }
    if (issues.length > before) continue;
    if (changed) {
      const more = revalidateCheck(ref.source.loaded, ref.index, ref.raw, value);
      if (more.length > 0) {
        issues.push(...more);
        continue;
      }
    }
    built.set(id, buildCheck(value as Record<string, unknown>, sourcePos(ref.source, ['checks', ref.index]), ref));
  }

  for (const [id, w] of waivers) {
    const check = built.get(id);
    if (check) {
      const waiver: Waiver = { reason: String(w.raw.reason ?? ''), source: sourcePos(w.source, ['waivers', w.index]) };
      if (typeof w.raw.expires === 'string') waiver.expires = w.raw.expires;
      check.waiver = waiver;
    } else if (!declared.has(id) && !incomplete) {
      const s = didYouMean(id, [...checks.keys()]);
      issues.push(issueAt(w.source.loaded, ['waivers', w.index, 'check'], `waiver for unknown check "${id}"${s ? `; did you mean "${s}"?` : ''}`));
    }
  }

  if (issues.length > 0) throw new PolicyError(ordered(issues, applied));

  const last = applied.find((s) => s.abs === entries[entries.length - 1]?.abs);
  const meta = isObject(last?.value?.metadata) ? last.value.metadata : {};
  const resolved: ResolvedPolicy = {
    name: typeof meta.name === 'string' ? meta.name : '',
    sources: applied.map((s) => s.display),
    vars,
    defaults: { timeout, failUnder },
    checks: withImpliedChecks([...built.values()]),
  };
  if (typeof meta.description === 'string') resolved.description = meta.description;
  return resolved;
}

function sourcePos(src: Source, p: DataPath): SourcePos {
  return { file: src.display, ...posAt(src.loaded, p) };
}

function definedList(names: string[]): string {
  return names.length ? `defined: ${names.join(', ')}` : 'no variables are defined';
}

/** Issues grouped by file in the order the files were applied (unread files first), then by position. */
function ordered(issues: PolicyIssue[], applied: Source[]): PolicyIssue[] {
  const rank = new Map(applied.map((s, i) => [s.display, i]));
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const k = `${i.file}\0${i.line}\0${i.column}\0${i.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((issue, n) => ({ issue, n }))
    .sort((a, b) => (rank.get(a.issue.file) ?? -1) - (rank.get(b.issue.file) ?? -1) || a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.n - b.n)
    .map(({ issue }) => issue);
}

const WHOLE_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const REF = /\$\$\{|\$\{([^}]*)(\})?/g;
const ESCAPE_HINT = 'write $${ for a literal ${';

/**
 * `${name}` in every string of a check except its id and when.var. A string that is exactly `${name}` becomes
 * the variable's value with its type (a port stays a number); elsewhere the value is spliced in as text.
 */
function interpolate(
  v: unknown,
  at: DataPath,
  vars: Record<string, Scalar>,
  report: (p: DataPath, message: string) => void,
): { value: unknown; changed: boolean } {
  let changed = false;
  const names = Object.keys(vars);
  const walk = (x: unknown, p: DataPath): unknown => {
    if (typeof x === 'string') {
      if (!x.includes('${') || !isInterpolated(p)) return x;
      changed = true;
      const whole = WHOLE_REF.exec(x);
      if (whole) {
        const name = whole[1]!;
        if (name in vars) return vars[name];
        report(p, `undefined variable \${${name}}; ${definedList(names)}`);
        return x;
      }
      return x.replace(REF, (m: string, name: string | undefined, close: string | undefined) => {
        if (m === '$${') return '${';
        if (close === undefined) {
          report(p, `unterminated variable reference "${m}"; ${ESCAPE_HINT}`);
          return m;
        }
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name ?? '')) {
          report(p, `invalid variable reference "${m}": names are letters, digits and _; ${ESCAPE_HINT}`);
          return m;
        }
        if (!(name! in vars)) {
          report(p, `undefined variable ${m}; ${definedList(names)}`);
          return m;
        }
        return String(vars[name!]);
      });
    }
    if (Array.isArray(x)) return x.map((e, i) => walk(e, [...p, i]));
    if (isObject(x)) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(x)) out[k] = walk(e, [...p, k]);
      return out;
    }
    return x;
  };
  const value = walk(v, at);
  return { value, changed };
}

/** The Check for a validated, interpolated check: shapes are trusted here because the schema passed. */
function buildCheck(c: Record<string, unknown>, source: SourcePos, ref: Ref): Check {
  const sel = SELECTORS.find((k) => k in c) as SelectorName;
  const check: Check = {
    id: c.id as string,
    title: typeof c.title === 'string' ? c.title : (c.id as string),
    severity: (c.severity as Severity | undefined) ?? 'medium',
    area: AREA_OF[sel],
    selector: selectorOf(sel, c[sel]),
    expect: c.expect,
    tags: (c.tags as string[] | undefined) ?? [],
    refs: (c.refs as string[] | undefined) ?? [],
    source,
  };
  if (ref.source.anchor) check.anchor = ref.source.anchor;
  if (typeof c.rationale === 'string') check.rationale = c.rationale;
  if (typeof c.remediation === 'string') check.remediation = c.remediation;
  if (isObject(c.when)) check.when = { var: c.when.var as string, expect: c.when.expect as Matcher };
  const t = parseDuration(c.timeout);
  if (t !== undefined) check.timeout = t;
  if (c.expect !== undefined) check.expectSource = sourcePos(ref.source, ['checks', ref.index, 'expect']);
  // A trust-anchor file is read on the auditing machine: a relative path means the policy file's directory,
  // as `extends` does, not wherever the audit happens to run.
  const s = check.selector;
  if ((s.kind === 'tls' || s.kind === 'http') && s.spec.ca !== undefined && !path.isAbsolute(s.spec.ca)) {
    s.spec.ca = path.resolve(path.dirname(ref.source.abs), s.spec.ca);
  }
  return check;
}

function selectorOf(sel: SelectorName, v: unknown): Selector {
  const o = isObject(v) ? v : {};
  switch (sel) {
    case 'sysctl':
      return { kind: 'sysctl', key: v as string };
    case 'limits': {
      const spec: LimitsSelector = { item: o.item as string };
      for (const k of LIMIT_TARGETS) if (o[k] !== undefined) (spec as unknown as Record<string, unknown>)[k] = o[k];
      return { kind: 'limits', spec };
    }
    case 'listener':
      return { kind: 'listener', spec: { port: o.port as number, protocol: (o.protocol as 'tcp' | 'udp' | undefined) ?? 'tcp' } };
    case 'listeners': {
      const spec: { protocol?: 'tcp' | 'udp'; unprivileged?: boolean } = {};
      if (o.protocol !== undefined) spec.protocol = o.protocol as 'tcp' | 'udp';
      if (o.unprivileged !== undefined) spec.unprivileged = o.unprivileged as boolean;
      return { kind: 'listeners', spec };
    }
    case 'tcpStates':
      return { kind: 'tcpStates', spec: {} };
    case 'netstat':
      return { kind: 'netstat', counter: v as string };
    case 'interface':
      return { kind: 'interface', name: v as string };
    case 'route':
      return { kind: 'route', dest: v as string };
    case 'firewall':
      return {
        kind: 'firewall',
        spec: { chain: o.chain as 'input' | 'forward' | 'output', family: (o.family as 'ip' | 'ip6' | 'inet' | undefined) ?? 'inet' },
      };
    case 'tcp': {
      const spec: TcpSelector = { host: o.host as string, port: o.port as number };
      if (o.samples !== undefined) spec.samples = o.samples as number;
      return { kind: 'tcp', spec };
    }
    case 'dns': {
      const spec: DnsSelector = { name: o.name as string };
      if (o.type !== undefined) spec.type = o.type as string;
      if (o.server !== undefined) spec.server = o.server as string;
      return { kind: 'dns', spec };
    }
    case 'http': {
      const spec: HttpSelector = { url: o.url as string };
      if (o.method !== undefined) spec.method = o.method as string;
      if (isObject(o.headers)) spec.headers = o.headers as Record<string, string>;
      if (o.ca !== undefined) spec.ca = o.ca as string;
      return { kind: 'http', spec };
    }
    case 'tls': {
      const spec: TlsSelector = { host: o.host as string, port: (o.port as number | undefined) ?? 443 };
      for (const k of ['servername', 'ip', 'ca'] as const) if (o[k] !== undefined) spec[k] = o[k] as string;
      if (o.allAddresses !== undefined) spec.allAddresses = o.allAddresses as boolean;
      return { kind: 'tls', spec };
    }
    case 'tlsListeners':
      return { kind: 'tlsListeners', spec: Array.isArray(o.ports) ? { ports: o.ports as number[] } : {} };
    case 'certificate': {
      const spec: CertificateSelector = { path: o.path as string };
      if (o.key !== undefined) spec.key = o.key as string;
      return { kind: 'certificate', spec };
    }
  }
}

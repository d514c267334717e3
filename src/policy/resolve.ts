// Resolve: policy files (and what they extend) merged into one list of checks, with variables interpolated
// and waivers attached. Every problem in every file is collected before anything is thrown, so a user fixes
// a policy in one pass instead of one error per run. The jobs, in order: read the files (sources.ts), merge
// them (merge.ts), check the command line's vars, build each check (interpolate.ts, build-check.ts), attach
// the waivers.
import * as path from 'node:path';
import { withImpliedChecks } from './implied.js';
import type { DataPath } from './data-path.js';
import { issueAt } from './load.js';
import { PolicyError, VarError } from './model.js';
import type { Check, PolicyIssue, ResolvedPolicy, Scalar, Waiver } from './model.js';
import { revalidateCheck } from './validate.js';
import { readSources, sourcePos } from './sources.js';
import type { Source } from './sources.js';
import { mergeSources } from './merge.js';
import type { Merged, Ref } from './merge.js';
import { definedList, interpolate } from './interpolate.js';
import { buildCheck } from './build-check.js';
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
  /** A fleet host's own (`host.name`, `host.vars.X`): over the files' vars, under the command line's. */
  hostVars?: Record<string, Scalar>;
  /**
   * Whether the probes leave from the audited host, so that the host's own layers under them (the route and the
   * next hop's neighbour) are implied too; true by default, false for a fleet, whose probes leave from the auditor.
   */
  lowerLayers?: boolean;
  /** Where a var of `vars` came from (FILE:LINE:COL of a --vars file), for what is said of it; else --var. */
  varOrigin?: Record<string, string>;
}

/**
 * Loads, validates and merges `entryFiles` in order (each after what it extends); later files override
 * earlier checks by id. Throws PolicyError carrying every issue found in any of the files.
 */
export function resolvePolicy(entryFiles: string[], opts: ResolveOptions): ResolvedPolicy {
  const { applied, entries, issues, incomplete } = readSources(entryFiles, opts);
  const merged = mergeSources(applied, incomplete, issues);
  const said = (name: string): string => (opts.varOrigin?.[name] !== undefined ? `${opts.varOrigin[name]}: ${name}` : `--var ${name}`);
  if (opts.vars) checkCommandLineVars(opts.vars, merged.vars, merged.checks.values(), said);
  const vars = { ...merged.vars, ...opts.hostVars, ...opts.vars };
  // A var given to the run (--var, --vars, a fleet host's) holds paths as a command line does: from the working
  // directory. A policy's own var, from that policy file's directory.
  const cwd = opts.cwd ?? process.cwd();
  const varDir = (name: string): string | undefined => (name in (opts.vars ?? {}) || name in (opts.hostVars ?? {}) ? cwd : merged.varDirs[name]);
  const built = buildChecks(merged.checks, vars, varDir, issues);
  attachWaivers(built, merged, incomplete, issues);
  if (issues.length > 0) {
    if (opts.vars) refuseCommandLineValues(issues, opts.vars, said);
    throw new PolicyError(ordered(issues, applied));
  }

  const last = applied.find((s) => s.abs === entries[entries.length - 1]);
  const meta = isObject(last?.value?.metadata) ? last.value.metadata : {};
  const resolved: ResolvedPolicy = {
    name: typeof meta.name === 'string' ? meta.name : '',
    sources: applied.map((s) => s.display),
    vars,
    defaults: { timeout: merged.timeout, failUnder: merged.failUnder },
    checks: withImpliedChecks([...built.values()], opts.lowerLayers ?? true),
  };
  if (typeof meta.description === 'string') resolved.description = meta.description;
  return resolved;
}

/**
 * A value given with --var that the checks using it cannot take is the command line's mistake: one error at
 * --var (with where it is used), not one inside the policy at every use.
 */
function refuseCommandLineValues(issues: PolicyIssue[], given: Record<string, Scalar>, said: (name: string) => string): void {
  const first = issues.find((i) => i.vars?.some((v) => v in given));
  if (!first) return;
  const name = first.vars!.find((v) => v in given)!;
  const uses = issues.filter((i) => i.vars?.includes(name));
  const where = `${first.file}:${first.line}:${first.column}${uses.length > 1 ? ` and ${uses.length - 1} more place${uses.length > 2 ? 's' : ''}` : ''}`;
  throw new VarError(`${said(name)}=${String(given[name])}: ${first.valueProblem ?? first.message} (where ${where} use${uses.length > 1 ? '' : 's'} it)`);
}

/** A var given on the command line that no policy declares or uses is a typo (tlsport for tlsPort): say so, instead of auditing the default. */
function checkCommandLineVars(given: Record<string, Scalar>, declared: Record<string, Scalar>, checks: Iterable<Ref>, said: (name: string) => string): void {
  const used = new Set(Object.keys(declared));
  for (const ref of checks) {
    for (const m of JSON.stringify(ref.raw).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/g)) used.add(m[1]!);
    if (isObject(ref.raw.when) && typeof ref.raw.when.var === 'string') used.add(ref.raw.when.var);
  }
  for (const name of Object.keys(given)) {
    if (used.has(name)) continue;
    const s = didYouMean(name, [...used]);
    const known = used.size ? `the policies' vars are ${[...used].sort().join(', ')}` : 'the policies have no vars';
    throw new VarError(`${said(name)}: no policy declares or uses a var "${name}"${s ? `; did you mean "${s}"?` : `; ${known}`}`);
  }
}

/** Each check in force with its vars interpolated (and revalidated where a var stood), as the Check model. */
function buildChecks(
  checks: Map<string, Ref>,
  vars: Record<string, Scalar>,
  varDir: (name: string) => string | undefined,
  issues: PolicyIssue[],
): Map<string, Check> {
  const varNames = Object.keys(vars);
  const built = new Map<string, Check>();
  for (const [id, ref] of checks) {
    const before = issues.length;
    const { value, changed, leading } = interpolate(ref.raw, ['checks', ref.index], vars, (p, message) => issues.push(issueAt(ref.source.loaded, p, message)));
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
    // Where a relative path at a data path of the check is read from: where the var it starts with was set, else
    // the policy file that wrote it.
    const policyDir = path.dirname(ref.source.abs);
    const dirAt = (p: DataPath): string => {
      const name = leading.get(JSON.stringify(p));
      return (name !== undefined ? varDir(name) : undefined) ?? policyDir;
    };
    built.set(id, buildCheck(value as Record<string, unknown>, sourcePos(ref.source, ['checks', ref.index]), ref, dirAt));
  }
  return built;
}

function attachWaivers(built: Map<string, Check>, merged: Merged, incomplete: boolean, issues: PolicyIssue[]): void {
  for (const [id, w] of merged.waivers) {
    const check = built.get(id);
    if (check) {
      const waiver: Waiver = { reason: String(w.raw.reason ?? ''), source: sourcePos(w.source, ['waivers', w.index]) };
      if (typeof w.raw.expires === 'string') waiver.expires = w.raw.expires;
      check.waiver = waiver;
    } else if (!merged.declared.has(id) && !incomplete) {
      const s = didYouMean(id, [...merged.checks.keys()]);
      issues.push(issueAt(w.source.loaded, ['waivers', w.index, 'check'], `waiver for unknown check "${id}"${s ? `; did you mean "${s}"?` : ''}`));
    }
  }
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
    .sort(
      (a, b) => (rank.get(a.issue.file) ?? -1) - (rank.get(b.issue.file) ?? -1) || a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.n - b.n,
    )
    .map(({ issue }) => issue);
}

// Option handling shared by the commands: policy files, the built-in baseline, output targets.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { didYouMean } from '../lib/did-you-mean.js';
import { invalidAllowTarget } from '../lib/targets.js';
import { readVarsFile } from './vars-file.js';
import { selectChecks, unmatchedSelection } from '../policy/select.js';
import { UsageError } from './errors.js';
import { writeErr } from './stdio.js';
import { builtinDir, precompiledFile } from './paths.js';
import { loadPrecompiled } from '../policy/precompiled.js';
import type { ResolvedPolicy, Scalar } from '../policy/model.js';
import { stdoutIsTerminal } from './stdio.js';
import { parseDuration, timeoutRangeProblem } from '../policy/duration.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A number with a minus sign: `-5`, `-0.5`, `-.5`, `-1e3`. */
const NEGATIVE_NUMBER = /^-(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * util.parseArgs for every command, strict, with one difference: after an option that takes a value, an
 * argument that starts with '-' and reads as a number is that value. parseArgs would call `--fail-under -5`
 * ambiguous; the option's own check then says what range it takes.
 */
export function parseCommandLine<T extends ParseArgsConfig & { args: string[]; options: OptionsConfig }>(
  config: T,
  command: string,
): ReturnType<typeof parseArgs<T>> {
  const args = attachNegativeNumbers(config.args, config.options);
  refuseArguments(args, config.options, config.allowPositionals === true, command);
  return parseArgs({ ...config, args, strict: true }) as ReturnType<typeof parseArgs<T>>;
}

/**
 * What util.parseArgs would refuse, said in plumbline's words with the way out (the option meant, the command's
 * help): an unknown option, an option without its value, a value given to a switch, an argument not taken.
 */
function refuseArguments(args: readonly string[], options: OptionsConfig, allowPositionals: boolean, command: string): void {
  const help = `Run "plumbline ${command} --help" for every option.`;
  const names = Object.keys(options);
  const byShort = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      if (!allowPositionals && args.length > i + 1) throw new UsageError(`unexpected argument "${args[i + 1]}": ${command} takes options only\n${help}`);
      return;
    }
    let name: string | undefined;
    let inline = false;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq >= 0;
      if (!(name in options)) {
        const meant = didYouMean(name, names);
        throw new UsageError(`unknown option --${name}${meant ? `; did you mean --${meant}?` : ''}\n${help}`);
      }
    } else if (a.startsWith('-') && a.length > 1) {
      name = byShort.get(a[1]!);
      if (name === undefined) throw new UsageError(`unknown option -${a[1]}\n${help}`);
      inline = a.length > 2;
    } else {
      if (!allowPositionals) throw new UsageError(`unexpected argument "${a}": ${command} takes options only\n${help}`);
      continue;
    }
    const takesValue = options[name]!.type === 'string';
    if (!takesValue && inline) throw new UsageError(`--${name} is a switch and takes no value, got "${a}"\n${help}`);
    if (takesValue && !inline) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`--${name} needs a value\n${help}`);
      i++;
    }
  }
}

/** `--opt -5` as `--opt=-5` and `-o -5` as `-o-5`, for options of type string; everything else as given. */
function attachNegativeNumbers(args: readonly string[], options: OptionsConfig): string[] {
  const takesValue = (a: string): boolean => {
    if (a.startsWith('--')) return !a.includes('=') && options[a.slice(2)]?.type === 'string';
    return a.length === 2 && a[0] === '-' && Object.values(options).some((o) => o.short === a[1] && o.type === 'string');
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (next !== undefined && NEGATIVE_NUMBER.test(next) && takesValue(a)) {
      out.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** Options every policy-reading command takes (util.parseArgs form). */
export const POLICY_OPTIONS = {
  policy: { type: 'string', short: 'p', multiple: true },
  var: { type: 'string', multiple: true },
  vars: { type: 'string', multiple: true },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The checks `--only` and `--skip` leave to judge; a pattern that matches no check is refused, as a typo. */
export function selected(policy: ResolvedPolicy, v: { only?: string[] | undefined; skip?: string[] | undefined }): ResolvedPolicy {
  const sel = { ...(v.only ? { only: v.only } : {}), ...(v.skip ? { skip: v.skip } : {}) };
  const unmatched = unmatchedSelection(policy, sel);
  if (unmatched.length)
    throw new UsageError(
      `${unmatched.map((p) => `"${p}"`).join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no check of the policy ${policy.name} (by id, tag or area)`,
    );
  return selectChecks(policy, sel);
}

/**
 * The vars a run sets over the policies' own: `--vars FILE` maps in order, then `--var NAME=VALUE` over them;
 * with where each came from, for what is said about one.
 */
export function policyVars(v: { var?: string[] | undefined; vars?: string[] | undefined }): PolicyVars {
  return mergeVars(v.vars ?? [], parseVars(v.var));
}

export interface PolicyVars {
  vars?: Record<string, Scalar>;
  /** Where a var of a vars file came from (FILE:LINE:COL); the given ones are said as --var. */
  varOrigin?: Record<string, string>;
}

/** Vars files in order (later ones win), then the vars given one by one over them (`--var`, the Action's `vars`). */
export function mergeVars(files: readonly string[], given: Record<string, Scalar> | undefined): PolicyVars {
  if (!files.length) return given ? { vars: given } : {};
  const vars: Record<string, Scalar> = {};
  const varOrigin: Record<string, string> = {};
  for (const file of files) {
    const read = readVarsFile(file);
    Object.assign(vars, read.values);
    Object.assign(varOrigin, read.origin);
  }
  for (const [name, value] of Object.entries(given ?? {})) {
    vars[name] = value;
    delete varOrigin[name];
  }
  return { vars, varOrigin };
}

/**
 * The resolved policy for `-p` values. A lone built-in (the default run) comes precompiled, so the YAML
 * parser and the schema validator are not even loaded; anything else goes through the resolver.
 */
export async function loadPolicies(given: string[] | undefined, vars?: Record<string, Scalar>, varOrigin?: Record<string, string>): Promise<ResolvedPolicy> {
  const only = given && given.length === 1 ? given[0] : given && given.length > 1 ? undefined : 'builtin:baseline';
  // Vars change what the checks say, so a precompiled policy serves only a run without them.
  if (only?.startsWith('builtin:') && vars === undefined) {
    const pre = loadPrecompiled(precompiledFile(), builtinDir(), only.slice('builtin:'.length));
    if (pre) return pre;
  }
  const { resolvePolicy } = await import('../policy/resolve.js');
  return resolvePolicy(policyFiles(given), { builtinDir: builtinDir(), ...(vars !== undefined ? { vars } : {}), ...(varOrigin ? { varOrigin } : {}) });
}

/**
 * `--var NAME=VALUE` values, over every policy's own vars. A value reads as YAML would read it in `vars:`: a
 * whole number is a number (a port), true and false are booleans, anything else is text.
 */
export function parseVars(args: string[] | undefined, name = '--var'): Record<string, Scalar> | undefined {
  if (!args || args.length === 0) return undefined;
  const out: Record<string, Scalar> = {};
  for (const a of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (!m) throw new UsageError(`${name} takes NAME=VALUE (a name of letters, digits and _), got "${a}"`);
    const v = m[2]!;
    out[m[1]!] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

/** `-p` values as the resolver wants them; none means the built-in baseline. */
export function policyFiles(given: string[] | undefined): string[] {
  if (!given || given.length === 0) return ['builtin:baseline'];
  // builtin:NAME goes to the resolver as it is: it knows the built-ins and suggests one for a typo.
  return given;
}

export function parseThreshold(v: string | undefined, name = '--fail-under'): number | undefined {
  if (v === undefined) return undefined;
  // Number('') is 0: an unset $THRESHOLD must not silently pass every host.
  const n = /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`${name} takes a number from 0 to 100, got "${v}"`);
  return n;
}

export function useColor(flags: { color?: boolean; 'no-color'?: boolean }): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  const ci = (process.env.CI ?? '').toLowerCase();
  return stdoutIsTerminal() || ci === 'true' || ci === '1';
}

/** How collecting runs: the whole run's deadline, how many live probes are in flight at once, the progress line. */
export const COLLECT_OPTIONS = {
  deadline: { type: 'string' },
  concurrency: { type: 'string' },
  'allow-target': { type: 'string', multiple: true },
  'no-progress': { type: 'boolean' },
} as const;

export const COLLECT_USAGE = `      --deadline DURATION  end collecting by then ("30s", "2m"); what is still running becomes an error
                           (default: twice the longest timeout, at least 20s)
      --concurrency N      live probes (tcp, dns, http, tls) in flight at once (default 16)
      --allow-target CIDR  let live probes connect to this network (repeatable): link-local and cloud
                           metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) are refused otherwise
      --no-progress        no progress line for live probes on standard error (see "Progress" below)
`;

/**
 * A duration given on the command line, with its unit: a bare number is refused, as "5" would be 5 ms to a
 * policy's reader and 5 s to most people.
 */
export function durationOption(name: string, given: string): number {
  const v = given.trim();
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(v)) throw new UsageError(`${name} takes a duration with its unit ("${v}s", "${v}ms"; units ms, s, m, h), got "${given}"`);
  const ms = parseDuration(v);
  const problem = ms === undefined ? 'is not a duration like "30s", "2m" or "500ms" (units ms, s, m, h)' : timeoutRangeProblem(ms);
  if (problem) throw new UsageError(`${name} ${problem}, got "${given}"`);
  return ms!;
}

/** How collecting runs, as the command line or the Action gives it. */
export interface CollectChoices {
  deadlineMs?: number;
  concurrency?: number;
  allowTargets?: string[];
}

/** Networks the live probes may connect to beyond the default, each one checked (`name` says where it was given). */
export function parseAllowTargets(given: readonly string[], name = '--allow-target'): string[] {
  for (const g of given) {
    const why = invalidAllowTarget(g);
    if (why) throw new UsageError(`${name}: ${why}`);
    // Admitting everything is allowed, but it lifts the refusal the option exists to make exceptions to.
    if (g.trim().endsWith('/0')) writeErr(`plumbline: warning: ${name} ${g.trim()} admits every address, the cloud metadata services' too\n`);
  }
  return given.map((g) => g.trim());
}

export function parseCollectOptions(v: {
  deadline?: string | undefined;
  concurrency?: string | undefined;
  'allow-target'?: string[] | undefined;
}): CollectChoices {
  const out: CollectChoices = {};
  if (v['allow-target'] !== undefined) out.allowTargets = parseAllowTargets(v['allow-target']);
  if (v.deadline !== undefined) out.deadlineMs = durationOption('--deadline', v.deadline);
  if (v.concurrency !== undefined) {
    const n = /^\s*\d+\s*$/.test(v.concurrency) ? Number(v.concurrency) : NaN;
    if (!(n >= 1 && n <= 1024)) throw new UsageError(`--concurrency takes a whole number from 1 to 1024, got "${v.concurrency}"`);
    out.concurrency = n;
  }
  return out;
}

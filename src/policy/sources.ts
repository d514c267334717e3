// The files a policy is made of: the entry files and everything they extend, each read, loaded and validated
// once, in the order they apply (a file after what it extends). Problems are collected, never thrown.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { issueAt, loadPolicyText, posAt, readErrorText } from './load.js';
import type { LoadedPolicy } from './load.js';
import type { DataPath } from './data-path.js';
import type { PolicyIssue, SourcePos } from './model.js';
import { validateLoaded } from './validate.js';
import { displayPath } from './display.js';
import { didYouMean } from '../lib/did-you-mean.js';
import { isObject } from '../lib/is-object.js';

export interface Source {
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

export interface SourceOptions {
  builtinDir: string;
  readFile?: (absPath: string) => string;
  cwd?: string;
}

export interface Sources {
  /** In application order: every file after the files it extends. */
  applied: Source[];
  /** The entry files' absolute paths, in the order given. */
  entries: string[];
  issues: PolicyIssue[];
  /** Some file could not be read as data: its checks are unknown, so "no such check" would mislead. */
  incomplete: boolean;
}

interface Target {
  abs: string;
  display: string;
  builtin?: string;
}

/** The `extends` entry that named a file. */
interface Via {
  source: Source;
  index: number;
}

const BUILTIN_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export function sourcePos(src: Source, p: DataPath): SourcePos {
  return { file: src.display, ...posAt(src.loaded, p) };
}

export function readSources(entryFiles: string[], opts: SourceOptions): Sources {
  const cwd = opts.cwd ?? process.cwd();
  const read = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const builtinDir = path.resolve(cwd, opts.builtinDir);
  const out: Sources = { applied: [], entries: [], issues: [], incomplete: false };
  const state = new Map<string, 'loading' | 'done'>();
  const stack: Source[] = [];

  const target = (spec: string, base: string): Target => {
    if (spec.startsWith('builtin:')) {
      const name = spec.slice('builtin:'.length);
      const abs = path.join(builtinDir, `${name}.yaml`);
      return { abs, display: displayPath(abs, cwd, builtinDir, name), builtin: name };
    }
    const abs = path.resolve(base, spec);
    return { abs, display: displayPath(abs, cwd, builtinDir) };
  };

  const visit = (t: Target, spec: string, via?: Via): void => {
    // A built-in is a name, not a path: "builtin:../x" must not reach outside the built-in directory.
    if (t.builtin !== undefined && !BUILTIN_NAME.test(t.builtin)) {
      out.incomplete = true;
      out.issues.push(at(via, spec, `invalid built-in policy name "${spec}"; built-ins are builtin:NAME with NAME like baseline`));
      return;
    }
    const st = state.get(t.abs);
    if (st === 'loading') {
      if (via) out.issues.push(issueAt(via.source.loaded, ['extends', via.index], `extends cycle: ${cycleOf(stack, t, via.source.abs)}`));
      return;
    }
    // Applied once, where first reached: a second copy of a shared base would undo the overrides between.
    if (st === 'done') return;
    state.set(t.abs, 'done');

    let text: string;
    try {
      text = read(t.abs);
    } catch (e) {
      out.incomplete = true;
      out.issues.push(unreadable(e, t, spec, via, builtinDir));
      return;
    }
    const { source, issues } = loadSource(t, text);
    // A waivers file given as a policy: said once (rules.ts), not once more for every waiver in it.
    const value = source.loaded.value;
    if (value === undefined || (isObject(value) && value.kind === 'Waivers')) out.incomplete = true;
    out.issues.push(...issues);
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
    out.applied.push(source);
  };

  const entries = entryFiles.map((f) => target(f, cwd));
  entries.forEach((t, i) => visit(t, entryFiles[i]!));
  out.entries = entries.map((t) => t.abs);
  return out;
}

/** An issue at the `extends` entry that named the file, or at the spec itself when the command line named it. */
function at(via: Via | undefined, spec: string, message: string): PolicyIssue {
  return via ? issueAt(via.source.loaded, ['extends', via.index], message) : { file: spec, line: 1, column: 1, message };
}

function loadSource(t: Target, text: string): { source: Source; issues: PolicyIssue[] } {
  const loaded = loadPolicyText(text, t.display);
  const result = validateLoaded(loaded);
  const source: Source = {
    abs: t.abs,
    display: t.display,
    ...(t.builtin !== undefined ? { builtin: t.builtin } : {}),
    loaded,
    value: isObject(loaded.value) ? loaded.value : undefined,
    badChecks: result.badChecks,
  };
  return { source, issues: result.issues };
}

/** The files of an extends cycle, named as the extends entries would name them, from the file that closes it. */
function cycleOf(stack: readonly Source[], t: Target, closedBy: string): string {
  const from = stack.findIndex((s) => s.abs === t.abs);
  const dir = path.dirname(closedBy);
  const name = (s: { abs: string; builtin?: string }): string => (s.builtin !== undefined ? `builtin:${s.builtin}` : path.relative(dir, s.abs));
  return [...stack.slice(from).map(name), name(t)].join(' → ');
}

function unreadable(e: unknown, t: Target, spec: string, via: Via | undefined, builtinDir: string): PolicyIssue {
  const code = (e as NodeJS.ErrnoException).code;
  if (t.builtin !== undefined && code === 'ENOENT') {
    const names = builtinNames(builtinDir);
    const s = didYouMean(t.builtin, names);
    const hint = s ? `; did you mean "builtin:${s}"?` : names.length ? `; available: ${names.map((n) => `builtin:${n}`).join(', ')}` : '';
    return at(via, spec, `unknown built-in policy "${spec}"${hint}`);
  }
  if (!via) return { file: t.display, line: 1, column: 1, message: `cannot read: ${readErrorText(e)}` };
  if (code === 'ENOENT') return issueAt(via.source.loaded, ['extends', via.index], `extended policy "${spec}" not found: ${t.display}`);
  return issueAt(via.source.loaded, ['extends', via.index], `cannot read extended policy "${spec}" (${t.display}): ${readErrorText(e)}`);
}

function builtinNames(builtinDir: string): string[] {
  try {
    return readdirSync(builtinDir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

// The merge of the applied files, in application order: later files win, per check id, per var, per default.
import * as path from 'node:path';
import { issueAt } from './load.js';
import { parseDuration } from './duration.js';
import type { PolicyIssue, Scalar } from './model.js';
import type { Source } from './sources.js';
import { didYouMean } from '../lib/did-you-mean.js';
import { isObject } from '../lib/is-object.js';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_FAIL_UNDER = 80;

/** A check or waiver as written, and where. */
export interface Ref {
  source: Source;
  index: number;
  raw: Record<string, unknown>;
}

export interface Merged {
  vars: Record<string, Scalar>;
  /** The directory of the file that set each var: a relative path a var holds is read from there. */
  varDirs: Record<string, string>;
  timeout: number;
  failUnder: number;
  /** The checks in force, by id. */
  checks: Map<string, Ref>;
  /** Ids some file declared, valid or not: a waiver or a disable naming one is no typo. */
  declared: Set<string>;
  waivers: Map<string, Ref>;
}

/** Merges the applied files; `issues` receives disables of checks no earlier file defines. */
export function mergeSources(applied: readonly Source[], incomplete: boolean, issues: PolicyIssue[]): Merged {
  const m: Merged = {
    vars: {},
    varDirs: {},
    timeout: DEFAULT_TIMEOUT_MS,
    failUnder: DEFAULT_FAIL_UNDER,
    checks: new Map(),
    declared: new Set(),
    waivers: new Map(),
  };
  for (const src of applied) {
    const v = src.value;
    if (!v) continue;
    if (isObject(v.vars)) {
      for (const [k, val] of Object.entries(v.vars)) {
        if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') {
          m.vars[k] = val;
          m.varDirs[k] = path.dirname(src.abs);
        }
      }
    }
    if (isObject(v.defaults)) {
      const t = parseDuration(v.defaults.timeout);
      if (t !== undefined) m.timeout = t;
      const f = v.defaults.failUnder;
      if (typeof f === 'number' && f >= 0 && f <= 100) m.failUnder = f;
    }
    if (Array.isArray(v.checks)) v.checks.forEach((c: unknown, index) => mergeCheck(m, src, c, index, incomplete, issues));
    if (Array.isArray(v.waivers)) {
      v.waivers.forEach((w: unknown, index) => {
        if (isObject(w) && typeof w.check === 'string') m.waivers.set(w.check, { source: src, index, raw: w });
      });
    }
  }
  return m;
}

function mergeCheck(m: Merged, src: Source, c: unknown, index: number, incomplete: boolean, issues: PolicyIssue[]): void {
  if (!isObject(c) || typeof c.id !== 'string') return;
  const id = c.id;
  if (c.enabled === false) {
    if (!m.checks.delete(id) && !m.declared.has(id) && !incomplete) {
      const s = didYouMean(id, [...m.checks.keys()]);
      issues.push(
        issueAt(
          src.loaded,
          ['checks', index, 'enabled'],
          `cannot disable check "${id}": no policy applied before this one defines it${s ? `; did you mean "${s}"?` : ''}`,
        ),
      );
    }
  } else if (src.badChecks.has(index)) {
    // Its issues are reported; keeping an inherited version instead would hide that the override failed.
    m.checks.delete(id);
  } else {
    m.checks.set(id, { source: src, index, raw: c });
  }
  m.declared.add(id);
}

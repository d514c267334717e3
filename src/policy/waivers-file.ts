// `--waivers FILE`: accepted exceptions kept apart from the policy, owned and dated, so that a policy repository
// can review them on their own. The document is read as a policy is (load.ts: every problem at its
// file:line:col) and checked against schemas/waivers.schema.json, the schema editors use.
import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { didYouMean } from '../lib/did-you-mean.js';
import { isObject } from '../lib/is-object.js';
import { pointerToPath } from './data-path.js';
import { validate } from './generated/waivers-validator.js';
import { issueAt, loadPolicyText, posAt, readErrorText } from './load.js';
import type { LoadedPolicy } from './load.js';
import { PolicyError, type PolicyIssue, type SourcePos } from './model.js';
import { isRealDate } from './rules.js';

/** One waiver of the file: which checks, why, whose, until when, on which hosts. */
export interface WaiverRule {
  /** A check id, tag or area, with `*` and `?` globs (as --only takes them). */
  check: string;
  justification: string;
  owner: string;
  /** YYYY-MM-DD: the last day it applies. */
  expires: string;
  /** Patterns of host names or addresses; none: every host. */
  hosts?: string[];
  /** false: the waived checks are not collected. */
  run: boolean;
  /** Where the waiver is written (its `check` key). */
  source: SourcePos;
}

const NAMED = {
  apiVersion: 'plumbline/v1',
  kind: 'Waivers',
} as const;

/** The file's waivers; every problem in it at once, as a PolicyError (exit 2, file:line:col each). */
export function readWaiversFile(file: string): WaiverRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError([
      { file, line: 1, column: 1, message: `cannot read the waivers file: ${readErrorText(err).replace('a policy file', 'a waivers file')}` },
    ]);
  }
  return parseWaivers(text, file);
}

export function parseWaivers(text: string, file: string): WaiverRule[] {
  const loaded = loadPolicyText(text, file);
  if (loaded.issues.length > 0) throw new PolicyError(loaded.issues);
  const value = loaded.value;
  if (value === null || value === undefined)
    throw new PolicyError([issueAt(loaded, [], 'the waivers file is empty; it needs apiVersion: plumbline/v1, kind: Waivers and waivers: [...]')]);
  const issues = validate(value) ? [] : schemaProblems(loaded, validate.errors ?? []);
  const waivers = isObject(value) && Array.isArray(value.waivers) ? value.waivers : [];
  waivers.forEach((w, i) => {
    if (isObject(w) && typeof w.expires === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(w.expires) && !isRealDate(w.expires))
      issues.push(issueAt(loaded, ['waivers', i, 'expires'], `expires is not a real date: "${w.expires}"`));
  });
  if (issues.length > 0) throw new PolicyError(sorted(issues));
  return waivers.map((w, i): WaiverRule => {
    const r = w as Record<string, unknown>;
    return {
      check: r.check as string,
      justification: r.justification as string,
      owner: r.owner as string,
      expires: r.expires as string,
      ...(r.hosts !== undefined ? { hosts: r.hosts as string[] } : {}),
      run: r.run !== false,
      source: { file, ...posAt(loaded, ['waivers', i], { key: 'check' }) },
    };
  });
}

function sorted(issues: PolicyIssue[]): PolicyIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map of keys to values',
};

/** One line per location, saying what to write there. */
function schemaProblems(loaded: LoadedPolicy, errors: ErrorObject[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    const what = path.length === 0 ? 'the waivers file' : path.length === 2 && path[0] === 'waivers' ? `waiver ${Number(path[1]) + 1}` : String(path.at(-1));
    let issue: PolicyIssue;
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const near = didYouMean(key, allowed);
      issue = issueAt(loaded, path, `unknown key "${key}" in ${what}${near ? `; did you mean "${near}"?` : ` (keys: ${allowed.join(', ')})`}`, { key });
    } else if (e.keyword === 'required') {
      const key = String(e.params.missingProperty);
      const hint = key in NAMED ? ` (${key}: ${NAMED[key as keyof typeof NAMED]})` : key === 'expires' ? ' (a date YYYY-MM-DD: every waiver ends)' : '';
      issue = issueAt(loaded, path, `${what} needs ${key}${hint}`);
    } else if (e.keyword === 'const') {
      issue = issueAt(loaded, path, `${what} must be ${JSON.stringify(e.params.allowedValue)}`);
    } else if (e.keyword === 'type') {
      issue = issueAt(loaded, path, `${what} must be ${TYPE_WORDS[String(e.params.type)] ?? String(e.params.type)}`);
    } else if (e.keyword === 'pattern') {
      const said = (e.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage ?? `must match ${e.params.pattern}`;
      issue = issueAt(loaded, path, `${what}: ${said}, got ${JSON.stringify(e.data)}`);
    } else if (e.keyword === 'minLength' || e.keyword === 'minItems') {
      issue = issueAt(loaded, path, `${what} must not be empty`);
    } else {
      issue = issueAt(loaded, path, `${what}: ${e.message ?? 'not valid here'}`);
    }
    const k = `${issue.line}:${issue.column}:${issue.message}`;
    if (!seen.has(k)) out.push(issue);
    seen.add(k);
  }
  return out;
}

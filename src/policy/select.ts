// `--only` and `--skip`: which checks of a resolved policy a run judges, by id, tag or area, with `*` and `?`
// globs. The checks left out are not in the run at all, so the facts and probes only they need are never
// collected. A lower check plumbline made (impliedBy) stays while one of the checks it stands under does.
import type { Check, ResolvedPolicy } from './model.js';

export interface Selection {
  only?: readonly string[];
  skip?: readonly string[];
}

/** A selection pattern (`*` and `?` globs) as a whole-string regular expression. */
export const patternOf = (p: string): RegExp =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** A check is named by its id, its area or any of its tags. */
export function matches(check: Pick<Check, 'id' | 'area' | 'tags'>, pattern: RegExp): boolean {
  return pattern.test(check.id) || pattern.test(check.area) || check.tags.some((t) => pattern.test(t));
}

/** The patterns of a selection that match no check of the policy (most likely typos). */
export function unmatchedSelection(policy: ResolvedPolicy, sel: Selection): string[] {
  const own = policy.checks.filter((c) => c.impliedBy === undefined);
  return [...(sel.only ?? []), ...(sel.skip ?? [])].filter((p) => !own.some((c) => matches(c, patternOf(p))));
}

export function selectChecks(policy: ResolvedPolicy, sel: Selection): ResolvedPolicy {
  const only = (sel.only ?? []).map(patternOf);
  const skip = (sel.skip ?? []).map(patternOf);
  if (only.length === 0 && skip.length === 0) return policy;
  const chosen = (c: Check): boolean => (only.length === 0 || only.some((p) => matches(c, p))) && !skip.some((p) => matches(c, p));
  const dropped = new Set(policy.checks.filter((c) => c.impliedBy === undefined && !chosen(c)).map((c) => c.id));
  return { ...policy, checks: impliedStanding(policy.checks, dropped).filter((c) => !dropped.has(c.id)) };
}

/**
 * The checks with each lower check plumbline made (impliedBy) kept only while a check it stands under is still
 * collected, and named under those alone. `notCollected` are the ids of the policy's own checks that are not;
 * a lower check left standing under nothing is not collected either, and so on down (TLS over TCP over DNS).
 */
export function impliedStanding(checks: readonly Check[], notCollected: ReadonlySet<string>): Check[] {
  const gone = new Set(notCollected);
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of checks) {
      if (c.impliedBy !== undefined && !gone.has(c.id) && c.impliedBy.every((id) => gone.has(id))) {
        gone.add(c.id);
        changed = true;
      }
    }
  }
  return checks.flatMap((c): Check[] => {
    if (c.impliedBy === undefined) return [c];
    if (gone.has(c.id)) return [];
    const under = c.impliedBy.filter((id) => !gone.has(id));
    return [under.length === c.impliedBy.length ? c : { ...c, impliedBy: under }];
  });
}

// What each waiver of a waivers file did on one host, so that a waiver nobody needs any more is seen: one that
// names no check of the policy (a typo, a check renamed or removed) or whose checks now pass is stale, one past
// its date no longer applies, one close to it is about to stop applying.
import type { ResolvedPolicy, SourcePos } from '../policy/model.js';
import { appliesToHost, checksOf, isExpired, today, type WaiverHost } from '../policy/waive.js';
import type { WaiverRule } from '../policy/waivers-file.js';
import type { Result } from './model.js';

/**
 * applied: it waives a check that does not pass here; shadowed: its checks are waived, but by another waiver
 * written before it (so its own `run: false`, say, does not apply); expired: past its date, its checks judged again;
 * unmatched: it names no check of the policy; passing: every check it names passes (or does not apply);
 * not-judged: its checks were left out of this run (--only, --skip); other-hosts: its `hosts` leave this host out.
 */
export const WAIVER_STATES = ['applied', 'shadowed', 'expired', 'unmatched', 'passing', 'not-judged', 'other-hosts'] as const;
export type WaiverState = (typeof WAIVER_STATES)[number];

export interface WaiverUse {
  check: string;
  owner: string;
  expires: string;
  justification: string;
  source: SourcePos;
  state: WaiverState;
  /** The policy's checks it names (on this host). */
  checks: string[];
  /** Days from today to its last day: 0 on that day, negative once it expired. */
  daysLeft: number;
}

/** Within this many days of its date, a waiver warns on every run. */
export const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 86_400_000;

export function daysUntil(date: string, now: Date): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today(now)}T00:00:00Z`)) / DAY_MS);
}

/**
 * `policy` is the whole policy (before --only and --skip), so that a waiver for a check left out of this run is not
 * taken for one that names nothing; `results` are the run's.
 */
export function waiverUses(rules: readonly WaiverRule[], policy: ResolvedPolicy, results: readonly Result[], host: WaiverHost, now: Date): WaiverUse[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return rules.map((rule): WaiverUse => {
    const checks = checksOf(rule, policy.checks).map((c) => c.id);
    const use = (state: WaiverState): WaiverUse => ({
      check: rule.check,
      owner: rule.owner,
      expires: rule.expires,
      justification: rule.justification,
      source: rule.source,
      state,
      checks,
      daysLeft: daysUntil(rule.expires, now),
    });
    if (!appliesToHost(rule, host)) return use('other-hosts');
    if (checks.length === 0) return use('unmatched');
    if (isExpired(rule.expires, now)) return use('expired');
    const judged = checks.flatMap((id) => byId.get(id) ?? []);
    if (judged.length === 0) return use('not-judged');
    const waived = judged.filter((r) => r.status === 'waived');
    if (waived.length === 0) return use('passing');
    const mine = (r: Result): boolean =>
      r.waiver?.source?.file === rule.source.file && r.waiver.source.line === rule.source.line && r.waiver.source.column === rule.source.column;
    return use(waived.some(mine) ? 'applied' : 'shadowed');
  });
}

/** A waiver as a policy alone can judge it, before any host: whether it names a check, and its date. */
export function waiverOnPolicy(rule: WaiverRule, policy: ResolvedPolicy, now: Date): WaiverUse {
  const checks = checksOf(rule, policy.checks).map((c) => c.id);
  const daysLeft = daysUntil(rule.expires, now);
  const state: WaiverState = checks.length === 0 ? 'unmatched' : daysLeft < 0 ? 'expired' : 'applied';
  return { check: rule.check, owner: rule.owner, expires: rule.expires, justification: rule.justification, source: rule.source, state, checks, daysLeft };
}

/** Whether a use is worth a line where the person running the audit looks. */
export function needsAttention(u: WaiverUse): boolean {
  return (
    u.state === 'expired' ||
    u.state === 'unmatched' ||
    u.state === 'passing' ||
    u.state === 'shadowed' ||
    (u.state === 'applied' && u.daysLeft <= EXPIRY_WARNING_DAYS)
  );
}

/** In a fleet: each waiver as the fleet saw it, stale only where it was stale on every host that judged it. */
export function fleetWaiverUses(perHost: ReadonlyArray<readonly WaiverUse[] | undefined>): WaiverUse[] {
  const order: WaiverState[] = ['applied', 'shadowed', 'expired', 'passing', 'unmatched', 'not-judged', 'other-hosts'];
  const merged = new Map<string, WaiverUse>();
  for (const uses of perHost) {
    for (const u of uses ?? []) {
      const key = `${u.source.file}:${u.source.line}:${u.source.column}`;
      const had = merged.get(key);
      if (!had) merged.set(key, { ...u, checks: [...u.checks] });
      else {
        if (order.indexOf(u.state) < order.indexOf(had.state)) had.state = u.state;
        for (const id of u.checks) if (!had.checks.includes(id)) had.checks.push(id);
      }
    }
  }
  return [...merged.values()];
}

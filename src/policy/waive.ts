// A waivers file (waivers-file.ts) laid over a resolved policy for one host: each check a waiver names, on a host
// its `hosts` admit, carries that waiver as if the policy had written it, so evaluation treats both alike. A
// waiver past its date is still attached (evaluation says it expired and judges the check), but no longer keeps
// its checks from being collected.
import type { Check, ResolvedPolicy } from './model.js';
import { impliedStanding, matches, patternOf, selectChecks, type Selection } from './select.js';
import type { WaiverRule } from './waivers-file.js';

/** The host a waiver is judged on: its name (inventory name, or hostname) and the addresses known for it. */
export interface WaiverHost {
  name: string;
  addresses?: readonly string[];
}

/** YYYY-MM-DD of `now` in UTC: a waiver applies through the whole of its `expires` day. */
export const today = (now: Date): string => now.toISOString().slice(0, 10);

export const isExpired = (expires: string, now: Date): boolean => expires < today(now);

export function appliesToHost(rule: Pick<WaiverRule, 'hosts'>, host: WaiverHost): boolean {
  if (!rule.hosts) return true;
  return rule.hosts.some((h) => {
    // Host names are not case-sensitive (DNS, inventories).
    const p = new RegExp(patternOf(h).source, 'i');
    return p.test(host.name) || (host.addresses ?? []).some((a) => p.test(a));
  });
}

/** The waiver rules' checks among the policy's own (a lower check plumbline made is named by the checks above it). */
export function checksOf(rule: Pick<WaiverRule, 'check'>, checks: readonly Check[]): Check[] {
  const p = patternOf(rule.check);
  return checks.filter((c) => c.impliedBy === undefined && matches(c, p));
}

/**
 * The policy with the file's waivers attached for this host. Of several waivers for one check, the first that has
 * not expired wins (else the first); a file's waiver stands over the policy's own. With `run: false` and not
 * expired, the check is kept (it is reported, waived) but marked not to be collected, and a lower check that only
 * such checks stand on goes.
 */
export function withWaivers(policy: ResolvedPolicy, rules: readonly WaiverRule[], host: WaiverHost, now: Date): ResolvedPolicy {
  const here = rules.filter((r) => appliesToHost(r, host));
  if (here.length === 0) return policy;
  const chosen = new Map<string, WaiverRule>();
  for (const r of here) {
    for (const c of checksOf(r, policy.checks)) {
      const had = chosen.get(c.id);
      if (!had || (isExpired(had.expires, now) && !isExpired(r.expires, now))) chosen.set(c.id, r);
    }
  }
  const unrun = new Set([...chosen].filter(([, r]) => !r.run && !isExpired(r.expires, now)).map(([id]) => id));
  const checks = policy.checks.map((c): Check => {
    const r = chosen.get(c.id);
    if (!r) return c;
    return {
      ...c,
      waiver: {
        reason: r.justification,
        expires: r.expires,
        owner: r.owner,
        source: r.source,
        ...(unrun.has(c.id) ? { run: false as const } : {}),
      },
    };
  });
  return { ...policy, checks: impliedStanding(checks, unrun) };
}

/** --no-waivers: every check judged as if nothing were waived, the policy's own waivers too. */
export function withoutWaivers(policy: ResolvedPolicy): ResolvedPolicy {
  if (!policy.checks.some((c) => c.waiver)) return policy;
  return { ...policy, checks: policy.checks.map(({ waiver: _w, ...c }) => c as Check) };
}

/** What a run judges of a host's whole policy: the checks --only and --skip chose, with the waivers in force. */
export interface RunChoices {
  selection?: Selection;
  /** A waivers file's waivers, laid over the policy's own. */
  waivers?: readonly WaiverRule[];
  /** --no-waivers: nothing waived, the policy's own waivers neither. */
  noWaivers?: boolean;
}

export function policyForRun(whole: ResolvedPolicy, choices: RunChoices, host: WaiverHost, now: Date): ResolvedPolicy {
  const chosen = choices.selection ? selectChecks(whole, choices.selection) : whole;
  if (choices.noWaivers) return withoutWaivers(chosen);
  return choices.waivers?.length ? withWaivers(chosen, choices.waivers, host, now) : chosen;
}

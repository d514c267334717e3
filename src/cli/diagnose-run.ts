// `plumbline diagnose`, run: the ordinary plan → collect → evaluate pipeline over checks of existing kinds made
// for one target (src/diagnose/checks.ts), then the pure bottom-up reading (src/diagnose/layers.ts). One
// collect serves every layer; a second, of the neighbour table only, when the next hop's entry was not settled
// while the connects ran (they make the kernel try ARP/NDP, and the entry then says how that went).
import { evaluate } from '../evaluate/evaluate.js';
import type { Result } from '../evaluate/model.js';
import { collect } from '../facts/collect.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { Plan } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import type { Check, ResolvedPolicy } from '../policy/model.js';
import { worded } from '../report/reasons.js';
import { addressOf, firstPlan, lowerChecks, neighbourUnsettled, pathOf, upperChecks } from '../diagnose/checks.js';
import { diagnose } from '../diagnose/layers.js';
import type { Diagnosis } from '../diagnose/model.js';
import { LAYER_CHECK } from '../diagnose/model.js';
import type { DiagnoseTarget } from '../diagnose/target.js';
import { LocalTransport } from '../transport/local.js';

export interface DiagnoseChoices {
  timeoutMs: number;
  allowTargets?: string[];
  /** Collects the plan on the audited host (this machine unless told: over SSH, `collectPlanOverSsh`). */
  gather?: (p: Plan, deadlineMs: number) => Promise<FactsSnapshot>;
}

function policyOf(checks: Check[], timeoutMs: number): ResolvedPolicy {
  return { name: 'diagnose', sources: [], vars: {}, defaults: { timeout: timeoutMs, failUnder: 0 }, checks };
}

export async function runDiagnosis(target: DiagnoseTarget, choices: DiagnoseChoices): Promise<Diagnosis> {
  const started = performance.now();
  const { timeoutMs } = choices;
  // Room for the probes' own timeout and the host's reads, never a run left hanging.
  const deadlineMs = 2 * timeoutMs + 5_000;
  const local = new LocalTransport();
  const gather =
    choices.gather ??
    ((p: Plan, deadline: number) =>
      collect(p, local, { deadlineMs: deadline, ...(choices.allowTargets !== undefined ? { allowTargets: choices.allowTargets } : {}) }));
  const upper = upperChecks(target, timeoutMs);
  const facts = await gather(firstPlan(upper, timeoutMs), deadlineMs);
  const address = addressOf(target, facts);
  const checks = [...(address !== undefined ? lowerChecks(address, facts, timeoutMs) : []), ...upper];
  const now = new Date(facts.host.collectedAt);
  let results: Result[] = evaluate(policyOf(checks, timeoutMs), facts, now);
  if (neighbourUnsettled(results)) {
    const n = checks.find((c) => c.id === LAYER_CHECK.neighbour)!;
    const again = await gather(plan([n], timeoutMs), timeoutMs + 5_000);
    if (again.neighbours !== undefined) facts.neighbours = again.neighbours;
    results = evaluate(policyOf(checks, timeoutMs), facts, now);
  }
  return diagnose({
    target,
    ...(address !== undefined ? { address } : {}),
    ...(address !== undefined && pathOf(address, facts) ? { path: pathOf(address, facts)! } : {}),
    results: results.map(worded),
    facts,
    elapsedMs: Math.round(performance.now() - started),
  });
}

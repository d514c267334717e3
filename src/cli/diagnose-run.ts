// `plumbline diagnose`, run: the ordinary plan → collect → evaluate pipeline over checks of existing kinds made
// for one target (src/diagnose/checks.ts), then the pure bottom-up reading (src/diagnose/layers.ts). A first
// collect serves the probes and the route reading; a second, once the route names the gateway and the egress
// link, sends the pings from the audited host and then reads the next hop's neighbour entry, which by then says
// how the ARP/NDP the connects and pings made the kernel try went.
import { evaluate } from '../evaluate/evaluate.js';
import type { Result } from '../evaluate/model.js';
import { collect } from '../facts/collect.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { Plan } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import { pingBoundMs } from '../plan/pings.js';
import type { Check, ResolvedPolicy } from '../policy/model.js';
import { say, worded } from '../report/reasons.js';
import { addressOf, addressesOf, firstPlan, healthCheck, lowerChecks, pathOf, pingChecks, upperChecks } from '../diagnose/checks.js';
import { diagnose } from '../diagnose/layers.js';
import type { Diagnosis } from '../diagnose/model.js';
import { LAYER_CHECK } from '../diagnose/model.js';
import { refusedTarget } from '../diagnose/target.js';
import type { DiagnoseTarget } from '../diagnose/target.js';
import { UsageError } from './errors.js';
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
  const admitted = choices.allowTargets ?? [];
  // An address the probes refuse is refused before anything is sent; a name, once it resolved to nothing else.
  const refusedUpFront = refusedTarget(target, [], admitted);
  if (refusedUpFront) throw new UsageError(`diagnose: ${say(refusedUpFront)}`);
  const upper = upperChecks(target, timeoutMs);
  const facts = await gather(firstPlan(upper, timeoutMs), deadlineMs);
  const refused = refusedTarget(target, addressesOf(target, facts), admitted);
  if (refused) throw new UsageError(`diagnose: ${say(refused)}`);
  const address = addressOf(target, facts, admitted);
  const lower = address !== undefined ? lowerChecks(address, facts, timeoutMs) : [];
  const pings = address !== undefined ? pingChecks(address, facts, timeoutMs) : [];
  if (pings.length > 0) {
    const neighbour = lower.filter((c) => c.id === LAYER_CHECK.neighbour);
    const p = plan([...pings, ...neighbour], timeoutMs);
    // Room for every ping's own bound one after another (over SSH they run so; locally side by side), and a grace.
    const bound = (p.icmp?.pings ?? []).reduce((sum, x) => sum + pingBoundMs(x), 5_000);
    const again = await gather(p, bound);
    if (again.icmp !== undefined) facts.icmp = again.icmp;
    if (again.neighbours !== undefined) facts.neighbours = again.neighbours;
  }
  const path = address !== undefined ? pathOf(address, facts) : undefined;
  const checks = [...lower, ...pings, ...upper, healthCheck(target, address, path?.local === true, timeoutMs)];
  const results: Result[] = evaluate(policyOf(checks, timeoutMs), facts, new Date(facts.host.collectedAt));
  return diagnose({
    target,
    ...(address !== undefined ? { address } : {}),
    ...(path ? { path } : {}),
    results: results.map(worded),
    facts,
    elapsedMs: Math.round(performance.now() - started),
  });
}

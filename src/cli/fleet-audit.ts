// `plumbline audit --target ... / --inventory ...`: the fleet audit as the CLI runs it. The hosts and their
// policies come from the options, the fleet run does the rest, and the fleet report goes to every target.
import { resolve } from 'node:path';
import { auditFleet } from '../fleet/run.js';
import type { Scalar } from '../policy/model.js';
import { buildFleetReport } from '../report/fleet/build.js';
import type { FleetReport } from '../report/fleet/model.js';
import { fleetHosts, parseFleetOptions, policiesFor, type FleetValues } from './fleet-options.js';
import { version } from './paths.js';
import { startProgress } from './progress.js';
import { refuseOverwritingInputs, type InputFile, type Target } from './outputs.js';

export interface FleetRequest {
  values: FleetValues;
  policies?: string[];
  vars?: Record<string, Scalar>;
  threshold?: number;
  collect: { deadlineMs?: number; concurrency?: number };
  outputs: readonly Target[];
  /** Draw "auditing DONE/TOTAL · HOST" on standard error (only for a person at a terminal). */
  progress?: boolean;
}

export async function fleetReport(req: FleetRequest): Promise<FleetReport> {
  const hosts = await fleetHosts(req.values);
  const { parallel, hostDeadlineMs } = parseFleetOptions(req.values);
  const policyFor = policiesFor(req.policies, req.vars);
  // Resolved before any host is reached: a policy error stops the run at once, not on every host.
  const policy = await policyFor(hosts[0]!);
  const inputs: InputFile[] = policy.sources.filter((s) => !s.startsWith('builtin:')).map((s) => ({ path: resolve(s), what: `the policy ${s}` }));
  if (req.values.inventory !== undefined) inputs.push({ path: resolve(req.values.inventory), what: 'the --inventory file' });
  if (req.values['ssh-config'] !== undefined) inputs.push({ path: resolve(req.values['ssh-config']), what: 'the --ssh-config file' });
  refuseOverwritingInputs(req.outputs, inputs);
  const threshold = req.threshold ?? policy.defaults.failUnder;
  const progress = req.progress ? startProgress('auditing') : undefined;
  const outcomes = await auditFleet(hosts, {
    ...(progress ? { onProgress: progress.update } : {}),
    policyFor,
    ssh: {
      ...(req.values['ssh-config'] !== undefined ? { configFile: req.values['ssh-config'] } : {}),
      acceptNewHostKeys: req.values['accept-new-host-keys'] === true,
      connectTimeoutMs: Math.min(10_000, Math.max(1000, Math.floor(hostDeadlineMs / 3))),
      ...(process.env.PLUMBLINE_SSH ? { program: process.env.PLUMBLINE_SSH } : {}),
    },
    parallel,
    hostDeadlineMs,
    ...(req.collect.deadlineMs !== undefined ? { deadlineMs: req.collect.deadlineMs } : {}),
    ...(req.collect.concurrency !== undefined ? { concurrency: req.collect.concurrency } : {}),
    threshold,
    version: version(),
  }).finally(() => progress?.stop());
  return buildFleetReport(outcomes, { policy: { name: policy.name, sources: policy.sources }, threshold, now: new Date(), version: version() });
}

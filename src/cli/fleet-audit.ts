// `plumbline audit --target ... / --inventory ...`: the fleet audit as the CLI runs it. The hosts and their
// policies come from the options, the fleet run does the rest, and the fleet report goes to every target.
import { resolve } from 'node:path';
import { auditFleet } from '../fleet/run.js';
import { type TargetHost, unreachedText } from '../fleet/hosts.js';
import { PolicyError, type ResolvedPolicy, type Scalar } from '../policy/model.js';
import { buildFleetReport } from '../report/fleet/build.js';
import type { FleetReport } from '../report/fleet/model.js';
import { fleetHosts, parseFleetOptions, policiesFor, type FleetValues } from './fleet-options.js';
import { CannotRunError } from './errors.js';
import { selected } from './options.js';
import type { CollectChoices } from './options.js';
import { version } from './paths.js';
import { startProgress } from './progress.js';
import { refuseOverwritingInputs, type InputFile, type Target } from './outputs.js';

export interface FleetRequest {
  values: FleetValues;
  policies?: string[];
  vars?: Record<string, Scalar>;
  varOrigin?: Record<string, string>;
  strict?: boolean;
  selection?: { only?: string[]; skip?: string[] };
  /** --waivers FILE and --no-waivers, as for one host. */
  waiversFile?: string;
  noWaivers?: boolean;
  threshold?: number;
  collect: CollectChoices;
  outputs: readonly Target[];
  /** Draw "auditing DONE/TOTAL · HOST" on standard error (only for a person at a terminal). */
  progress?: boolean;
}

async function firstResolved(hosts: TargetHost[], policyFor: (h: TargetHost) => Promise<ResolvedPolicy>): Promise<ResolvedPolicy> {
  const refused: Array<{ host: string; err: PolicyError }> = [];
  for (const h of hosts) {
    try {
      return await policyFor(h);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      refused.push({ host: h.name, err });
    }
  }
  const [first] = refused;
  // The same problem on every host is the policy's own; otherwise it comes of each host's vars: say whose.
  if (refused.every((r) => r.err.message === first!.err.message)) throw first!.err;
  throw new PolicyError(first!.err.issues.map((i) => ({ ...i, message: `for host ${first!.host} (no host's vars resolve the policy): ${i.message}` })));
}

export async function fleetReport(req: FleetRequest): Promise<FleetReport> {
  const hosts = await fleetHosts(req.values);
  const { parallel, hostDeadlineMs } = parseFleetOptions(req.values);
  const resolveFor = policiesFor(req.policies, req.vars, req.varOrigin);
  // Resolved before any host is reached: a policy that resolves for no host stops the run at once. One that
  // some host's vars cannot resolve is that host's `policy` fault, and the rest are audited. A host no audit
  // reaches (a winrm host, no address) resolves nothing: its fault is said whatever the policy.
  const reached = hosts.filter((h) => h.target || h.local);
  const policy = await firstResolved(reached.length ? reached : hosts, resolveFor).catch((err: unknown) => {
    // With no host to reach the run still reports why of each, unless the policy needs vars that none of them gives.
    if (reached.length === 0 && hosts.length > 0 && err instanceof PolicyError)
      throw new CannotRunError('the fleet audit', new Error(`no host would be audited: ${unreachedText(hosts)}`));
    throw err;
  });
  // Vars change what checks say, never which there are: a pattern that names no check is refused once.
  if (req.selection) selected(policy, req.selection);
  const waivers = req.noWaivers || req.waiversFile === undefined ? undefined : (await import('../policy/waivers-file.js')).readWaiversFile(req.waiversFile);
  const inputs: InputFile[] = policy.sources.filter((s) => !s.startsWith('builtin:')).map((s) => ({ path: resolve(s), what: `the policy ${s}` }));
  if (req.values.inventory !== undefined) inputs.push({ path: resolve(req.values.inventory), what: 'the --inventory file' });
  if (waivers) inputs.push({ path: resolve(req.waiversFile!), what: 'the --waivers file' });
  if (req.values['ssh-config'] !== undefined) inputs.push({ path: resolve(req.values['ssh-config']), what: 'the --ssh-config file' });
  refuseOverwritingInputs(req.outputs, inputs);
  const threshold = req.threshold ?? policy.defaults.failUnder;
  const progress = req.progress ? startProgress('auditing') : undefined;
  const outcomes = await auditFleet(hosts, {
    ...(progress ? { onProgress: progress.update } : {}),
    policyFor: resolveFor,
    choices: {
      ...(req.selection ? { selection: req.selection } : {}),
      ...(waivers ? { waivers } : {}),
      ...(req.noWaivers ? { noWaivers: true } : {}),
    },
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
    ...(req.collect.allowTargets !== undefined ? { allowTargets: req.collect.allowTargets } : {}),
    threshold,
    ...(req.strict ? { strict: true } : {}),
    version: version(),
  }).finally(() => progress?.stop());
  return buildFleetReport(outcomes, { policy: { name: policy.name, sources: policy.sources }, threshold, now: new Date(), version: version() });
}

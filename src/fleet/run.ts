// A fleet audit: the same policy judged on every host, each over its own SSH master connection, several hosts at
// once. A host that cannot be reached, or fails half-way, is that host's fault (lib/host-fault.ts); every other
// host is audited in full, and the run ends by its deadline whatever the hosts do.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../evaluate/evaluate.js';
import { collect } from '../facts/collect.js';
import { mapBounded } from '../lib/concurrency.js';
import { plan } from '../plan/plan.js';
import type { Plan } from '../plan/model.js';
import { PolicyError, type ResolvedPolicy } from '../policy/model.js';
import { policyForRun, type RunChoices } from '../policy/waive.js';
import { waiverUses } from '../evaluate/waivers.js';
import { buildReport } from '../report/build.js';
import { unevaluated } from '../score/score.js';
import type { HostOutcome } from '../report/fleet/model.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { HostFault } from '../lib/host-fault.js';
import { LocalTransport } from '../transport/local.js';
import { SshTransport, type SshOptions } from '../transport/ssh/ssh.js';
import type { TargetHost } from './hosts.js';

export interface FleetOptions {
  /** The whole policy for a host (the fleet's, or resolved with the host's own vars). */
  policyFor: (h: TargetHost) => Promise<ResolvedPolicy>;
  /** What of it each host's run judges: --only and --skip, and the waivers in force there. */
  choices?: RunChoices;
  ssh: Omit<SshOptions, 'controlDir' | 'persistSeconds'>;
  /** Hosts audited at once. */
  parallel?: number;
  /** How long one host may take, from its first connection to its last answer. */
  hostDeadlineMs: number;
  /** When the whole run ends: hosts not finished by then are `timeout`. */
  deadlineMs?: number;
  /** Live probes in flight at once, per host. */
  concurrency?: number;
  /** Networks the live probes may connect to beyond the default (`--allow-target`). */
  allowTargets?: readonly string[];
  threshold?: number;
  /** A key absent on a host fails instead of being skipped (--strict). */
  strict?: boolean;
  version: string;
  now?: () => Date;
  /** Told as hosts start and end: how many are done, of how many, and which are being audited (oldest first). */
  onProgress?: (e: { done: number; total: number; running: readonly string[] }) => void;
}

/**
 * Hosts are mostly waiting on the network, so many at once; what bounds them is the auditor's CPU (each one is
 * an ssh process doing its key exchange and a parse of its answers), hence a multiple of the cores.
 */
export function defaultParallel(): number {
  return Math.min(64, availableParallelism() * 16);
}

export async function auditFleet(hosts: readonly TargetHost[], o: FleetOptions): Promise<HostOutcome[]> {
  const controlDir = mkdtempSync(join(tmpdir(), 'plumbline-ssh-'));
  const open = new Set<SshTransport>();
  const started = Date.now();
  const runEnds = o.deadlineMs !== undefined ? started + o.deadlineMs : Number.POSITIVE_INFINITY;
  // An interrupted run still closes every master connection it opened, and removes its sockets' directory.
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const t of open) t.closeNow();
    rmSync(controlDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let done = 0;
  const running = new Set<string>();
  const tell = (): void => o.onProgress?.({ done, total: hosts.length, running: [...running] });
  try {
    return await mapBounded(hosts, o.parallel ?? defaultParallel(), async (h) => {
      running.add(h.name);
      tell();
      const outcome = await auditHost(h, o, controlDir, open, runEnds);
      running.delete(h.name);
      done++;
      tell();
      return outcome;
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(controlDir, { recursive: true, force: true });
  }
}

async function auditHost(h: TargetHost, o: FleetOptions, controlDir: string, open: Set<SshTransport>, runEnds: number): Promise<HostOutcome> {
  const address = h.target?.host ?? h.local?.address;
  const base = { name: h.name, groups: h.groups, ...(address !== undefined ? { address } : {}) };
  if (address === undefined) return { ...base, fault: h.refused ?? { class: 'unreachable', detail: 'the inventory gives this host no address' } };
  // No sudo is run on the auditing machine: it is read as another user only by a run of plumbline as that user.
  const want = h.local?.become ? (h.local.becomeUser ?? 'root') : undefined;
  if (want !== undefined && !(want === 'root' ? process.geteuid?.() === 0 : want === runningAs()))
    return {
      ...base,
      fault: {
        class: 'sudo',
        detail: `the auditing machine is read as the user plumbline runs as (${runningAs() ?? `uid ${process.getuid?.()}`}), never through sudo: to read it as ${want}, run plumbline as ${want}`,
      },
    };
  const left = runEnds - Date.now();
  if (left <= 0) return { ...base, fault: { class: 'timeout', detail: "the run's deadline came before this host was reached" } };
  const deadline = Math.min(o.hostDeadlineMs, left);
  let whole: ResolvedPolicy;
  try {
    whole = await o.policyFor(h);
  } catch (err) {
    // A policy that does not resolve with this host's vars is this host's fault; the rest are audited. (One that
    // resolves for no host at all was refused before any host was reached.)
    if (err instanceof PolicyError) return { ...base, fault: { class: 'policy', detail: err.message } };
    throw err;
  }
  const startedAt = o.now?.() ?? new Date();
  const host = { name: h.name, addresses: [address] };
  const policy = policyForRun(whole, o.choices ?? {}, host, startedAt);
  const transport = h.target ? new SshTransport(h.target, { ...o.ssh, controlDir }) : undefined;
  if (transport) open.add(transport);
  try {
    // The auditing machine itself (ansible_connection=local) is read as `plumbline audit` reads it.
    const { facts, fault } = transport
      ? await collectOverSsh(transport, policy, deadline, o)
      : { facts: await collect(plan(policy.checks, policy.defaults.timeout), new LocalTransport(), collectOptions(deadline, o)), fault: undefined };
    if (fault && fault.class !== 'partial') return { ...base, fault };
    const now = o.now?.() ?? new Date();
    const results = evaluate(policy, facts, now, { strict: o.strict === true });
    // A host cut off before anything it sent could be judged is not audited: no verdict is given on nothing.
    if (fault && unevaluated(results)) return { ...base, fault };
    const rules = o.choices?.noWaivers ? undefined : o.choices?.waivers;
    const { facts: _snapshot, ...report } = buildReport(policy, facts, results, {
      threshold: o.threshold ?? policy.defaults.failUnder,
      now,
      version: o.version,
      ...(rules ? { waivers: waiverUses(rules, whole, results, host, startedAt) } : {}),
    });
    // A host's report in a fleet keeps its results, not the facts snapshot behind them (a few hundred KiB a host):
    // so a fleet run's memory stays flat per host, and a fleet report stays readable.
    return { ...base, report, ...(fault ? { fault } : {}) };
  } finally {
    if (transport) {
      await transport.close().catch(() => {});
      open.delete(transport);
    }
  }
}

const collectOptions = (deadlineMs: number, opts: { concurrency?: number; allowTargets?: readonly string[] }) => ({
  deadlineMs,
  ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  ...(opts.allowTargets !== undefined ? { allowTargets: opts.allowTargets } : {}),
});

function runningAs(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // A uid with no name (a container's): no user the inventory names.
    return undefined;
  }
}

/**
 * One host's facts over its SSH transport, for the policy's checks, by the deadline. A batch the host had not
 * answered by then makes the fault `timeout` (nothing came) or `partial`. The caller closes the transport.
 */
export function collectOverSsh(
  transport: SshTransport,
  policy: Pick<ResolvedPolicy, 'checks' | 'defaults'>,
  deadlineMs: number,
  opts: { concurrency?: number; allowTargets?: readonly string[] } = {},
): Promise<{ facts: FactsSnapshot; fault?: HostFault }> {
  return collectPlanOverSsh(transport, plan(policy.checks, policy.defaults.timeout), deadlineMs, opts);
}

/** The same for a plan made by the caller (diagnose adds the families its later checks read). */
export async function collectPlanOverSsh(
  transport: SshTransport,
  planned: Plan,
  deadlineMs: number,
  opts: { concurrency?: number; allowTargets?: readonly string[] } = {},
): Promise<{ facts: FactsSnapshot; fault?: HostFault }> {
  // A backstop only: the collector keeps the deadline itself, and what is still running then is stopped here.
  const timer = setTimeout(() => transport.abort(), deadlineMs + 1000);
  try {
    const facts = await collect(planned, transport, collectOptions(deadlineMs, opts));
    await transport.finish();
    const fault = transport.fault;
    return { facts, ...(fault ? { fault } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

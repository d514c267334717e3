// The probes family: every planned probe once, at most `concurrency` at a time, each under its own timeout and
// all of them under the run's deadline. A probe that overruns (or throws, which the probes do not mean to) is
// { error } with the reason; a probe never holds the run past its deadline. TCP and HTTP probes, whose timings
// are findings, run in a probe worker of their own (src/probes/probe-runner.ts), started only when the plan has
// one; a plan of many TLS probes shares them between this thread and a second worker.
import type { ProbeTarget } from '../plan/plan.js';
import { mapBounded } from '../lib/concurrency.js';
import { hostKey, urlHost, urlPort } from '../lib/targets.js';
import { probeDns } from '../probes/dns.js';
import { probeTls } from '../probes/tls.js';
import { probeRunner } from '../probes/probe-runner.js';
import type { ProbeRunner } from '../probes/probe-runner.js';
import type { TlsOptions } from '../probes/tls.js';
import type { TlsFact } from '../probes/tls-model.js';
import type { DnsType } from '../probes/net-model.js';
import type { FactsSnapshot } from './model.js';

/** Probes in flight at once when the caller names no bound. */
const DEFAULT_PROBE_CONCURRENCY = 16;

/** How long past its timeout a probe may take to report its own error before the guard speaks for it. */
const PROBE_GRACE_MS = 250;

type ProbeFacts = NonNullable<FactsSnapshot['probes']>;

/** What a progress display is told: probes finished of all planned, and the endpoints in flight. */
export interface ProbeProgressEvent {
  done: number;
  total: number;
  /** Keys of the probes running now, oldest first. */
  running: readonly string[];
}

export type ProbeProgress = (e: ProbeProgressEvent) => void;

export interface ProbeRunOptions {
  concurrency?: number;
  /** The clock certificates are judged at: the snapshot's collectedAt. */
  now: Date;
  onProgress?: ProbeProgress;
  /** When the run must be over, on performance.now()'s clock. */
  deadlineAt: number;
  /** Networks the probes may connect to beyond the default (`--allow-target`); link-local and metadata addresses are refused. */
  allowTargets?: readonly string[];
}

function run(t: ProbeTarget, now: Date, timed: ProbeRunner, tls: TlsShare, allowTargets: readonly string[]): Promise<ProbeFacts[string]> {
  switch (t.kind) {
    case 'tcp':
      return timed.run({ kind: 'tcp', opts: { host: t.host, port: t.port, samples: t.samples, timeoutMs: t.timeoutMs, allowTargets } });
    case 'dns':
      return probeDns({ name: t.name, type: t.type as DnsType, ...(t.server !== undefined ? { server: t.server } : {}), timeoutMs: t.timeoutMs, allowTargets });
    case 'http':
      return timed.run({
        kind: 'http',
        opts: {
          url: t.url,
          method: t.method,
          ...(t.headers !== undefined ? { headers: t.headers } : {}),
          ...(t.ca !== undefined ? { caFile: t.ca } : {}),
          ...(t.followForHsts ? { followForHsts: true } : {}),
          body: t.body,
          keepHeaders: t.keepHeaders,
          timeoutMs: t.timeoutMs,
          allowTargets,
        },
      });
    case 'tls':
      return tls({
        host: t.host,
        port: t.port,
        ...(t.servername !== undefined ? { servername: t.servername } : {}),
        ...(t.ip !== undefined ? { ip: t.ip } : {}),
        ...(t.ca !== undefined ? { caFile: t.ca } : {}),
        allAddresses: t.allAddresses,
        wants: t.wants,
        timeoutMs: t.timeoutMs,
        now,
        allowTargets,
      });
  }
}

/** A check's timeout bounds its whole probe, which every kind enforces itself; the grace is for reporting. */
function budgetOf(t: ProbeTarget): number {
  return t.timeoutMs + PROBE_GRACE_MS;
}

/**
 * From one wave of the default concurrency on, a worker's start costs less than the handshakes it takes over;
 * below it, the worker would only add its start.
 */
export const TLS_WORKER_FROM = 16;

/** Runs one TLS probe on this thread or in the TLS worker; `close` stops the worker. */
type TlsShare = ((o: TlsOptions) => Promise<TlsFact>) & { close(): void };

/**
 * Many TLS probes are more CPU than one thread has (each handshake is OpenSSL's work on the thread that drives
 * it): each probe goes to this thread or to a worker of its own, whichever has fewer in flight. Not the timed
 * probes' worker: its loop must stay free for their timings.
 */
function tlsShare(count: number): TlsShare {
  if (count < TLS_WORKER_FROM) return Object.assign(probeTls, { close: () => undefined });
  const worker = probeRunner({ stampClock: false });
  let here = 0;
  let there = 0;
  const run = async (o: TlsOptions): Promise<TlsFact> => {
    if (there <= here) {
      there++;
      try {
        return (await worker.run({ kind: 'tls', opts: o })) as TlsFact;
      } finally {
        there--;
      }
    }
    here++;
    try {
      return await probeTls(o);
    } finally {
      here--;
    }
  };
  return Object.assign(run, { close: () => worker.close() });
}

const isTimed = (t: ProbeTarget): boolean => t.kind === 'tcp' || t.kind === 'http';

/** The host:port a timed probe connects to (an HTTP probe's first hop); undefined for the other kinds. */
function endpointOf(t: ProbeTarget): string | undefined {
  if (t.kind === 'tcp') return `${hostKey(t.host)}:${t.port}`;
  if (t.kind !== 'http' || !URL.canParse(t.url)) return undefined;
  const u = new URL(t.url);
  return `${hostKey(urlHost(u))}:${urlPort(u)}`;
}

/**
 * The probes in runs that go one after another. Where a check judges how long a probe of an endpoint took (TCP
 * latency, HTTP timings), the TCP and HTTP probes of that endpoint share a run, so a connect never queues in the
 * server's backlog behind a sibling's nor shares the worker's loop with a sibling's request and reply; TCP goes
 * first, as its connects end at once on an open port where an HTTP request may wait on a slow server. Every other
 * probe is a run of its own, so probes whose time nobody judges never wait on each other (three checks of one
 * silent server end together). Runs keep the targets' order.
 */
function runsOf(targets: readonly ProbeTarget[]): number[][] {
  const timedEndpoints = new Set(targets.flatMap((t) => ((t.kind === 'tcp' || t.kind === 'http') && t.timed ? [endpointOf(t)] : [])));
  const runs: number[][] = [];
  const byEndpoint = new Map<string, number[]>();
  targets.forEach((t, i) => {
    const e = endpointOf(t);
    const grouped = e !== undefined && timedEndpoints.has(e) ? e : undefined;
    const shared = grouped === undefined ? undefined : byEndpoint.get(grouped);
    if (shared) return void shared.push(i);
    const r = [i];
    runs.push(r);
    if (grouped !== undefined) byEndpoint.set(grouped, r);
  });
  const tcpFirst = (i: number): number => (targets[i]!.kind === 'tcp' ? 0 : 1);
  return runs.map((r) => [...r].sort((a, b) => tcpFirst(a) - tcpFirst(b) || a - b));
}

/** Waits for `p`, but not past the run's deadline. */
function untilDeadline(p: Promise<void>, deadlineAt: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadlineAt - performance.now()));
  });
  return Promise.race([p, cut]).finally(() => clearTimeout(timer));
}

async function guarded(t: ProbeTarget, opts: ProbeRunOptions, timed: ProbeRunner, tls: TlsShare): Promise<ProbeFacts[string]> {
  const { deadlineAt, now } = opts;
  // The worker's start is not the probe's time: its timeout begins once the worker can run it.
  if (isTimed(t)) await untilDeadline(timed.ready(), deadlineAt);
  const left = deadlineAt - performance.now();
  if (left <= 0) return { error: `${t.key}: not started before the run's deadline` };
  const budget = budgetOf(t);
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<{ error: string }>((resolve) => {
    const why = budget <= left ? `its ${t.timeoutMs} ms timeout` : "the run's deadline";
    timer = setTimeout(() => resolve({ error: `${t.key}: no answer within ${why}` }), Math.min(budget, left));
    timer.unref();
  });
  const work = run(t, now, timed, tls, opts.allowTargets ?? []).catch((err: unknown) => ({
    error: `${t.key}: ${err instanceof Error ? err.message : String(err)}`,
  }));
  try {
    return await Promise.race([work, overrun]);
  } finally {
    clearTimeout(timer);
  }
}

export async function collectProbes(targets: readonly ProbeTarget[], opts: ProbeRunOptions): Promise<ProbeFacts> {
  const limit = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_PROBE_CONCURRENCY));
  const running = new Set<string>();
  let done = 0;
  const tell = (): void => opts.onProgress?.({ done, total: targets.length, running: [...running] });
  // Started on the first TCP or HTTP probe only: a policy without one never starts a thread.
  const timed = probeRunner({ stampClock: true });
  const tls = tlsShare(targets.filter((t) => t.kind === 'tls').length);
  const facts = new Array<ProbeFacts[string]>(targets.length);
  try {
    await mapBounded(runsOf(targets), limit, async (run) => {
      for (const i of run) {
        const t = targets[i]!;
        running.add(t.key);
        tell();
        try {
          facts[i] = await guarded(t, opts, timed, tls);
        } finally {
          running.delete(t.key);
          done++;
          tell();
        }
      }
    });
    return Object.fromEntries(targets.map((t, i) => [t.key, facts[i]!]));
  } finally {
    timed.close();
    tls.close();
  }
}

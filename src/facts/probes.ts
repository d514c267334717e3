// The probes family: every planned probe once, at most `concurrency` at a time, each under its own timeout and
// all of them under the run's deadline. A probe that overruns (or throws, which the probes do not mean to) is
// { error } with the reason; a probe never holds the run past its deadline.
import type { ProbeTarget } from '../plan/plan.js';
import { mapBounded } from '../lib/concurrency.js';
import { probeTcp } from '../probes/tcp.js';
import { probeDns } from '../probes/dns.js';
import { probeHttp } from '../probes/http.js';
import { probeTls } from '../probes/tls.js';
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
}

function run(t: ProbeTarget, now: Date): Promise<ProbeFacts[string]> {
  switch (t.kind) {
    case 'tcp':
      return probeTcp({ host: t.host, port: t.port, samples: t.samples, timeoutMs: t.timeoutMs });
    case 'dns':
      return probeDns({ name: t.name, type: t.type as DnsType, ...(t.server !== undefined ? { server: t.server } : {}), timeoutMs: t.timeoutMs });
    case 'http':
      return probeHttp({
        url: t.url,
        method: t.method,
        ...(t.headers !== undefined ? { headers: t.headers } : {}),
        ...(t.ca !== undefined ? { caFile: t.ca } : {}),
        timeoutMs: t.timeoutMs,
      });
    case 'tls':
      return probeTls({
        host: t.host,
        port: t.port,
        ...(t.servername !== undefined ? { servername: t.servername } : {}),
        ...(t.ip !== undefined ? { ip: t.ip } : {}),
        ...(t.ca !== undefined ? { caFile: t.ca } : {}),
        allAddresses: t.allAddresses,
        wants: t.wants,
        timeoutMs: t.timeoutMs,
        now,
      });
  }
}

/**
 * How long a probe may take in all, in rounds of its per-connection timeout: a TCP probe resolves once and then
 * connects `samples` times; a TLS probe resolves, handshakes (twice for an old server), and then runs its hello
 * rounds (versions with a retry and a control, the legacy offers, the suite enumerations), per address.
 */
function budgetOf(t: ProbeTarget): number {
  if (t.kind === 'tcp') return t.timeoutMs * (1 + t.samples) + PROBE_GRACE_MS;
  if (t.kind !== 'tls') return t.timeoutMs + PROBE_GRACE_MS;
  const w = t.wants;
  const rounds = (w.handshake ? 2 : 0) + (w.versions ? 4 : 0) + (w.legacy ? 4 : 0) + (w.suites ? 16 : 0);
  return t.timeoutMs * (1 + rounds * (t.allAddresses ? 2 : 1)) + PROBE_GRACE_MS;
}

async function guarded(t: ProbeTarget, deadlineAt: number, now: Date): Promise<ProbeFacts[string]> {
  const left = deadlineAt - performance.now();
  if (left <= 0) return { error: `${t.key}: not started before the run's deadline` };
  const budget = budgetOf(t);
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<{ error: string }>((resolve) => {
    const why = budget <= left ? `its ${t.timeoutMs} ms timeout` : "the run's deadline";
    timer = setTimeout(() => resolve({ error: `${t.key}: no answer within ${why}` }), Math.min(budget, left));
    timer.unref();
  });
  const work = run(t, now).catch((err: unknown) => ({ error: `${t.key}: ${err instanceof Error ? err.message : String(err)}` }));
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
  const facts = await mapBounded(targets, limit, async (t) => {
    running.add(t.key);
    tell();
    try {
      return await guarded(t, opts.deadlineAt, opts.now);
    } finally {
      running.delete(t.key);
      done++;
      tell();
    }
  });
  return Object.fromEntries(targets.map((t, i) => [t.key, facts[i]!]));
}

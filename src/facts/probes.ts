// The probes family: every planned probe once, at most `concurrency` at a time, each under its own timeout and
// all of them under the run's deadline. A probe that overruns (or throws, which the probes do not mean to) is
// { error } with the reason; a probe never holds the run past its deadline.
import type { ProbeTarget } from '../plan/plan.js';
import { mapBounded } from '../lib/concurrency.js';
import { probeTcp } from '../probes/tcp.js';
import { probeDns } from '../probes/dns.js';
import { probeHttp } from '../probes/http.js';
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
  onProgress?: ProbeProgress;
  /** When the run must be over, on performance.now()'s clock. */
  deadlineAt: number;
}

function run(t: ProbeTarget): Promise<ProbeFacts[string]> {
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
  }
}

/** How long a probe may take in all: a TCP probe resolves once and then connects `samples` times. */
function budgetOf(t: ProbeTarget): number {
  return (t.kind === 'tcp' ? t.timeoutMs * (1 + t.samples) : t.timeoutMs) + PROBE_GRACE_MS;
}

async function guarded(t: ProbeTarget, deadlineAt: number): Promise<ProbeFacts[string]> {
  const left = deadlineAt - performance.now();
  if (left <= 0) return { error: `${t.key}: not started before the run's deadline` };
  const budget = budgetOf(t);
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<{ error: string }>((resolve) => {
    const why = budget <= left ? `its ${t.timeoutMs} ms timeout` : "the run's deadline";
    timer = setTimeout(() => resolve({ error: `${t.key}: no answer within ${why}` }), Math.min(budget, left));
    timer.unref();
  });
  const work = run(t).catch((err: unknown) => ({ error: `${t.key}: ${err instanceof Error ? err.message : String(err)}` }));
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
      return await guarded(t, opts.deadlineAt);
    } finally {
      running.delete(t.key);
      done++;
      tell();
    }
  });
  return Object.fromEntries(targets.map((t, i) => [t.key, facts[i]!]));
}

// Runs probe jobs (probe-jobs.ts) in one worker thread for the whole run, started on first use. For the timed
// probes: the main thread reads /proc, runs nft and ip, parses their JSON and drives the other probes, and a
// connect that completes while it is busy would be timed when it is free again. For TLS: a thousand handshakes
// are more CPU than one thread has, and a worker's share runs beside it. When no worker can run (plumbline run
// from its sources, a bundle without its worker file, a worker that fails), the jobs run on this thread, and a
// timed probe's fact says why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JobFact, JobReply, ProbeJob } from './probe-jobs.js';

// Set by scripts/build.mjs: the CLI bundle finds the worker file beside it, the Action's single-file bundle
// carries the worker's source inside it.
declare const PLUMBLINE_PROBE_WORKER_FILE: string | undefined;
declare const PLUMBLINE_PROBE_WORKER_SOURCE: string | undefined;

/**
 * A worker loads in milliseconds; one that has not said it is ready by then is stuck or starved, and probing on
 * this thread, saying so, serves the audit better than not probing.
 */
const READY_LIMIT_MS = 5_000;

/** What the worker runs: a file, source text (eval), or nothing, with why. */
type WorkerEntry = { file: string } | { source: string } | { none: string };

function bundledWorker(): WorkerEntry {
  if (typeof PLUMBLINE_PROBE_WORKER_SOURCE === 'string') return { source: PLUMBLINE_PROBE_WORKER_SOURCE };
  if (typeof PLUMBLINE_PROBE_WORKER_FILE === 'string') {
    const file = join(__dirname, PLUMBLINE_PROBE_WORKER_FILE);
    return existsSync(file) ? { file } : { none: `the probe worker ${file} is missing (npm run build writes it)` };
  }
  return { none: 'plumbline runs from its sources, which have no probe worker bundle' };
}

export interface ProbeRunner {
  /** Starts the worker when it has not started yet; settles once it is ready or the runner fell back. Never rejects. */
  ready(): Promise<void>;
  run(r: ProbeJob): Promise<JobFact>;
  /** Stops the worker; the process never waits for it. */
  close(): void;
}

interface Pending {
  request: ProbeJob;
  resolve: (f: JobFact) => void;
  reject: (e: Error) => void;
}

export interface ProbeRunnerOptions {
  /** Mark each fact with the thread that timed it (`clock`): for the probes whose timings are findings. */
  stampClock: boolean;
  entry?: () => WorkerEntry;
}

export function probeRunner({ stampClock, entry = bundledWorker }: ProbeRunnerOptions): ProbeRunner {
  let worker: Worker | undefined;
  let started: Promise<void> | undefined;
  /** Why this thread times the probes; undefined while the worker does. */
  let here: string | undefined;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  // Loaded on this thread only when it probes: with a worker, Node's HTTP client is the worker's alone.
  const runHere = async (r: ProbeJob): Promise<JobFact> => {
    const { runJob } = await import('./probe-jobs.js');
    const fact = await runJob(r);
    return stampClock ? { ...fact, clock: { thread: 'main', reason: here ?? 'no probe worker' } } : fact;
  };
  // A worker with requests in flight holds the process open; an idle one never does.
  const hold = (): void => void (pending.size > 0 ? worker?.ref() : worker?.unref());

  const fallBack = (why: string): void => {
    here ??= why;
    const orphans = [...pending.values()];
    pending.clear();
    const w = worker;
    worker = undefined;
    if (w) {
      w.unref();
      void w.terminate().catch(() => undefined);
    }
    for (const p of orphans) runHere(p.request).then(p.resolve, p.reject);
  };

  const start = (): Promise<void> =>
    (started ??= new Promise<void>((resolve) => {
      const e = entry();
      if ('none' in e) {
        here = e.none;
        return resolve();
      }
      let w: Worker;
      try {
        w = 'file' in e ? new Worker(e.file) : new Worker(e.source, { eval: true });
      } catch (err) {
        here = `the probe worker could not start: ${err instanceof Error ? err.message : String(err)}`;
        return resolve();
      }
      worker = w;
      const limit = setTimeout(() => {
        fallBack(`the probe worker was not ready within ${READY_LIMIT_MS} ms`);
        resolve();
      }, READY_LIMIT_MS);
      const settle = (): void => {
        clearTimeout(limit);
        resolve();
      };
      w.on('message', (m: JobReply | { ready: true }) => {
        if ('ready' in m) {
          hold();
          return settle();
        }
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        hold();
        if ('fact' in m) p.resolve(stampClock ? { ...m.fact, clock: { thread: 'worker' } } : m.fact);
        else p.reject(new Error(m.error));
      });
      w.on('error', (err) => {
        fallBack(`the probe worker failed: ${err.message}`);
        settle();
      });
      w.on('exit', (code) => {
        if (!closed && worker === w) fallBack(`the probe worker exited with code ${code}`);
        settle();
      });
    }));

  return {
    ready: start,
    async run(r) {
      await start();
      const w = worker;
      if (here !== undefined || !w) return runHere(r);
      return new Promise<JobFact>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { request: r, resolve, reject });
        hold();
        w.postMessage({ id, request: r });
      });
    },
    close() {
      closed = true;
      const w = worker;
      worker = undefined;
      if (w) {
        w.unref();
        void w.terminate().catch(() => undefined);
      }
    },
  };
}

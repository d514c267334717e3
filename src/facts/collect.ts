// Collect: the only stage that touches the host. Each family runs once, concurrently, under its own timeout
// (the plan's) and the whole run's deadline; a family that fails or overruns becomes { error } and only its
// checks turn into `error` results.
import type { FactFamily, Plan } from '../plan/plan.js';
import type { Transport } from '../transport/types.js';
import type { FactsSnapshot, SocketsFact } from './model.js';
import { isFamilyError } from './model.js';
import { collectSysctl } from './sysctl.js';
import { collectSockets } from './sockets.js';
import { collectProcesses } from './processes.js';
import { collectNetstat } from './netstat.js';
import { collectInterfaces } from './interfaces.js';
import { collectRoutes } from './routes.js';
import { collectFirewall } from './firewall.js';
import { collectIpv6 } from './ipv6.js';
import type { ProbeProgress } from './probes.js';
import { tlsCandidates } from './readings/tls-listeners.js';

/** How long past its timeout a collector may take to report its own error before the guard speaks for it. */
const GUARD_GRACE_MS = 500;

export interface CollectOptions {
  /** Whole-run deadline in milliseconds; families still running then become errors, whatever their own timeout. */
  deadlineMs?: number;
  /** Probes in flight at once (default 16). */
  concurrency?: number;
  /** Told when each live probe starts and ends, for a progress line; never called when nothing is probed. */
  onProbeProgress?: ProbeProgress;
  now?: () => Date;
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'EACCES') return `permission denied (${e.path ?? e.message}); run as root`;
  return e instanceof Error ? e.message : String(err);
}

async function firstLine(t: Transport, path: string): Promise<string> {
  try {
    return (await t.readFile(path)).trim();
  } catch {
    return 'unknown';
  }
}

export async function collect(p: Plan, t: Transport, opts: CollectOptions = {}): Promise<FactsSnapshot> {
  // Families run side by side, but processes may wait for sockets: twice the longest timeout bounds a run.
  const probeTimeouts = p.probes.map((t) => t.timeoutMs);
  const deadline = opts.deadlineMs ?? Math.max(20_000, 2 * Math.max(0, ...Object.values(p.timeouts), ...probeTimeouts));
  const deadlineAt = performance.now() + deadline;
  const timings: Record<string, number> = {};
  const timers: NodeJS.Timeout[] = [];

  const limitOf = (name: FactFamily): number => Math.min(p.timeouts[name] ?? deadline, deadline);
  // A collector gets its family's timeout for the programs it runs, so its own error ("nft ... timed out after
  // N ms; iptables-save: not installed") is what the report says; the guard only catches one that overruns.
  const guarded = <T>(name: FactFamily, work: (timeoutMs: number) => Promise<T>): Promise<T | { error: string }> => {
    const started = performance.now();
    const limit = limitOf(name);
    const overrun = new Promise<{ error: string }>((resolve) => {
      const why = limit < deadline ? `its ${limit} ms timeout` : `the ${deadline} ms deadline`;
      const timer = setTimeout(() => resolve({ error: `${name}: not collected within ${why}` }), Math.min(limit + GUARD_GRACE_MS, deadline));
      timer.unref();
      timers.push(timer);
    });
    const run = work(limit).then(
      (v) => v,
      (err: unknown) => ({ error: reasonOf(err) }),
    );
    return Promise.race([run, overrun]).finally(() => {
      timings[name] = Math.round((performance.now() - started) * 10) / 10;
    });
  };

  const [hostname, kernel] = await Promise.all([firstLine(t, '/proc/sys/kernel/hostname'), firstLine(t, '/proc/sys/kernel/osrelease')]);
  // One clock for the run: the snapshot records it, and certificate day counts are judged at it.
  const collectedAt = opts.now?.() ?? new Date();
  const snapshot: FactsSnapshot = {
    schema: 'plumbline/facts/v1',
    host: { hostname, kernel, collectedAt: collectedAt.toISOString(), transport: t.name },
  };

  const jobs: Promise<void>[] = [];
  // First, because it runs a program: the process works while the /proc and /sys reads below fill the loop.
  if (p.firewall) jobs.push(guarded('firewall', (ms) => collectFirewall(t, ms)).then((v) => void (snapshot.firewall = v)));
  if (p.sysctl.length) {
    jobs.push(
      guarded('sysctl', () => collectSysctl(t, p.sysctl)).then((v) => {
        // sysctl facts are per key, so a failed family marks every key it was asked for.
        snapshot.sysctl = isFamilyError(v) ? Object.fromEntries(p.sysctl.map((k) => [k, { error: v.error }])) : v;
      }),
    );
  }
  const sockets = p.sockets ? guarded('sockets', (ms) => collectSockets(t, ms)) : Promise.resolve(undefined);
  jobs.push(sockets.then((v) => void (v !== undefined && (snapshot.sockets = v))));
  if (p.tlsListeners) {
    const want = p.tlsListeners;
    jobs.push(
      guarded('tlsListeners', async () => {
        const s = await sockets;
        if (!s || isFamilyError(s)) return { error: `the host's listeners could not be read${s ? `: ${s.error}` : ''}` };
        const listeners = (s as SocketsFact).listeners;
        const candidates = tlsCandidates(listeners, want.ports);
        if (candidates.length === 0) return [];
        // Loaded only when the host listens on a TLS port: the TLS client is a large part of a host audit's start.
        const { collectTlsListeners } = await import('./tls-listeners.js');
        // A TLS server on the host answers a ClientHello in milliseconds: a second of silence means it is no TLS
        // server, and the default audit should not wait longer than that to learn it.
        return collectTlsListeners(candidates, want.wants, Math.min(want.timeoutMs, 1_000), collectedAt);
      }).then((v) => void (snapshot.tlsListeners = v)),
    );
  }
  if (p.processes) {
    const want = p.processes;
    jobs.push(
      guarded('processes', async (ms) => {
        const pids = [...want.pids];
        if (want.listeners) {
          // Limits "of the process listening on :443" need the socket owners first.
          const s = await sockets;
          if (s && !isFamilyError(s)) for (const l of (s as SocketsFact).listeners) for (const o of l.owners) pids.push(o.pid);
        }
        return collectProcesses(t, { pids, names: want.names, units: want.units, pidfiles: want.pidfiles }, ms);
      }).then((v) => void (snapshot.processes = v)),
    );
  }
  if (p.netstat) jobs.push(guarded('netstat', () => collectNetstat(t)).then((v) => void (snapshot.netstat = v)));
  if (p.interfaces) jobs.push(guarded('interfaces', () => collectInterfaces(t)).then((v) => void (snapshot.interfaces = v)));
  if (p.routes) jobs.push(guarded('routes', (ms) => collectRoutes(t, ms)).then((v) => void (snapshot.routes = v)));
  if (p.probes.length > 0) {
    const started = performance.now();
    jobs.push(
      // Loaded only when a policy probes: the http, https, tls and dns modules are a large part of a host audit's start.
      import('./probes.js')
        .then(({ collectProbes }) =>
          collectProbes(p.probes, {
            deadlineAt,
            now: collectedAt,
            ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
            ...(opts.onProbeProgress !== undefined ? { onProgress: opts.onProbeProgress } : {}),
          }),
        )
        .then((v) => {
          snapshot.probes = v;
          timings.probes = Math.round((performance.now() - started) * 10) / 10;
        }),
    );
  }
  if (p.certificates.length > 0) {
    // Loaded only when a policy names certificate files: reading them pulls in Node's crypto and tls modules.
    const read = async () => (await import('./cert-files.js')).collectCertificateFiles(t, p.certificates, collectedAt);
    jobs.push(guarded('certificates', read).then((v) => void (snapshot.certificates = v)));
  }
  if (p.ipv6) jobs.push(guarded('ipv6', () => collectIpv6(t)).then((v) => void (snapshot.ipv6 = v)));
  await Promise.all(jobs);
  for (const timer of timers) clearTimeout(timer);
  snapshot.timings = timings;
  return snapshot;
}

// Collect: the only stage that touches the host. Every planned family says what it needs; the host answers them
// all in one batch through the transport (and once more for what only a first answer can tell), each family's
// pure parse turns the answers into its facts, and a family that cannot be read becomes { error } for its checks
// only. Live probes run from this machine meanwhile; the host's own TLS listeners are reached through the
// transport once its sockets are known.
import type { FactFamily, Plan } from '../plan/plan.js';
import { RawView } from '../transport/raw.js';
import type { RawAnswer, RawMaterial, RawRequest, Transport } from '../transport/types.js';
import { dedupe, itemCount, requestKey } from '../transport/types.js';
import type { FactsSnapshot, SocketsFact } from './model.js';
import { isFamilyError } from './model.js';
import type { ProbeProgress } from './probes.js';
import { FAMILIES, HOST } from './registry.js';
import type { Planned } from './registry.js';
import { tlsCandidates } from './readings/tls-listeners.js';

/** How long past its timeout the host's TLS listeners may take to report their own error before the guard speaks. */
const GUARD_GRACE_MS = 500;

export interface CollectOptions {
  /** Whole-run deadline in milliseconds; what is still running then becomes an error, whatever its own timeout. */
  deadlineMs?: number;
  /** Probes in flight at once (default 16). */
  concurrency?: number;
  /**
   * Networks the live probes may connect to beyond the default (`--allow-target`): link-local and cloud metadata
   * addresses are refused, whatever a policy names.
   */
  allowTargets?: readonly string[];
  /** Told when each live probe starts and ends, for a progress line; never called when nothing is probed. */
  onProbeProgress?: ProbeProgress;
  now?: () => Date;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Resolves with the batch's answers, or with why the host did not answer them before `limitMs`. */
function within<T>(work: Promise<T>, limitMs: number, why: string): Promise<T | { error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<{ error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ error: why }), Math.max(1, limitMs));
    timer.unref();
  });
  return Promise.race([
    work.then(
      (v) => v,
      (err: unknown) => ({ error: reasonOf(err) }),
    ),
    overrun,
  ]).finally(() => clearTimeout(timer));
}

const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v && Object.keys(v).length === 1;

export async function collect(p: Plan, t: Transport, opts: CollectOptions = {}): Promise<FactsSnapshot> {
  const probeTimeouts = p.probes.map((x) => x.timeoutMs);
  const deadline = opts.deadlineMs ?? Math.max(20_000, 2 * Math.max(0, ...Object.values(p.timeouts), ...probeTimeouts));
  const started = performance.now();
  const deadlineAt = started + deadline;
  const timings: Record<string, number> = {};
  const timeoutOf = (name: string): number => Math.min(p.timeouts[name as FactFamily] ?? deadline, deadline);
  // One clock for the run: the snapshot records it, and certificate day counts are judged at it.
  const collectedAt = opts.now?.() ?? new Date();

  // Loaded only when a policy probes: the http, https, tls and dns modules are a large part of a host audit's start.
  const probes =
    p.probes.length > 0
      ? import('./probes.js').then(({ collectProbes }) =>
          collectProbes(p.probes, {
            deadlineAt,
            now: collectedAt,
            ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
            ...(opts.allowTargets !== undefined ? { allowTargets: opts.allowTargets } : {}),
            ...(opts.onProbeProgress !== undefined ? { onProgress: opts.onProbeProgress } : {}),
          }).then((v) => ((timings.probes = round(performance.now() - started)), v)),
        )
      : undefined;

  const planned: Planned[] = [HOST, ...FAMILIES.flatMap((entry) => entry(p, timeoutOf, { allowTargets: opts.allowTargets ?? [] }) ?? [])];
  const raw = new RawView();
  const facts = new Map<Planned, Promise<unknown>>();
  /** What a family asks in the second batch, once its first answers are in. */
  const second = new Map<Planned, RawRequest[]>();
  let batches = 0;
  let items = 0;

  const parse = (pl: Planned, why?: string): Promise<unknown> => {
    const { family, params } = pl;
    const fail = (reason: string): unknown => family.failed?.(params, reason) ?? { error: reason };
    if (why !== undefined) return Promise.resolve(fail(why));
    let at = 0;
    return Promise.resolve()
      .then(() => {
        at = performance.now();
        return family.parse(params, raw, { now: collectedAt });
      })
      .then(
        (v) => v,
        (err: unknown) => fail(reasonOf(err)),
      )
      .finally(() => {
        // The parse's own time: its answers were in when it started.
        if (family !== HOST.family) timings[family.name] = round(performance.now() - at);
      });
  };

  // A family is read as soon as its own answers are in: its next question asked (the second batch waits for the
  // whole first one), or, with none, its parse, so /proc is judged while `nft` and `ip` still run.
  const answered = (pl: Planned): void => {
    let more: RawRequest[] = [];
    try {
      more = pl.family.next?.(pl.params, raw) ?? [];
    } catch (err) {
      facts.set(pl, parse(pl, reasonOf(err)));
      return;
    }
    if (more.length > 0) second.set(pl, more);
    else facts.set(pl, parse(pl));
  };
  const waiting = new Map<string, Planned[]>();
  const pending = new Map<Planned, number>();
  const keysOf = new Map<Planned, Set<string>>();
  const first = dedupe(
    planned.flatMap((pl) => {
      const asked = pl.family.needs(pl.params);
      const keys = new Set(asked.map(requestKey));
      keysOf.set(pl, keys);
      pending.set(pl, keys.size);
      for (const k of keys) waiting.set(k, [...(waiting.get(k) ?? []), pl]);
      return asked;
    }),
  );
  let late = false;
  const onAnswer = (key: string, answer: RawAnswer): void => {
    // A transport still answering after the deadline speaks to no one.
    if (late) return;
    raw.add(key, answer);
    for (const pl of waiting.get(key) ?? []) {
      const left = pending.get(pl)! - 1;
      pending.set(pl, left);
      if (left === 0) answered(pl);
    }
  };

  /** Sends a batch; undefined when it was answered, else why the host did not answer it in time. */
  const ask = async (batch: RawRequest[], label: string, hear?: typeof onAnswer): Promise<string | undefined> => {
    const at = performance.now();
    const answers = await within<RawMaterial>(t.gather(batch, hear), deadlineAt - at, `not collected within the ${deadline} ms deadline`);
    timings[label] = round(performance.now() - at);
    batches++;
    if (isError(answers)) return answers.error;
    items += itemCount(answers);
    raw.absorb(answers);
    return undefined;
  };

  for (const pl of planned) if (pending.get(pl) === 0) answered(pl);
  const lostFirst = await ask(first, 'gather', onAnswer);
  late = true;
  // A transport that answers only at the end of the batch (onAnswer is an offer, not a duty) is read here.
  for (const pl of planned) if (!facts.has(pl) && !second.has(pl) && [...keysOf.get(pl)!].every((k) => raw.has(k))) answered(pl);
  // Only the families still waiting for an answer lose it; the rest were read already.
  for (const pl of planned) if (!facts.has(pl) && !second.has(pl)) facts.set(pl, parse(pl, `${pl.family.name}: ${lostFirst ?? 'no answer'}`));
  if (second.size > 0) {
    // A program of the second batch gets what is left of the run, so none outlives it.
    const left = Math.max(1, Math.floor(deadlineAt - performance.now()));
    const batch = dedupe([...second.values()].flat()).map((r) => (r.op === 'run' ? { ...r, timeoutMs: Math.min(r.timeoutMs, left) } : r));
    const lostSecond = await ask(batch, 'gather2');
    for (const pl of second.keys()) facts.set(pl, parse(pl, lostSecond === undefined ? undefined : `${pl.family.name}: ${lostSecond}`));
  }
  const parsed = new Map<string, unknown>();
  for (const pl of planned) parsed.set(pl.family.name, await facts.get(pl));

  const host = parsed.get('host') as { hostname: string; kernel: string } | { error: string };
  const snapshot: FactsSnapshot = {
    schema: 'plumbline/facts/v1',
    host: {
      ...('error' in host ? { hostname: 'unknown', kernel: 'unknown' } : host),
      collectedAt: collectedAt.toISOString(),
      transport: t.name,
      gathered: { batches, items },
    },
  };
  const out = snapshot as unknown as Record<string, unknown>;
  for (const { family } of planned) if (family !== HOST.family && (family.name !== 'sockets' || p.sockets)) out[family.name] = parsed.get(family.name);

  const jobs: Promise<void>[] = [];
  if (p.tlsListeners) {
    const want = p.tlsListeners;
    const sockets = parsed.get('sockets') as SocketsFact | { error: string } | undefined;
    const limit = timeoutOf('tlsListeners');
    const at = performance.now();
    const listeners = async (): Promise<FactsSnapshot['tlsListeners']> => {
      if (!sockets || isFamilyError(sockets)) return { error: `the host's listeners could not be read${sockets ? `: ${sockets.error}` : ''}` };
      const candidates = tlsCandidates(sockets.listeners, want.ports);
      if (candidates.length === 0) return [];
      // Loaded only when the host listens on a TLS port: the TLS client is a large part of a host audit's start.
      const { collectTlsListeners } = await import('./tls-listeners.js');
      // A TLS server on the host answers a ClientHello in milliseconds: a second of silence means it is no TLS
      // server, and the default audit should not wait longer than that to learn it.
      return collectTlsListeners(candidates, want.wants, Math.min(want.timeoutMs, 1_000), collectedAt, (host, port, ms) => t.connect(host, port, ms));
    };
    const why = limit < deadline ? `its ${limit} ms timeout` : `the ${deadline} ms deadline`;
    jobs.push(
      within(listeners(), Math.min(limit + GUARD_GRACE_MS, deadlineAt - at), `tlsListeners: not collected within ${why}`).then((v) => {
        snapshot.tlsListeners = v as FactsSnapshot['tlsListeners'];
        timings.tlsListeners = round(performance.now() - at);
      }),
    );
  }
  if (probes) jobs.push(probes.then((v) => void (snapshot.probes = v)));
  await Promise.all(jobs);
  snapshot.timings = timings;
  return snapshot;
}

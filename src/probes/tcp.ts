// The TCP probe: resolve the host, then connect to every address on its own (happy-eyeballs would hide which
// address answered), as often as `samples` asks, one connect at a time, as ping and curl do: a sample that waited
// behind its siblings in the server's backlog would time the queue, not the network. The check's one timeout
// bounds the whole probe. A network failure is a verdict with its reason, never an exception.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { MAX_SAMPLES, invalidHost, invalidPort } from '../lib/targets.js';
import { errCode } from '../lib/errno.js';
import { percentile } from '../lib/percentile.js';
import type { ConnectVerdict, LatencyStats, ProbeError, TcpAddressFact, TcpFact } from './net-model.js';
import { resolveToDial } from './dial.js';
import type { Admitted, Resolved } from './dial.js';

export interface TcpOptions {
  host: string;
  port: number;
  samples?: number;
  /** Bound of the whole probe: resolving the name and every connect share it. */
  timeoutMs: number;
  /** Networks admitted beyond the default (`--allow-target`): link-local and metadata addresses are refused. */
  allowTargets?: Admitted;
}

// ---------------------------------------------------------------------------------------------------------
// Validation, for the policy: the pure validators live in src/lib/targets.ts, which the policy may import.
export { invalidHost, invalidPort, invalidSamples, invalidTcpTarget } from '../lib/targets.js';

// ---------------------------------------------------------------------------------------------------------
// Pure readings

export { percentile } from '../lib/percentile.js';

export function latencyStats(values: readonly number[]): LatencyStats | undefined {
  if (values.length === 0) return undefined;
  return { count: values.length, p50Ms: percentile(values, 50)!, p95Ms: percentile(values, 95)!, maxMs: Math.max(...values) };
}

/** Milliseconds rounded to a tenth: finer figures are noise and make snapshots needlessly long. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

const CONNECT_WORDS: Record<string, [ConnectVerdict, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  TIMEOUT: ['filtered', 'no answer within the timeout (dropped)'],
  ETIMEDOUT: ['filtered', 'no answer within the timeout (dropped)'],
  // ICMP host/net unreachable or administratively prohibited: something on the path answered for the host.
  EHOSTUNREACH: ['filtered', 'host unreachable (ICMP, or a firewall rejecting with host-prohibited)'],
  ENETUNREACH: ['filtered', 'network unreachable (no route, or ICMP net unreachable)'],
  // A local firewall (output chain) refusing to send the SYN.
  EACCES: ['filtered', 'not permitted by the local firewall'],
  EPERM: ['filtered', 'not permitted by the local firewall'],
};

/** What a failed connect means, from its errno code. Unknown codes are filtered with the code as reason. */
export function connectFailure(code: string | undefined, message?: string): { connect: ConnectVerdict; error: ProbeError } {
  const c = code ?? 'UNKNOWN';
  const known = CONNECT_WORDS[c];
  return known ? { connect: known[0], error: { code: c, reason: known[1] } } : { connect: 'filtered', error: { code: c, reason: message ?? c } };
}

// ---------------------------------------------------------------------------------------------------------
// Connecting

type Attempt = { ok: true; ms: number } | { ok: false; code: string; message: string };

/** One connect to one address. The socket is destroyed and the timer cleared on every path. */
function connectOnce(address: string, port: number, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    let sock: Socket | undefined;
    const finish = (a: Attempt): void => {
      clearTimeout(timer);
      sock?.destroy();
      resolve(a);
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'TIMEOUT', message: 'timed out' }), Math.max(1, timeoutMs));
    let start = performance.now();
    sock = connect({ host: address, port, autoSelectFamily: false });
    // Node makes the connect on a later tick and says so.
    sock.once('connectionAttempt', () => {
      start = performance.now();
    });
    sock.once('connect', () => finish({ ok: true, ms: performance.now() - start }));
    sock.once('error', (e) => finish({ ok: false, code: errCode(e) ?? 'UNKNOWN', message: e.message }));
  });
}

/** What one address has met so far. */
interface Sampled {
  r: Resolved;
  times: number[];
  attempts: number;
  last?: Attempt;
  /** The time the first connect was given, when it was a share of the timeout among several addresses. */
  share?: number;
}

function addressFact(s: Sampled, samples: number, timeoutMs: number): TcpAddressFact {
  const fact: TcpAddressFact = { address: s.r.address, family: s.r.family, connect: 'open', attempts: s.attempts, succeeded: s.times.length };
  const latency = latencyStats(s.times);
  if (latency) fact.latency = latency;
  if (s.last && !s.last.ok) {
    const f = connectFailure(s.last.code, s.last.message);
    if (s.times.length === 0) fact.connect = f.connect;
    fact.error = f.error;
    if (s.last.code === 'TIMEOUT' && s.attempts === 1 && s.share !== undefined) {
      fact.error = { code: 'TIMEOUT', reason: `no answer within ${Math.round(s.share)} ms, this address's share of the ${timeoutMs} ms timeout (dropped)` };
    }
  }
  if (s.times.length > 0 && s.attempts < samples) {
    fact.stopped = { code: 'TIMEOUT', reason: `the ${timeoutMs} ms timeout ran out after ${s.attempts} of ${samples} connects` };
  }
  return fact;
}

/**
 * Every address once, then the further samples round by round, one connect at a time, each given what is left
 * of the probe's time. A first connect gets only an even share of the time, so one silent address cannot leave
 * the others unjudged or unsampled; an address that never answered is not asked again, as waiting out the same
 * silence says nothing more.
 */
async function sampleAddresses(resolved: readonly Resolved[], port: number, samples: number, deadline: number): Promise<Sampled[]> {
  const all: Sampled[] = resolved.map((r) => ({ r, times: [], attempts: 0 }));
  const attempt = async (s: Sampled, ms: number): Promise<void> => {
    s.last = await connectOnce(s.r.address, port, ms);
    s.attempts++;
    if (s.last.ok) s.times.push(roundMs(s.last.ms));
  };
  const share = (deadline - performance.now()) / all.length;
  for (const s of all) {
    if (all.length > 1) s.share = share;
    await attempt(s, Math.min(share, deadline - performance.now()));
  }
  for (let round = 1; round < samples; round++) {
    for (const s of all) {
      if (s.times.length === 0) continue;
      const left = deadline - performance.now();
      if (left <= 0) return all;
      await attempt(s, left);
      // It had all the time there was (a timer may fire a fraction of a millisecond early: none is left).
      if (s.last?.ok === false && s.last.code === 'TIMEOUT') return all;
    }
  }
  return all;
}

export async function probeTcp(opts: TcpOptions): Promise<TcpFact> {
  const deadline = performance.now() + opts.timeoutMs;
  const samples = Math.min(Math.max(1, Math.floor(opts.samples ?? 1)), MAX_SAMPLES);
  const fact: TcpFact = { host: opts.host, port: opts.port, samples, addresses: [] };
  const bad = invalidHost(opts.host) ?? invalidPort(opts.port);
  if (bad) return { ...fact, error: { code: 'INVALID', reason: bad } };
  const resolved = await resolveToDial(opts.host, opts.timeoutMs, opts.allowTargets ?? []);
  if (!Array.isArray(resolved)) return { ...fact, error: resolved };
  const sampled = await sampleAddresses(resolved, opts.port, samples, deadline);
  fact.addresses = sampled.map((s) => addressFact(s, samples, opts.timeoutMs));
  return fact;
}

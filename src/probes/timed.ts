// The probes whose timings are findings (TCP connect latency, HTTP phases), by name, as plain messages: the same
// request runs in the probe worker (timed-worker.ts) or, when no worker can run, on the caller's thread.
import { probeHttp } from './http.js';
import type { HttpOptions } from './http.js';
import type { HttpFact, TcpFact } from './net-model.js';
import { probeTcp } from './tcp.js';
import type { TcpOptions } from './tcp.js';

export type TimedRequest = { kind: 'tcp'; opts: TcpOptions } | { kind: 'http'; opts: HttpOptions };

export type TimedFact = TcpFact | HttpFact;

/** A request to the worker, and its answer: the fact, or why the probe threw (which the probes do not mean to). */
export interface TimedMessage {
  id: number;
  request: TimedRequest;
}
export type TimedReply = { id: number; fact: TimedFact } | { id: number; error: string };

export function runTimed(r: TimedRequest): Promise<TimedFact> {
  return r.kind === 'tcp' ? probeTcp(r.opts) : probeHttp(r.opts);
}

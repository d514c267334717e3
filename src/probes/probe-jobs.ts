// The probes a worker thread runs, by name, as plain messages: TCP and HTTP, whose timings are findings and must
// not wait on the main thread's work, and TLS, whose handshakes are most of a large audit's CPU and share it out.
// The same job runs in a worker (probe-worker.ts) or, when no worker can run, on the caller's thread.
import { probeHttp } from './http.js';
import type { HttpOptions } from './http.js';
import type { HttpFact, TcpFact } from './net-model.js';
import { probeTcp } from './tcp.js';
import type { TcpOptions } from './tcp.js';
import { probeTls } from './tls.js';
import type { TlsOptions } from './tls.js';
import type { TlsFact } from './tls-model.js';

export type ProbeJob = { kind: 'tcp'; opts: TcpOptions } | { kind: 'http'; opts: HttpOptions } | { kind: 'tls'; opts: TlsOptions };

export type JobFact = TcpFact | HttpFact | TlsFact;

/** A job for the worker, and its answer: the fact, or why the probe threw (which the probes do not mean to). */
export interface JobMessage {
  id: number;
  request: ProbeJob;
}
export type JobReply = { id: number; fact: JobFact } | { id: number; error: string };

export function runJob(r: ProbeJob): Promise<JobFact> {
  switch (r.kind) {
    case 'tcp':
      return probeTcp(r.opts);
    case 'http':
      return probeHttp(r.opts);
    case 'tls':
      return probeTls(r.opts);
  }
}

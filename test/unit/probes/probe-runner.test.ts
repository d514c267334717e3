// The runner of the probe worker: requests go to one worker thread and come back as facts that say so; when no
// worker can run, or the worker fails with requests in flight, the probes run on this thread and each fact says
// why. The workers here are small scripts (no network); the fallback probes an invalid host, answered at once.
import { describe, expect, it } from 'vitest';
import { probeRunner } from '../../../src/probes/probe-runner.js';
import type { TcpFact } from '../../../src/probes/net-model.js';

/** A worker that says it is ready and answers each request with a fact naming the host it was asked. */
const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, fact: { host: m.request.opts.host, port: m.request.opts.port, addresses: [] } }));
parentPort.postMessage({ ready: true });
`;

/** A worker that says it is ready and dies on the first request. */
const CRASH = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => { throw new Error('boom'); });
parentPort.postMessage({ ready: true });
`;

const tcp = (host: string) => ({ kind: 'tcp' as const, opts: { host, port: 80, timeoutMs: 100 } });

describe('probeRunner', () => {
  it('runs requests in the worker, each answered by its own id, and marks the facts', async () => {
    const runner = probeRunner({ stampClock: true, entry: () => ({ source: ECHO }) });
    try {
      const facts = (await Promise.all(['a.test', 'b.test', 'c.test'].map((h) => runner.run(tcp(h))))) as TcpFact[];
      expect(facts.map((f) => [f.host, f.clock])).toEqual([
        ['a.test', { thread: 'worker' }],
        ['b.test', { thread: 'worker' }],
        ['c.test', { thread: 'worker' }],
      ]);
    } finally {
      runner.close();
    }
  });

  it('without a worker, probes on this thread and says why', async () => {
    const runner = probeRunner({ stampClock: true, entry: () => ({ none: 'no worker here' }) });
    await runner.ready();
    const f = (await runner.run(tcp('x..y'))) as TcpFact;
    expect(f.error?.code).toBe('INVALID');
    expect(f.clock).toEqual({ thread: 'main', reason: 'no worker here' });
    runner.close();
  });

  it('a worker that fails hands the requests in flight, and every later one, to this thread', async () => {
    const runner = probeRunner({ stampClock: true, entry: () => ({ source: CRASH }) });
    try {
      const first = (await runner.run(tcp('x..y'))) as TcpFact;
      expect(first.error?.code).toBe('INVALID');
      expect(first.clock).toEqual({ thread: 'main', reason: expect.stringMatching(/^the probe worker failed: .*boom/) });
      const next = (await runner.run(tcp('y..z'))) as TcpFact;
      expect(next.clock).toEqual(first.clock);
    } finally {
      runner.close();
    }
  });

  it('a worker that cannot start is no worker, with the reason', async () => {
    const runner = probeRunner({ stampClock: true, entry: () => ({ file: '/nonexistent/plumbline-probe-worker.cjs' }) });
    const f = (await runner.run(tcp('x..y'))) as TcpFact;
    expect(f.clock?.thread).toBe('main');
    expect((f.clock as { reason: string }).reason).toMatch(/probe worker/);
    runner.close();
  });
});

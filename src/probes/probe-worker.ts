// The probe worker's entry (bundled on its own by scripts/build.mjs): it runs probes on an event loop of
// its own, so the audit's other work (reading /proc, parsing a ruleset, other probes' handshakes) never runs
// between a connect completing and its time being taken. It says `ready` once warmed up, then answers requests.
import { connect, createServer } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { runJob } from './probe-jobs.js';
import type { JobMessage, JobReply } from './probe-jobs.js';

/**
 * A fresh thread's first connect runs cold code and takes several times as long as the next: a few connects to a
 * listener of the worker's own on loopback walk the same path, and nothing leaves the host.
 */
const WARM_UP_CONNECTS = 3;
/** Loopback answers at once; a busy machine is not waited for longer than this. */
const WARM_UP_LIMIT_MS = 250;

function warmUp(): Promise<void> {
  return new Promise((resolve) => {
    const server = createServer((c) => c.destroy());
    const limit = setTimeout(finish, WARM_UP_LIMIT_MS);
    let left = WARM_UP_CONNECTS;
    let over = false;
    function finish(): void {
      if (over) return;
      over = true;
      clearTimeout(limit);
      server.close();
      resolve();
    }
    const next = (): void => {
      const address = server.address();
      if (left-- <= 0 || address === null || typeof address === 'string') return finish();
      const s = connect({ host: '127.0.0.1', port: address.port, autoSelectFamily: false });
      let ended = false;
      const done = (): void => {
        if (ended) return;
        ended = true;
        s.destroy();
        if (!over) next();
      };
      s.once('error', done);
      s.once('connect', done);
    };
    server.once('error', finish);
    server.listen(0, '127.0.0.1', next);
  });
}

const port = parentPort;
if (port) {
  port.on('message', (m: JobMessage) => {
    runJob(m.request).then(
      (fact) => port.postMessage({ id: m.id, fact } satisfies JobReply),
      (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies JobReply),
    );
  });
  void warmUp().then(() => port.postMessage({ ready: true }));
}

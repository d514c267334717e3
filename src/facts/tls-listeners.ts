// The host's own TLS listeners: every TCP listener on a port where TLS is served by convention, probed from
// the host the way a client there meets it (a listener on every address through loopback, one bound to an
// address through that address), over the transport's connections: never this process's own loopback when the
// host is another machine. A port that answers in plain text, or stays silent, is kept, marked, and judged by no check.
import type { tlsCandidates } from './readings/tls-listeners.js';
import type { TlsWants } from '../probes/tls-model.js';
import type { TlsListenerFact } from '../probes/tls-model.js';
import { mapBounded } from '../lib/concurrency.js';
import { probeTls } from '../probes/tls.js';
import { ANY_TARGET } from '../probes/dial.js';
import type { Dialer } from '../probes/dial.js';

/** Listeners on a host share its CPU with what it serves: a few at a time. */
const CONCURRENCY = 4;

export async function collectTlsListeners(
  candidates: ReturnType<typeof tlsCandidates>,
  wants: TlsWants,
  timeoutMs: number,
  now: Date,
  dial: Dialer,
): Promise<TlsListenerFact[]> {
  return mapBounded(candidates, CONCURRENCY, async ({ listener, connectTo }) => {
    // The host's own listener, met where the host itself listens: no policy named it, so nothing is refused.
    const tls = await probeTls({ host: connectTo, port: listener.port, wants: { ...wants, handshake: true }, timeoutMs, now, dial, allowTargets: ANY_TARGET });
    const first = tls.addresses[0];
    // A TLS server answers a ClientHello at once; one that stays silent on a TLS port speaks something else.
    const code = first?.full?.error?.code;
    const notTls = code === 'NOT_TLS' || code === 'TLS_TIMEOUT' || first?.versions?.every((v) => v.verdict === 'not-tls');
    const fact: TlsListenerFact = {
      address: listener.address,
      port: listener.port,
      connectTo,
      owners: [...new Set(listener.owners.map((o) => o.comm))].sort(),
      tls,
    };
    if (notTls) fact.notTls = true;
    return fact;
  });
}

// A transport around another that counts what it is asked and waits `delayMs` before answering each batch and
// each connection: what a host one network round trip away costs, without the network.
import type { RawMaterial, RawRequest, Transport } from '../../src/transport/types.js';
import { itemCount } from '../../src/transport/types.js';

export interface DelayedTransport extends Transport {
  readonly batches: (readonly RawRequest[])[];
  /** Raw items answered (each glob match counts). */
  items: number;
  connects: number;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function delayedTransport(inner: Transport, delayMs: number): DelayedTransport {
  const t: DelayedTransport = {
    name: `${inner.name}+${delayMs}ms`,
    batches: [],
    items: 0,
    connects: 0,
    async gather(batch): Promise<RawMaterial> {
      t.batches.push(batch);
      // Answers come back together, a round trip later, as one reply to the batch would.
      const [answers] = await Promise.all([inner.gather(batch), wait(delayMs)]);
      t.items += itemCount(answers);
      return answers;
    },
    async connect(host, port, timeoutMs) {
      t.connects++;
      await wait(delayMs);
      return inner.connect(host, port, timeoutMs);
    },
  };
  return t;
}

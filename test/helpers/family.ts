// A fact family read on its own, as collect reads it in a run: its requests gathered by the transport (a replay
// of a captured host, or a real one), a second batch when it asks for one, and its pure parse of the answers.
import type { FamilyModule } from '../../src/facts/family.js';
import { RawView } from '../../src/transport/raw.js';
import type { Transport } from '../../src/transport/types.js';
import { dedupe } from '../../src/transport/types.js';

export async function readFamily<P, F>(family: FamilyModule<P, F>, params: P, t: Transport, now = new Date()): Promise<F> {
  const raw = new RawView(await t.gather(dedupe(family.needs(params))));
  const more = dedupe(family.next?.(params, raw) ?? []);
  if (more.length > 0) raw.absorb(await t.gather(more));
  return family.parse(params, raw, { now });
}

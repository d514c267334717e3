// The `mtu` kind: a full-size and a small don't-fragment ping from the audited host, and a tracepath to the host
// unless the check asks for none.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { mtuPings } from '../pings.js';

export function plan(c: CheckOf<'mtu'>, p: PlanBuilder): void {
  const { large, small } = mtuPings(c.selector.spec.host, c.selector.spec.size);
  p.icmp(large, c.selector.spec.tracepath !== false);
  p.icmp(small);
}

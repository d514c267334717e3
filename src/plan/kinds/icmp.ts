// The `icmp` kind: one ping from the audited host, shared with every check that asks the same one.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { pingKey } from '../pings.js';

export function plan(c: CheckOf<'icmp'>, p: PlanBuilder): void {
  const ping = { ...c.selector.spec, dontFragment: false };
  p.icmp({ key: pingKey(ping), ...ping });
}

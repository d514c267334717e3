// The `sysctl` kind asks for its key; an IPv6 key also for whether the host has IPv6.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'sysctl'>, p: PlanBuilder): void {
  const key = c.selector.key;
  p.sysctl(key);
  if (key.startsWith('net.ipv6.') || key.startsWith('net/ipv6/')) p.need('ipv6');
}

// The `route` kind reads the routes; an IPv6 route check does not apply on a host without IPv6.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'route'>, p: PlanBuilder): void {
  p.need('routes');
  const dest = c.selector.dest;
  if (dest === 'default6' || dest.includes(':')) p.need('ipv6');
}

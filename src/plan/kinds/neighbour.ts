// The `neighbour` kind reads the neighbour table, and for a gateway (or the next hop toward an address) the routes that name it; an IPv6 gateway
// check does not apply on a host without IPv6.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'neighbour'>, p: PlanBuilder): void {
  p.need('neighbours');
  const t = c.selector.target;
  if (!('address' in t)) p.need('routes');
  if ('gateway' in t ? t.gateway === 'default6' : ('to' in t ? t.to : t.address).includes(':')) p.need('ipv6');
}

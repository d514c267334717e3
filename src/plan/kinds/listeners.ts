// The `listeners` kind reads the sockets, and for `unprivileged` where the unprivileged ports start.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'listeners'>, p: PlanBuilder): void {
  if (c.selector.spec.unprivileged) p.sysctl('net.ipv4.ip_unprivileged_port_start');
  p.need('sockets');
}

// The `firewall` kind reads the ruleset; its IPv6 half depends on whether the host has IPv6.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'firewall'>, p: PlanBuilder): void {
  p.need('firewall');
  if (c.selector.spec.family !== 'ip') p.need('ipv6');
}

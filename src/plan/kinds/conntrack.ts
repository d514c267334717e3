// The `conntrack` kind reads the connection tracking table's fill.
import type { PlanBuilder } from '../builder.js';

export function plan(_c: unknown, p: PlanBuilder): void {
  p.need('conntrack');
}

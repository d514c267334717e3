// The `netstat` kind reads the kernel's network counters.
import type { PlanBuilder } from '../builder.js';

export function plan(_c: unknown, p: PlanBuilder): void {
  p.need('netstat');
}

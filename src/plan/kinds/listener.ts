// The `listener` kind reads the sockets.
import type { PlanBuilder } from '../builder.js';

export function plan(_c: unknown, p: PlanBuilder): void {
  p.need('sockets');
}

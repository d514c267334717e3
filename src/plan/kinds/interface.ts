// The `interface` kind reads the interfaces.
import type { PlanBuilder } from '../builder.js';

export function plan(_c: unknown, p: PlanBuilder): void {
  p.need('interfaces');
}

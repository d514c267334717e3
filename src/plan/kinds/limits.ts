// The `limits` kind asks for the processes its selector names (by their sockets, too, for port and listening).
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'limits'>, p: PlanBuilder): void {
  const s = c.selector.spec;
  p.processes({
    ...(s.process !== undefined ? { process: s.process } : {}),
    ...(s.pid !== undefined ? { pid: s.pid } : {}),
    ...(s.unit !== undefined ? { unit: s.unit } : {}),
    ...(s.pidfile !== undefined ? { pidfile: s.pidfile } : {}),
    listeners: s.port !== undefined || s.listening === true,
  });
}

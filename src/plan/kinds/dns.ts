// The `dns` kind's probe: one per name, type and server.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { dnsProbeKey } from '../probe-keys.js';

export function plan(c: CheckOf<'dns'>, p: PlanBuilder): void {
  const s = c.selector.spec;
  p.probe(
    { kind: 'dns', key: dnsProbeKey(s), name: s.name, type: s.type ?? 'A', ...(s.server !== undefined ? { server: s.server } : {}), timeoutMs: p.timeoutMs },
    () => undefined,
  );
}

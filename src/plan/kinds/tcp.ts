// The `tcp` kind's probe: one per endpoint, with the most samples its checks ask, and to itself when a check
// judges its latency.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { tcpProbeKey } from '../probe-keys.js';
import type { ProbeTarget } from '../model.js';

type TcpTarget = Extract<ProbeTarget, { kind: 'tcp' }>;

export function plan(c: CheckOf<'tcp'>, p: PlanBuilder): void {
  const s = c.selector.spec;
  const samples = s.samples ?? 1;
  // A check that judges how long a connect took has the endpoint to itself.
  const timed = c.expect.latencyMs !== undefined || samples > 1;
  const target: TcpTarget = { kind: 'tcp', key: tcpProbeKey(s), host: s.host, port: s.port, samples, timed: false, timeoutMs: p.timeoutMs };
  p.probe(target, (seen) => {
    seen.samples = Math.max(seen.samples, samples);
    seen.timed ||= timed;
  });
}

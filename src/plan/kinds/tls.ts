// The `tls` kind's probe: checks of one endpoint share one, asked for the union of what they judge.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { tlsProbeKey } from '../probe-keys.js';
import { addWants, tlsWants } from '../tls-wants.js';

export function plan(c: CheckOf<'tls'>, p: PlanBuilder): void {
  const s = c.selector.spec;
  const target = {
    kind: 'tls' as const,
    key: tlsProbeKey(s),
    host: s.host,
    port: s.port,
    ...(s.servername !== undefined ? { servername: s.servername } : {}),
    ...(s.ip !== undefined ? { ip: s.ip } : {}),
    ...(s.ca !== undefined ? { ca: s.ca } : {}),
    allAddresses: s.allAddresses === true,
    wants: { versions: false, legacy: false, suites: false, handshake: false },
    timeoutMs: p.timeoutMs,
  };
  p.probe(target, (seen) => addWants(seen.wants, tlsWants(c.expect)));
}

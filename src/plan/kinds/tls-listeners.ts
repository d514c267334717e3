// The `tlsListeners` kind: the host's own TCP listeners on its ports, read from the sockets, probed as TLS.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { tlsWants } from '../tls-wants.js';

export function plan(c: CheckOf<'tlsListeners'>, p: PlanBuilder): void {
  p.tlsListeners(c.selector.spec.ports, tlsWants(c.expect));
}

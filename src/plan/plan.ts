// Which facts the checks need: each family once, with the union of parameters, so that a thousand
// sysctl checks still mean one read per key and one pass over /proc/net. Each check's kind says what it
// needs (kinds/registry.ts); the builder unites them.
import type { Check } from '../policy/model.js';
import { PlanBuilder } from './builder.js';
import type { Plan } from './model.js';
import { PLANNERS } from './kinds/registry.js';

export type { CertificateFileTarget, FactFamily, IcmpPlan, PingTarget, Plan, ProbeTarget, TlsWants } from './model.js';
export { EPHEMERAL_RANGE, isCertificateFile } from './model.js';
export { hostKey } from '../lib/targets.js';

export function plan(checks: Check[], defaultTimeoutMs: number): Plan {
  const b = new PlanBuilder({
    sysctl: [],
    sockets: false,
    processes: null,
    netstat: false,
    interfaces: false,
    routes: false,
    firewall: false,
    neighbours: false,
    icmp: null,
    conntrack: false,
    ipv6: false,
    timeouts: {},
    probes: [],
    certificates: [],
    tlsListeners: null,
  });
  for (const c of checks) {
    // Waived with `run: false`: reported as waived, nothing read or probed for it.
    if (c.waiver?.run === false) continue;
    b.timeoutMs = c.timeout ?? defaultTimeoutMs;
    // The registry pairs each kind with its planner; TypeScript cannot follow that pairing through a union.
    (PLANNERS[c.selector.kind] as (c: Check, p: PlanBuilder) => void)(c, b);
  }
  return b.finish();
}

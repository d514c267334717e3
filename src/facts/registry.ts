// The fact families, and what each takes from the plan: the one list of them. A family added here is gathered in
// the host's batch and parsed into the snapshot under its name.
import type { Plan } from '../plan/plan.js';
import type { FamilyModule } from './family.js';
import { certificatesFamily } from './families/certificates.js';
import { conntrackFamily } from './families/conntrack.js';
import { firewallFamily } from './families/firewall/family.js';
import { hostFamily } from './families/host.js';
import { interfacesFamily } from './families/interfaces.js';
import { icmpFamily } from './families/icmp/family.js';
import { ipv6Family } from './families/ipv6.js';
import { neighboursFamily } from './families/neighbours.js';
import { netstatFamily } from './families/netstat.js';
import { processesFamily } from './families/processes.js';
import { routesFamily } from './families/routes.js';
import { socketsFamily } from './families/sockets.js';
import { sysctlFamily } from './families/sysctl.js';

/** A family with its parameters for this run, or undefined when the plan does not need it. */
export interface Planned<P = unknown, F = unknown> {
  family: FamilyModule<P, F>;
  params: P;
}

/** What the run gives the families beyond the plan: the networks `--allow-target` admits. */
interface RunOptions {
  allowTargets: readonly string[];
}

type Entry = (plan: Plan, timeoutOf: (name: string) => number, run: RunOptions) => Planned | undefined;

function planned<P, F>(family: FamilyModule<P, F>, params: P): Planned;
function planned<P, F>(family: FamilyModule<P, F>, params: P | undefined): Planned | undefined;
function planned<P, F>(family: FamilyModule<P, F>, params: P | undefined): Planned | undefined {
  return params === undefined ? undefined : ({ family, params } as Planned);
}

/** Which host the facts are of: read in every run, into the snapshot's `host`. */
export const HOST: Planned = planned(hostFamily, true);

// The `as Planned` above erases each family's own parameter type so the list can hold them all; `planned` is
// the only place that pairs a family with parameters, and it checks that they are that family's.
export const FAMILIES: readonly Entry[] = [
  // First, because it runs a program: it works while the reads below fill the loop.
  (p, t) => planned(firewallFamily, p.firewall ? { timeoutMs: t('firewall') } : undefined),
  (p) => planned(sysctlFamily, p.sysctl.length ? p.sysctl : undefined),
  // The host's TLS listeners are found among its sockets.
  (p, t) => planned(socketsFamily, p.sockets || p.tlsListeners ? { timeoutMs: t('sockets') } : undefined),
  (p, t) =>
    planned(
      processesFamily,
      p.processes
        ? {
            pids: p.processes.pids,
            names: p.processes.names,
            units: p.processes.units,
            pidfiles: p.processes.pidfiles,
            listeners: p.processes.listeners,
            timeoutMs: t('processes'),
          }
        : undefined,
    ),
  (p) => planned(netstatFamily, p.netstat ? true : undefined),
  (p) => planned(interfacesFamily, p.interfaces ? true : undefined),
  (p, t) => planned(routesFamily, p.routes ? { timeoutMs: t('routes') } : undefined),
  // Pings are programs too: they run while the reads fill the loop.
  (p, _, run) => planned(icmpFamily, p.icmp ? { ...p.icmp, admitted: run.allowTargets } : undefined),
  // After the pings when there are any: a ping to a neighbour makes the kernel resolve it just before it is read.
  (p, t) => planned(neighboursFamily, p.neighbours ? { timeoutMs: t('neighbours'), afterPings: p.icmp !== null } : undefined),
  (p) => planned(conntrackFamily, p.conntrack ? true : undefined),
  (p) => planned(certificatesFamily, p.certificates.length ? p.certificates : undefined),
  (p) => planned(ipv6Family, p.ipv6 ? true : undefined),
];

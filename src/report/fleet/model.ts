// The fleet report: one policy judged on many hosts, as data. Each audited host keeps its full report; the fleet
// view beside them says which hosts are ready, which could not be audited and why (the fault, as data), and which
// checks fail on most hosts, grouped by check and reason code. Renderers only read this; they never judge.
import type { FaultClass, HostFault } from '../../lib/host-fault.js';
import type { Status } from '../../evaluate/model.js';
import type { Severity } from '../../policy/model.js';
import type { Counts } from '../../score/score.js';
import type { Report } from '../model.js';

interface HostIdentity {
  /** The host as the inventory or `--target` names it: the fleet's key, unique within a fleet report. */
  name: string;
  /** Where it was reached, when that is not the name (`ansible_host`). */
  address?: string;
  /** Inventory groups, as given. */
  groups: string[];
}

/**
 * What the fleet run hands over for one host: its report, or the fault that kept it from being audited, or both
 * (a `partial` fault: some answers came, and the host is judged on them, the rest being `error` results; a host
 * whose every applicable check is then an error has no report).
 */
export type HostOutcome = HostIdentity & ({ report: Report; fault?: HostFault } | { report?: undefined; fault: HostFault });

export type HostState = 'ready' | 'not-ready' | 'unaudited';

export interface FleetReportHost extends HostIdentity {
  /** `unaudited`: no report (the fault says why); otherwise the host report's own verdict. */
  state: HostState;
  ready: boolean;
  audited: boolean;
  /** The host report's score, counts and verdict reason; absent for an unaudited host. */
  score?: number;
  counts?: Counts;
  verdictReason?: string;
  /** Critical checks that failed or could not be verified on the host (each alone blocks `ready`). */
  criticalFailing: string[];
  fault?: HostFault;
  /** The host's full report, as a single-host audit writes it. */
  report?: Report;
}

/** One check failing for one reason on several hosts. */
export interface FleetFinding {
  checkId: string;
  title: string;
  area: string;
  severity: Severity;
  status: Extract<Status, 'fail' | 'error'>;
  /** The reason code of the hosts' results (absent for results from reports written before reasons were data). */
  reasonCode?: string;
  /** The hosts where it fails for this reason, in the fleet's host order. */
  hosts: string[];
}

export interface FleetReport {
  schema: 'plumbline/fleet-report/v1';
  tool: { name: 'plumbline'; version: string };
  policy: { name: string; sources: string[] };
  generatedAt: string;
  threshold: number;
  /** Every host audited and ready (and at least one host). */
  ready: boolean;
  /** Why the fleet verdict is what it is, in one sentence. */
  verdictReason: string;
  summary: {
    hosts: number;
    ready: number;
    notReady: number;
    /** Hosts with no report (each also counted in `byFault` by its class). */
    unaudited: number;
    /** Hosts by the class of their fault, every class present; `partial` hosts with a report are audited too. */
    byFault: Record<FaultClass, number>;
  };
  /** By name (digits compared as numbers, so web2 comes before web10). */
  hosts: FleetReportHost[];
  /** Checks failing (or unverified) on most hosts first; implied and waived results are left out, as the score leaves them. */
  failing: FleetFinding[];
}

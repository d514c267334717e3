// Prometheus text exposition of a fleet, as an auditor that reaches every host writes it for one scrape: every
// series of a host's file, with a `host` label (the fleet's name for it), then the fleet's own families:
//
//   plumbline_fleet_ready == 0                          # some host is not ready or was not audited
//   plumbline_ready == 0                                # per host; a host that could not be audited is 0 too
//   plumbline_host_audited == 0                         # per host: no report, see plumbline_host_fault
//   plumbline_host_fault{class="hostkey"} == 1          # a host key changed
//
// A host that could not be audited has plumbline_ready 0, plumbline_host_audited 0 and its fault, and no check
// series (nothing was judged there), so `plumbline_check_failed` alerts stay about checks.
import { FAULT_CLASSES } from '../../lib/host-fault.js';
import { family, reportFamilies, sample, seconds, type Labels } from '../prometheus.js';
import type { FleetReport, HostState } from './model.js';

const STATES: HostState[] = ['ready', 'not-ready', 'unaudited'];

export function renderFleetPrometheus(fleet: FleetReport): string {
  const host = (name: string): Labels => ({ host: name });
  const audited = fleet.hosts.flatMap((h) => (h.report ? [{ report: h.report, labels: host(h.name) }] : []));
  const unaudited = fleet.hosts.filter((h) => !h.report).map((h) => host(h.name));
  const count = (s: HostState): number => fleet.hosts.filter((h) => h.state === s).length;
  return [
    ...reportFamilies(audited, unaudited),
    family('plumbline_fleet_ready', 'Whether every host of the fleet was audited and ready at the last audit (1) or not (0).', [
      sample('plumbline_fleet_ready', {}, fleet.ready ? 1 : 0),
    ]),
    family(
      'plumbline_fleet_hosts',
      'Hosts of the fleet by state at the last audit: ready, not-ready, or unaudited (could not be audited).',
      STATES.map((s) => sample('plumbline_fleet_hosts', { state: s }, count(s))),
    ),
    family(
      'plumbline_fleet_faults',
      'Hosts of the fleet by the class of the fault met reaching them (partial hosts were judged on what could be read).',
      FAULT_CLASSES.map((c) => sample('plumbline_fleet_faults', { class: c }, fleet.summary.byFault[c])),
    ),
    family(
      'plumbline_host_audited',
      'Whether each host of the fleet could be audited (1) or not (0: no report; plumbline_host_fault says why).',
      fleet.hosts.map((h) => sample('plumbline_host_audited', host(h.name), h.audited ? 1 : 0)),
    ),
    family(
      'plumbline_host_fault',
      'For each host met with a fault, its class as a label (always 1): policy, unreachable, hostkey, auth, sudo, timeout, dropped, partial.',
      fleet.hosts.filter((h) => h.fault).map((h) => sample('plumbline_host_fault', { ...host(h.name), class: h.fault!.class }, 1)),
    ),
    family('plumbline_fleet_report_timestamp_seconds', 'When the last fleet report was made, in seconds since the epoch.', [
      sample('plumbline_fleet_report_timestamp_seconds', {}, seconds(fleet.generatedAt)),
    ]),
  ].join('');
}

// Assemble the fleet report from one outcome per host. Pure: the clock and version are inputs.
import { FAULT_CLASSES, type FaultClass } from '../../lib/host-fault.js';
import { SEVERITY_ORDER } from '../build.js';
import type { FleetFinding, FleetReportHost, FleetReport, HostOutcome } from './model.js';
import { FAULT_WORDS } from './words.js';

/** How many host names a verdict reason lists before counting the rest. */
const NAMED = 5;

/** Names in a person's order: runs of digits compare as numbers (web2 before web10), the rest by code point. */
export function byHostName(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

function hostOf(o: HostOutcome): FleetReportHost {
  const id = { name: o.name, ...(o.address !== undefined ? { address: o.address } : {}), groups: [...o.groups] };
  const fault = o.fault ? { fault: { ...o.fault } } : {};
  const r = o.report;
  if (!r) return { ...id, state: 'unaudited', ready: false, audited: false, criticalFailing: [], ...fault };
  const critical = r.results.filter((x) => x.severity === 'critical' && x.impliedBy === undefined && (x.status === 'fail' || x.status === 'error'));
  return {
    ...id,
    state: r.ready ? 'ready' : 'not-ready',
    ready: r.ready,
    audited: true,
    score: r.score,
    counts: { ...r.counts },
    verdictReason: r.verdictReason,
    criticalFailing: [...new Set(critical.map((x) => x.id))],
    ...fault,
    report: r,
  };
}

function findings(hosts: FleetReportHost[]): FleetFinding[] {
  const groups = new Map<string, FleetFinding>();
  for (const h of hosts) {
    for (const r of h.report?.results ?? []) {
      // Implied lower checks are not scored and waived results are no failures: the fleet counts what the score counts.
      if (r.impliedBy !== undefined || (r.status !== 'fail' && r.status !== 'error')) continue;
      const code = r.reason?.code;
      const key = JSON.stringify([r.id, r.status, code ?? null]);
      let g = groups.get(key);
      if (!g) {
        g = {
          checkId: r.id,
          title: r.title,
          area: r.area,
          severity: r.severity,
          status: r.status,
          ...(code !== undefined ? { reasonCode: code } : {}),
          hosts: [],
        };
        groups.set(key, g);
      }
      if (g.hosts.at(-1) !== h.name) g.hosts.push(h.name);
    }
  }
  const cmp = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return [...groups.values()].sort(
    (a, b) =>
      b.hosts.length - a.hosts.length ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      Number(a.status === 'error') - Number(b.status === 'error') ||
      cmp(a.checkId, b.checkId) ||
      cmp(a.reasonCode, b.reasonCode),
  );
}

function named(names: string[]): string {
  return names.length > NAMED ? `${names.slice(0, NAMED).join(', ')} and ${names.length - NAMED} more` : names.join(', ');
}

function reasonOf(hosts: FleetReportHost[]): string {
  if (hosts.length === 0) return 'no host was audited: an empty fleet is no evidence of readiness';
  const ready = hosts.filter((h) => h.state === 'ready');
  if (ready.length === hosts.length) return hosts.length === 1 ? 'the one host is ready' : `all ${hosts.length} hosts are ready`;
  const parts = [`${ready.length} of ${hosts.length} host${hosts.length === 1 ? '' : 's'} ready`];
  const notReady = hosts.filter((h) => h.state === 'not-ready').map((h) => h.name);
  if (notReady.length) parts.push(`not ready: ${named(notReady)}`);
  const unaudited = hosts.filter((h) => h.state === 'unaudited').map((h) => (h.fault ? `${h.name} (${FAULT_WORDS[h.fault.class]})` : h.name));
  if (unaudited.length) parts.push(`not audited: ${named(unaudited)}`);
  return parts.join('; ');
}

/**
 * The fleet report of a run: one host per outcome, ordered by name (so the report is the same whatever order the
 * hosts finished in). A host without a report is not ready; the fleet is ready when every host is. Two outcomes
 * for one name are the caller's mistake, and refused.
 */
export function buildFleetReport(
  outcomes: readonly HostOutcome[],
  meta: { policy: { name: string; sources: readonly string[] }; threshold: number; now: Date; version: string },
): FleetReport {
  const seen = new Set<string>();
  for (const o of outcomes) {
    if (seen.has(o.name)) throw new Error(`two outcomes for host "${o.name}": a fleet report holds each host once`);
    seen.add(o.name);
  }
  const hosts = outcomes.map(hostOf).sort((a, b) => byHostName(a.name, b.name));
  const byFault = Object.fromEntries(FAULT_CLASSES.map((c) => [c, 0])) as Record<FaultClass, number>;
  for (const h of hosts) if (h.fault) byFault[h.fault.class]++;
  const ready = hosts.filter((h) => h.state === 'ready').length;
  const unaudited = hosts.filter((h) => h.state === 'unaudited').length;
  return {
    schema: 'plumbline/fleet-report/v1',
    tool: { name: 'plumbline', version: meta.version },
    policy: { name: meta.policy.name, sources: [...meta.policy.sources] },
    generatedAt: meta.now.toISOString(),
    threshold: meta.threshold,
    ready: hosts.length > 0 && ready === hosts.length,
    verdictReason: reasonOf(hosts),
    summary: { hosts: hosts.length, ready, notReady: hosts.length - ready - unaudited, unaudited, byFault },
    hosts,
    failing: findings(hosts),
  };
}

/** Whether a saved document is a fleet report (by its `schema`), so one reader and one writer serve both kinds. */
export function isFleetReport(doc: { schema: string }): doc is FleetReport {
  return doc.schema === 'plumbline/fleet-report/v1';
}

// What changed between two fleet reports, host by host (paired by name): hosts added and removed, hosts that
// became ready or not ready, faults that appeared, cleared or changed class, and for a host audited both times
// the checks that newly fail or were fixed (the host diff of diff.ts). Pure.
import type { FaultClass } from '../../lib/host-fault.js';
import { diffReports, runWarnings, type DiffEntry } from '../diff.js';
import { byHostName } from './build.js';
import type { FleetReportHost, FleetReport, HostState } from './model.js';

/** A host as one side of the diff saw it. */
export interface HostSide {
  state: HostState;
  score?: number;
  fault?: FaultClass;
}

export type HostEvent =
  | 'added'
  | 'removed'
  | 'became-ready'
  | 'became-not-ready'
  | 'became-unaudited'
  | 'became-audited'
  | 'fault-appeared'
  | 'fault-cleared'
  | 'fault-changed';

export interface HostDiff {
  name: string;
  before?: HostSide;
  after?: HostSide;
  /** What happened to the host as a whole, in the order above. */
  events: HostEvent[];
  /** For a host audited both times: its checks' changes (implied checks left out, as the host diff leaves them). */
  checks?: { newlyFailing: DiffEntry[]; newlyPassing: DiffEntry[]; added: DiffEntry[]; removed: DiffEntry[]; changed: DiffEntry[]; scoreChange: number };
  /** Whether this host got worse (see FleetDiff.regression). */
  regression: boolean;
}

export interface FleetDiff {
  schema: 'plumbline/fleet-diff/v1';
  before: { generatedAt: string; policy: string; hosts: number; ready: number; fleetReady: boolean };
  after: { generatedAt: string; policy: string; hosts: number; ready: number; fleetReady: boolean };
  /** Only the hosts where something changed, by name. */
  hosts: HostDiff[];
  /**
   * Some host got worse: a check newly fails or could not be checked (a new failing check counts), it went from
   * ready to not ready or could no longer be audited, a fault appeared on it, or it is new and not ready; or the
   * fleet went from ready to not ready.
   */
  regression: boolean;
  reason: string;
  /** What makes the two reports a doubtful pair: another policy, the newer one older. */
  warnings: string[];
}

function sideOf(h: FleetReportHost): HostSide {
  return { state: h.state, ...(h.score !== undefined ? { score: h.score } : {}), ...(h.fault ? { fault: h.fault.class } : {}) };
}

function events(a: FleetReportHost | undefined, b: FleetReportHost | undefined): HostEvent[] {
  if (!a) return ['added'];
  if (!b) return ['removed'];
  const out: HostEvent[] = [];
  if (a.state !== b.state) {
    if (b.state === 'ready') out.push('became-ready');
    else if (b.state === 'not-ready') out.push(a.state === 'unaudited' ? 'became-audited' : 'became-not-ready');
    else out.push('became-unaudited');
    if (a.state === 'unaudited' && b.state === 'ready') out.push('became-audited');
  }
  if (!a.fault && b.fault) out.push('fault-appeared');
  else if (a.fault && !b.fault) out.push('fault-cleared');
  else if (a.fault && b.fault && a.fault.class !== b.fault.class) out.push('fault-changed');
  return out;
}

const WORSE = new Set<HostEvent>(['became-not-ready', 'became-unaudited', 'fault-appeared']);

function hostDiff(name: string, a: FleetReportHost | undefined, b: FleetReportHost | undefined): HostDiff | undefined {
  const ev = events(a, b);
  let checks: HostDiff['checks'];
  let worseChecks = false;
  if (a?.report && b?.report) {
    const d = diffReports(a.report, b.report);
    checks = { newlyFailing: d.newlyFailing, newlyPassing: d.newlyPassing, added: d.added, removed: d.removed, changed: d.changed, scoreChange: d.scoreChange };
    worseChecks = d.newlyFailing.length > 0 || d.added.some((e) => e.after === 'fail' || e.after === 'error');
    const moved = d.newlyFailing.length + d.newlyPassing.length + d.added.length + d.removed.length + d.changed.length > 0 || d.scoreChange !== 0;
    if (!moved) checks = undefined;
  }
  if (!ev.length && !checks) return undefined;
  const newNotReady = ev.includes('added') && b!.state !== 'ready';
  return {
    name,
    ...(a ? { before: sideOf(a) } : {}),
    ...(b ? { after: sideOf(b) } : {}),
    events: ev,
    ...(checks ? { checks } : {}),
    regression: worseChecks || newNotReady || ev.some((e) => WORSE.has(e)),
  };
}

function side(f: FleetReport): FleetDiff['before'] {
  return { generatedAt: f.generatedAt, policy: f.policy.name, hosts: f.summary.hosts, ready: f.summary.ready, fleetReady: f.ready };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function diffFleets(older: FleetReport, newer: FleetReport): FleetDiff {
  const a = new Map(older.hosts.map((h) => [h.name, h]));
  const b = new Map(newer.hosts.map((h) => [h.name, h]));
  const names = [...new Set([...a.keys(), ...b.keys()])].sort(byHostName);
  const hosts = names.flatMap((n) => hostDiff(n, a.get(n), b.get(n)) ?? []);
  const worse = hosts.filter((h) => h.regression);
  const lostReady = older.ready && !newer.ready;
  const reasons: string[] = [];
  if (worse.length)
    reasons.push(
      `${plural(worse.length, 'host')} got worse: ${worse
        .slice(0, 5)
        .map((h) => h.name)
        .join(', ')}${worse.length > 5 ? ` and ${worse.length - 5} more` : ''}`,
    );
  if (lostReady) reasons.push('the fleet went from ready to not ready');
  return {
    schema: 'plumbline/fleet-diff/v1',
    before: side(older),
    after: side(newer),
    hosts,
    regression: worse.length > 0 || lostReady,
    reason: reasons.length ? reasons.join('; ') : 'no host got worse',
    warnings: runWarnings(older, newer),
  };
}

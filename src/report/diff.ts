// What changed between two reports of the same host or fleet member: by check id, which checks newly fail,
// newly pass, appeared, disappeared or otherwise changed status, and how the score and verdict moved. Pure.
import type { Report } from './model.js';
import type { Status } from '../evaluate/model.js';
import type { ReportResult as Result } from './model.js';
import type { Severity } from '../policy/model.js';
import { byImportance } from './build.js';

export interface DiffEntry {
  id: string;
  title: string;
  area: string;
  severity: Severity;
  /** Absent for a check that is new. */
  before?: Status;
  /** Absent for a check that was removed. */
  after?: Status;
  /** What the newer report says of it (the older one's, for a removed check). */
  message: string;
}

export interface ReportDiff {
  schema: 'plumbline/diff/v1';
  before: { generatedAt: string; host: string; policy: string; score: number; ready: boolean };
  after: { generatedAt: string; host: string; policy: string; score: number; ready: boolean };
  /** after.score - before.score, rounded as scores are. */
  scoreChange: number;
  /** Was passing, skipped or waived; now fails or could not be checked. */
  newlyFailing: DiffEntry[];
  /** Failed or could not be checked; now passes. */
  newlyPassing: DiffEntry[];
  added: DiffEntry[];
  removed: DiffEntry[];
  /** Every other change of status (fail → error, pass → waived, fail → skip ...). */
  changed: DiffEntry[];
  /** A check newly fails (a new check that fails counts), or the verdict went from ready to not ready. */
  regression: boolean;
  /** Why `regression` is what it is, in one sentence. */
  reason: string;
  /** What makes the two reports a doubtful pair: another host, another policy, the newer one older. */
  warnings: string[];
}

const BAD = new Set<Status>(['fail', 'error']);

function entry(r: Result, before: Result | undefined, after: Result | undefined): DiffEntry {
  return {
    id: r.id,
    title: r.title,
    area: r.area,
    severity: r.severity,
    ...(before ? { before: before.status } : {}),
    ...(after ? { after: after.status } : {}),
    message: r.message,
  };
}

/** The scored checks by id: implied lower checks are reported, not scored, and come and go with their uppers. */
function scored(report: Report): Map<string, Result> {
  return new Map(report.results.filter((r) => r.impliedBy === undefined).map((r) => [r.id, r]));
}

function side(r: Report): ReportDiff['before'] {
  return { generatedAt: r.generatedAt, host: r.host.hostname, policy: r.policy.name, score: r.score, ready: r.ready };
}

function pairWarnings(a: Report, b: Report): string[] {
  const out: string[] = [];
  if (a.host.hostname !== b.host.hostname) out.push(`the reports are of different hosts (${a.host.hostname} → ${b.host.hostname})`);
  return [...out, ...runWarnings(a, b)];
}

/** What makes two runs (of a host or a fleet) a doubtful pair: another policy, the newer one older. */
export function runWarnings(a: Pick<Report, 'policy' | 'generatedAt'>, b: Pick<Report, 'policy' | 'generatedAt'>): string[] {
  const out: string[] = [];
  if (a.policy.name !== b.policy.name || a.policy.sources.join('\n') !== b.policy.sources.join('\n')) {
    out.push(
      `the reports judge different policies (${a.policy.name || '(unnamed)'}: ${a.policy.sources.join(', ')} → ${b.policy.name || '(unnamed)'}: ${b.policy.sources.join(', ')})`,
    );
  }
  if (Date.parse(b.generatedAt) < Date.parse(a.generatedAt))
    out.push(`the second report is the older one (${b.generatedAt} before ${a.generatedAt}): OLD.json comes first`);
  return out;
}

export function diffReports(older: Report, newer: Report): ReportDiff {
  const a = scored(older);
  const b = scored(newer);
  const newlyFailing: Result[] = [];
  const newlyPassing: Result[] = [];
  const added: Result[] = [];
  const changed: Result[] = [];
  for (const [id, now] of b) {
    const was = a.get(id);
    if (!was) added.push(now);
    else if (was.status === now.status) continue;
    else if (BAD.has(now.status) && !BAD.has(was.status)) newlyFailing.push(now);
    else if (now.status === 'pass' && BAD.has(was.status)) newlyPassing.push(now);
    else changed.push(now);
  }
  const removed = [...a.values()].filter((r) => !b.has(r.id));
  const sorted = (rs: Result[], before: (r: Result) => Result | undefined, after: (r: Result) => Result | undefined): DiffEntry[] =>
    [...rs].sort(byImportance).map((r) => entry(r, before(r), after(r)));
  const inA = (r: Result): Result | undefined => a.get(r.id);
  const inB = (r: Result): Result | undefined => b.get(r.id);
  const failingNew = added.filter((r) => BAD.has(r.status));
  const lostReady = older.ready && !newer.ready;
  const worse = newlyFailing.length + failingNew.length;
  const reasons: string[] = [];
  if (newlyFailing.length) reasons.push(`${newlyFailing.length} check${newlyFailing.length === 1 ? '' : 's'} newly failing`);
  if (failingNew.length) reasons.push(`${failingNew.length} new check${failingNew.length === 1 ? '' : 's'} failing`);
  if (lostReady) reasons.push('the verdict went from ready to not ready');
  return {
    schema: 'plumbline/diff/v1',
    before: side(older),
    after: side(newer),
    scoreChange: Math.round((newer.score - older.score) * 10) / 10,
    newlyFailing: sorted(newlyFailing, inA, inB),
    newlyPassing: sorted(newlyPassing, inA, inB),
    added: sorted(added, inA, inB),
    removed: sorted(removed, inA, inB),
    changed: sorted(changed, inA, inB),
    regression: worse > 0 || lostReady,
    reason: reasons.length ? reasons.join('; ') : 'nothing that passed fails now',
    warnings: pairWarnings(older, newer),
  };
}

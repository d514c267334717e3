// The fixture reports every renderer is golden-tested over, built by the real pipeline (policy → evaluate →
// report) from the captured snapshots in fixtures/snapshots/, with a fixed clock and version:
//
//   ready               baseline on the good host: every check passes
//   ready-with-failures all-selectors on the good host: ready, yet with failures, errors, a waiver and skips
//   not-ready           baseline on the bad host: critical failures
//   errors-waived-causes all-selectors on the bad host: errors, waived and expired waivers, a root cause
//   extends             a team policy extending builtin:baseline (fixtures/reports/extends-baseline.yaml):
//                       built-in checks carry the anchor of the user's `extends` line
//   hostile             errors-waived-causes with markup, CDATA ends, pipes, backticks, newlines, quotes, ANSI
//                       escapes and invisible or reordering characters (HOSTILE) in every free-text field of one
//                       check of each shape, and in the host name and policy name
//   large               5,000 checks, cycled from three of the reports above (ids made unique by source and
//                       copy, causes kept pointing within each copy)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { buildReport, byImportance } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';
import type { FactsSnapshot } from '../../src/facts/model.js';
import type { ResolvedPolicy } from '../../src/policy/model.js';
import { ensureValidators } from '../unit/policy/helpers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-11-25T00:00:00Z');
const VERSION = '0.0.0-test';

export const REPORT_NAMES = ['ready', 'ready-with-failures', 'not-ready', 'errors-waived-causes', 'extends', 'hostile', 'large'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/**
 * A string no renderer may pass through raw: markup, a CDATA end, a table pipe, backticks, a newline, quotes, ANSI,
 * a bell; a bidi override (and its end), a zero-width space, a C1 control, a line separator and a lone surrogate.
 */
export const HOSTILE =
  '<script>alert("x")</script> ]]> | `rm -rf` \n second line "quoted" \'single\' & \x1b[31mred\x1b[0m \x07 \\ end \u202eexe.txt\u202c z\u200bw \x90 \u2028\ud800';

function snapshot(host: 'good' | 'bad' | 'edge'): FactsSnapshot {
  return JSON.parse(readFileSync(`${ROOT}fixtures/snapshots/${host}.json`, 'utf8')) as FactsSnapshot;
}

function reportOf(policy: ResolvedPolicy, facts: FactsSnapshot): Report {
  return buildReport(policy, facts, evaluate(policy, facts, NOW), { threshold: policy.defaults.failUnder, now: NOW, version: VERSION });
}

function rebuild(base: Report, results: Result[], name: string): Report {
  const policy = { name, sources: base.policy.sources } as ResolvedPolicy;
  return buildReport(policy, base.facts!, results, { threshold: base.threshold, now: NOW, version: VERSION });
}

/**
 * The results that carry HOSTILE: the first, in the order a reader meets them, of each shape a renderer lays out
 * apart (status, symptom or root cause, details, fix, waiver, implied), so every path through every renderer
 * shows it once, the top failure included, without repeating it on every check.
 */
function hostileShapes(base: Report): Set<Result> {
  const roots = new Set(base.rootCauses.map((c) => c.id));
  const seen = new Set<string>();
  const chosen = new Set<Result>();
  for (const r of [...base.results].sort(byImportance)) {
    const shape = [
      r.status,
      r.cause !== undefined,
      roots.has(r.id),
      (r.details?.length ?? 0) > 0,
      r.remediation !== undefined,
      r.waiver !== undefined,
      r.impliedBy !== undefined,
    ].join();
    if (seen.has(shape)) continue;
    seen.add(shape);
    chosen.add(r);
  }
  return chosen;
}

function hostile(base: Report): Report {
  const chosen = hostileShapes(base);
  const results = base.results.map((r, i) =>
    !chosen.has(r)
      ? r
      : {
          ...r,
          title: `${r.title} ${HOSTILE}`,
          message: `${r.message} ${HOSTILE}`,
          expected: `${r.expected} ${HOSTILE}`,
          actual: `${r.actual} ${HOSTILE}`,
          ...(r.remediation !== undefined || i % 2 === 0 ? { remediation: `${r.remediation ?? 'fix it'} ${HOSTILE}` } : {}),
          ...(r.details ? { details: r.details.map((d) => ({ ...d, subject: `${d.subject} ${HOSTILE}`, actual: `${d.actual} ${HOSTILE}` })) } : {}),
          ...(r.waiver ? { waiver: { ...r.waiver, reason: `${r.waiver.reason} ${HOSTILE}` } } : {}),
          tags: [...r.tags, HOSTILE],
        },
  );
  const report = rebuild(base, results, `team ${HOSTILE}`);
  report.host = { ...report.host, hostname: `host ${HOSTILE}` };
  return report;
}

function large(bases: Report[], n: number): Report {
  // Tagged by the report it came from: two of the bases share a policy, and so their check ids.
  const pool = bases.flatMap((b, bi) => b.results.filter((r) => r.impliedBy === undefined).map((r) => ({ r, tag: `r${bi}` })));
  const per = pool.length;
  const results: Result[] = [];
  for (let i = 0; i < n; i++) {
    const { r, tag } = pool[i % per]!;
    const copy = `${tag}c${Math.floor(i / per)}`;
    const out: Result = { ...r, id: `${r.id}.${copy}`, title: `${r.title} (copy ${copy})` };
    if (r.cause !== undefined) out.cause = `${r.cause}.${copy}`;
    results.push(out);
  }
  // A cause that did not make it into the copy (the last, partial one) is dropped rather than left dangling.
  const ids = new Set(results.map((r) => r.id));
  for (const r of results) if (r.cause !== undefined && !ids.has(r.cause)) delete r.cause;
  return rebuild(bases[0]!, results, 'large fleet policy');
}

/** How many listeners outside the allow-list, each its own process over its limit, `allowListReport` holds. */
export const EXTRA_LISTENERS = 104;

/**
 * fixtures/reports/allow-list.yaml on the good host with EXTRA_LISTENERS more TCP listeners on 0.0.0.0, ports
 * 20001 on, each owned by its own process `pl-extra-N` with 1024 open files: more items outside an allow-list
 * (and over a limit) than any view lists.
 */
/** How many times each extra item (`pl-extra-1`, a listener's owner or a process) is named in a text, in order. */
export function extraMentions(text: string): number[] {
  const n = Array.from({ length: EXTRA_LISTENERS }, () => 0);
  for (const m of text.matchAll(/pl-extra-(\d+)(?!\d)/g)) n[Number(m[1]) - 1]!++;
  return n;
}

export async function allowListReport(): Promise<Report> {
  ensureValidators();
  const { resolvePolicy } = await import('../../src/policy/resolve.js');
  const policy = resolvePolicy(['fixtures/reports/allow-list.yaml'], { builtinDir: `${ROOT}policies`, cwd: ROOT });
  const facts = snapshot('good');
  const sockets = facts.sockets as Exclude<FactsSnapshot['sockets'], { error: string } | undefined>;
  const processes = facts.processes as Exclude<FactsSnapshot['processes'], { error: string } | undefined>;
  const template = processes.processes[0]!;
  for (let i = 1; i <= EXTRA_LISTENERS; i++) {
    const pid = 30000 + i;
    const comm = `pl-extra-${i}`;
    sockets.listeners.push({
      protocol: 'tcp',
      family: 4,
      address: '0.0.0.0',
      port: 20000 + i,
      dualStack: false,
      uid: 1000,
      user: 'app',
      inode: 900000 + i,
      owners: [{ pid, comm, uid: 1000, user: 'app' }],
    });
    processes.processes.push({
      ...structuredClone(template),
      pid,
      comm,
      cmdline: `/usr/local/bin/${comm} --port ${20000 + i}`,
      uid: 1000,
      user: 'app',
      limits: { ...structuredClone(template.limits as object), nofile: { soft: 1024, hard: 4096, unit: 'files' } },
    } as typeof template);
  }
  return reportOf(policy, facts);
}

let cache: Map<ReportName, Report> | undefined;

/** Every fixture report by name. Each call hands out fresh copies: a renderer that mutated its input would show. */
export async function fixtureReports(): Promise<Map<ReportName, Report>> {
  if (!cache) {
    ensureValidators();
    const { resolvePolicy } = await import('../../src/policy/resolve.js');
    const resolve = (file: string): ResolvedPolicy => resolvePolicy([file], { builtinDir: `${ROOT}policies`, cwd: ROOT });
    const baseline = resolve('builtin:baseline');
    const all = resolve('fixtures/snapshots/all-selectors.yaml');
    const team = resolve('fixtures/reports/extends-baseline.yaml');
    const m = new Map<ReportName, Report>();
    m.set('ready', reportOf(baseline, snapshot('good')));
    m.set('ready-with-failures', reportOf(all, snapshot('good')));
    m.set('not-ready', reportOf(baseline, snapshot('bad')));
    m.set('errors-waived-causes', reportOf(all, snapshot('bad')));
    m.set('extends', reportOf(team, snapshot('bad')));
    m.set('hostile', hostile(m.get('errors-waived-causes')!));
    m.set('large', large([m.get('errors-waived-causes')!, m.get('not-ready')!, m.get('ready-with-failures')!], 5000));
    cache = m;
  }
  return new Map([...cache].map(([k, v]) => [k, structuredClone(v)]));
}

/** One fixture report, a fresh copy. */
export async function fixtureReport(name: ReportName): Promise<Report> {
  return (await fixtureReports()).get(name)!;
}

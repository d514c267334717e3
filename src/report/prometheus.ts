// Prometheus text exposition (0.0.4), for node_exporter's textfile collector: a timer runs the audit and writes
// this file, and Prometheus scrapes it with the host's other metrics. Gauges only (every value is the state at
// the last audit, nothing accumulates), and no sample timestamps, which the textfile collector refuses; the
// report's own times are series of their own, so a stale file can be alerted on:
//
//   time() - plumbline_report_timestamp_seconds > 2 * 86400        # the audit stopped running
//   plumbline_ready == 0                                           # the verdict
//   plumbline_check_failed{severity=~"critical|high"} == 1         # one alert per failing check
//   plumbline_check_failed == 1 unless on (id) plumbline_check_cause   # root causes only, symptoms silenced
//
// Per check, plumbline_check_failed and plumbline_check_unverified are 0/1 series that exist on every run
// whatever the status, so `for:` clauses and `changes()` work; plumbline_check_status carries the status as a
// label (one series per check, set to 1) for tables and `count by (status)`. Implied checks (lower checks
// plumbline made, not scored) have per-check series like any check, as their failures are real, but are left
// out of plumbline_checks and the area families, which count what the score counts (the JSON report's counts).
import type { Report } from './model.js';
import type { Status } from '../evaluate/model.js';
import { distinctIds } from './keys.js';
import { sanitize } from './sanitize.js';

export type Labels = Record<string, string>;

// Every status, always, so a count that drops to zero is a 0 and not a vanished series.
const STATUSES = Object.keys({ pass: 0, fail: 0, error: 0, skip: 0, waived: 0 } satisfies Record<Status, number>) as Status[];

/** A label value as the exposition format escapes it: backslash, double quote and newline. */
function value(s: string): string {
  return sanitize(s).replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function sample(name: string, labels: Labels, v: number): string {
  const ls = Object.entries(labels).map(([k, x]) => `${k}="${value(x)}"`);
  return `${name}${ls.length ? `{${ls.join(',')}}` : ''} ${Number.isFinite(v) ? String(v) : 'NaN'}\n`;
}

export function family(name: string, help: string, samples: string[]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${samples.join('')}`;
}

export function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** A report and the labels every one of its series carries (none for a host's own file; `host` in a fleet's). */
export interface Labelled {
  report: Report;
  labels: Labels;
}

/**
 * The families of one or more reports, each family's samples together, in the reports' order. `unaudited` are
 * the labels of hosts with no report, which are not ready (plumbline_ready 0) and have no other series.
 */
export function reportFamilies(all: readonly Labelled[], unaudited: readonly Labels[] = []): string[] {
  const byStatus = (counts: Record<Status, number>, extra: Labels = {}): string[] => STATUSES.map((s) => sample('', { ...extra, status: s }, counts[s]));
  const named = (name: string, lines: string[]): string[] => lines.map((l) => name + l);
  const each = (f: (report: Report, host: Labels) => string[]): string[] => all.flatMap(({ report, labels }) => f(report, labels));
  const checksOf = (report: Report, host: Labels) => {
    const keys = distinctIds(report.results);
    return report.results.map((r, i) => ({ r, labels: { ...host, id: keys[i]!, area: r.area, severity: r.severity } }));
  };

  return [
    family('plumbline_info', 'The plumbline version, policy and host of the last audit (always 1).', [
      ...each((report, host) => [
        sample('plumbline_info', { ...host, version: report.tool.version, policy: report.policy.name, hostname: report.host.hostname }, 1),
      ]),
    ]),
    family(
      'plumbline_ready',
      'Whether the host was ready at the last audit: score at least the threshold and no critical check failing or unverified (1 ready, 0 not).',
      [...each((report, host) => [sample('plumbline_ready', host, report.ready ? 1 : 0)]), ...unaudited.map((host) => sample('plumbline_ready', host, 0))],
    ),
    family('plumbline_score', 'Readiness score of the last audit in percent: the severity-weighted share of applicable checks that pass.', [
      ...each((report, host) => [sample('plumbline_score', host, report.score)]),
    ]),
    family(
      'plumbline_threshold',
      'The score in percent the host needs to be ready.',
      each((report, host) => [sample('plumbline_threshold', host, report.threshold)]),
    ),
    family(
      'plumbline_checks',
      'Scored checks by status at the last audit (implied lower checks are not counted, as in the score).',
      each((report, host) => named('plumbline_checks', byStatus(report.counts, host))),
    ),
    family(
      'plumbline_area_score',
      'Score of one area (kernel, listeners, firewall ...) in percent.',
      each((report, host) => report.areas.map((a) => sample('plumbline_area_score', { ...host, area: a.area }, a.score))),
    ),
    family(
      'plumbline_area_checks',
      'Scored checks of one area by status.',
      each((report, host) => report.areas.flatMap((a) => named('plumbline_area_checks', byStatus(a.counts, { ...host, area: a.area })))),
    ),
    family(
      'plumbline_check_status',
      'The status of each check (pass, fail, error, skip, waived) as a label; 1 for every check.',
      each((report, host) => checksOf(report, host).map(({ r, labels }) => sample('plumbline_check_status', { ...labels, status: r.status }, 1))),
    ),
    family(
      'plumbline_check_failed',
      'Whether each check failed (1) or not (0); a waived failure is 0.',
      each((report, host) => checksOf(report, host).map(({ r, labels }) => sample('plumbline_check_failed', labels, r.status === 'fail' ? 1 : 0))),
    ),
    family(
      'plumbline_check_unverified',
      'Whether the facts of each check could not be collected (status error: 1) or could (0).',
      each((report, host) => checksOf(report, host).map(({ r, labels }) => sample('plumbline_check_unverified', labels, r.status === 'error' ? 1 : 0))),
    ),
    family(
      'plumbline_check_cause',
      'For each failing check that fails because a lower check failed first, that lower check (always 1).',
      each((report, host) =>
        checksOf(report, host)
          .filter(({ r }) => r.status === 'fail' && r.cause !== undefined)
          .map(({ r, labels }) => sample('plumbline_check_cause', { ...host, id: labels.id, cause: r.cause! }, 1)),
      ),
    ),
    family('plumbline_collection_timestamp_seconds', 'When the facts of the last audit were collected, in seconds since the epoch.', [
      ...each((report, host) => [sample('plumbline_collection_timestamp_seconds', host, seconds(report.host.collectedAt))]),
    ]),
    family('plumbline_report_timestamp_seconds', 'When the last audit report was made, in seconds since the epoch.', [
      ...each((report, host) => [sample('plumbline_report_timestamp_seconds', host, seconds(report.generatedAt))]),
    ]),
  ];
}

export function renderPrometheus(report: Report): string {
  return reportFamilies([{ report, labels: {} }]).join('');
}

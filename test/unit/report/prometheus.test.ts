// The Prometheus renderer over every fixture report: byte for byte against test/unit/report/golden/prometheus/,
// and what a scrape and an alert rule rely on: HELP and TYPE for every family with its samples together, no
// series twice (promtool does not catch that), label values escaped and read back as written, values that agree
// with the report. promtool itself reads the same output in test/integration/report-consumers.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPrometheus } from '../../../src/report/prometheus.js';
import type { Report } from '../../../src/report/model.js';
import { sanitize } from '../../../src/report/sanitize.js';
import type { ReportResult as Result } from '../../../src/report/model.js';
import { digestOf, golden, expectPureRender } from '../../helpers/golden.js';
import { HOSTILE, REPORT_NAMES, ROOT, fixtureReports, type ReportName } from '../../helpers/reports.js';
import { fam, parse } from '../../helpers/exposition.js';

const GOLDEN = `${ROOT}test/unit/report/golden/prometheus/`;
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

let reports: Map<ReportName, Report>;

beforeAll(async () => {
  reports = await fixtureReports();
});

describe.each(REPORT_NAMES)('%s', (name) => {
  const report = (): Report => reports.get(name)!;

  it('matches the golden file', () => {
    if (name === 'large') golden(`${GOLDEN}${name}.prom.digest`, digestOf(renderPrometheus(report())));
    else golden(`${GOLDEN}${name}.prom`, renderPrometheus(report()));
  });

  it('is well formed: every family once, with HELP and TYPE gauge, its samples together, valid names, no series twice', () => {
    const text = renderPrometheus(report());
    expect(text.endsWith('\n')).toBe(true);
    const families = parse(text);
    const names = families.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    const series = new Set<string>();
    for (const f of families) {
      expect(f.name).toMatch(NAME);
      expect(f.name.startsWith('plumbline_')).toBe(true);
      expect(f.type).toBe('gauge');
      expect(f.help.length).toBeGreaterThan(10);
      for (const s of f.samples) {
        for (const k of Object.keys(s.labels)) expect(k).toMatch(LABEL);
        const key = `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
        expect(series.has(key), s.raw).toBe(false);
        series.add(key);
        expect(Number.isFinite(s.value), s.raw).toBe(true);
      }
    }
    // No raw control characters anywhere: a newline inside a label is the escape \n.
    expect(text).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F]/);
  });

  it('says what the report says: verdict, score, threshold, counts, areas, times, version, policy and host', () => {
    const r = report();
    const f = parse(renderPrometheus(r));
    const one = (n: string) => {
      const s = fam(f, n).samples;
      expect(s).toHaveLength(1);
      return s[0]!;
    };
    expect(one('plumbline_ready').value).toBe(r.ready ? 1 : 0);
    expect(one('plumbline_score').value).toBe(r.score);
    expect(one('plumbline_threshold').value).toBe(r.threshold);
    expect(one('plumbline_collection_timestamp_seconds').value).toBe(Date.parse(r.host.collectedAt) / 1000);
    expect(one('plumbline_report_timestamp_seconds').value).toBe(Date.parse(r.generatedAt) / 1000);
    expect(one('plumbline_info')).toMatchObject({
      value: 1,
      labels: { version: r.tool.version, policy: sanitize(r.policy.name), hostname: sanitize(r.host.hostname) },
    });
    expect(Object.fromEntries(fam(f, 'plumbline_checks').samples.map((s) => [s.labels.status, s.value]))).toEqual(r.counts);
    expect(fam(f, 'plumbline_area_score').samples.map((s) => [s.labels.area, s.value])).toEqual(r.areas.map((a) => [a.area, a.score]));
    const areaChecks = fam(f, 'plumbline_area_checks').samples;
    for (const a of r.areas) {
      expect(Object.fromEntries(areaChecks.filter((s) => s.labels.area === a.area).map((s) => [s.labels.status, s.value]))).toEqual(a.counts);
    }
  });

  it('per check: one status series set to 1, and 0/1 failed and unverified series that exist whatever the status', () => {
    const r = report();
    const f = parse(renderPrometheus(r));
    const status = fam(f, 'plumbline_check_status').samples;
    const failed = fam(f, 'plumbline_check_failed').samples;
    const unverified = fam(f, 'plumbline_check_unverified').samples;
    for (const s of [status, failed, unverified]) expect(s).toHaveLength(r.results.length);
    r.results.forEach((x, i) => {
      const labels = { area: x.area, severity: x.severity };
      expect(status[i]).toMatchObject({ value: 1, labels: { ...labels, status: x.status } });
      expect(failed[i]).toMatchObject({ value: x.status === 'fail' ? 1 : 0, labels });
      expect(unverified[i]).toMatchObject({ value: x.status === 'error' ? 1 : 0, labels });
      expect(status[i]!.labels.id).toBe(failed[i]!.labels.id);
      expect(status[i]!.labels.id!.startsWith(x.id)).toBe(true);
    });
    // The status series of the scored checks and the counts agree: implied checks have series, not counts.
    const scored = new Set(r.results.filter((x) => x.impliedBy === undefined).map((x) => x.id));
    for (const s of ['pass', 'fail', 'error', 'skip', 'waived'] as const)
      expect(status.filter((x) => x.labels.status === s && scored.has(x.labels.id!))).toHaveLength(r.counts[s]);
    const causes = fam(f, 'plumbline_check_cause').samples;
    expect(causes.map((s) => s.labels.cause)).toEqual(r.results.filter((x) => x.status === 'fail' && x.cause !== undefined).map((x) => x.cause));
  });

  it('does not change the report it renders, and renders it the same way twice', () => {
    expectPureRender(renderPrometheus, report());
  });
});

describe('labels and ids', () => {
  it('hostile label values are sanitised, escaped (backslash, quote, newline) and read back as sanitised', () => {
    const r = reports.get('hostile')!;
    const text = renderPrometheus(r);
    expect(text).toContain(
      'hostname="host <script>alert(\\"x\\")</script> ]]> | `rm -rf` \\n second line \\"quoted\\" \'single\' & red ␇ \\\\ end <U+202E>exe.txt<U+202C> z<U+200B>w <U+0090> \\n\ufffd"',
    );
    const info = fam(parse(text), 'plumbline_info').samples[0]!;
    expect(info.labels.hostname).toBe(sanitize(`host ${HOSTILE}`));
    expect(info.labels.policy).toBe(sanitize(`team ${HOSTILE}`));
  });

  it('a repeated check id gets a numbered id label, so no series is written twice', () => {
    const r = structuredClone(reports.get('errors-waived-causes')!);
    r.results = [...r.results, ...structuredClone(r.results)];
    const status = fam(parse(renderPrometheus(r)), 'plumbline_check_status').samples;
    const ids = status.map((s) => s.labels.id!);
    expect(new Set(ids).size).toBe(ids.length);
    const first = r.results.findIndex((x, i) => r.results.findIndex((y) => y.id === x.id) !== i);
    expect(first).toBeGreaterThan(0);
    expect(ids[first]).toBe(`${r.results[first]!.id}#2`);
  });

  it('a real check id that looks like a numbered one is stepped past', () => {
    const r = structuredClone(reports.get('ready')!);
    const base = r.results[0]!;
    r.results = [
      { ...base, id: 'a' },
      { ...base, id: 'a#2' },
      { ...base, id: 'a' },
    ];
    const ids = fam(parse(renderPrometheus(r)), 'plumbline_check_status').samples.map((s) => s.labels.id);
    expect(ids).toEqual(['a', 'a#2', 'a#3']);
  });

  it('implied checks have per-check series but stay out of the counts, as in the score', () => {
    const r = structuredClone(reports.get('errors-waived-causes')!);
    const implied: Result = { ...r.results[0]!, id: 'implied.dns.example.com', area: 'probes', status: 'fail', impliedBy: ['web.https'] };
    r.results.push(implied);
    const f = parse(renderPrometheus(r));
    expect(Object.fromEntries(fam(f, 'plumbline_checks').samples.map((s) => [s.labels.status, s.value]))).toEqual(r.counts);
    expect(fam(f, 'plumbline_check_failed').samples.at(-1)).toMatchObject({ labels: { id: 'implied.dns.example.com', area: 'probes' }, value: 1 });
    expect(fam(f, 'plumbline_area_score').samples.some((s) => s.labels.area === 'probes')).toBe(false);
  });
});

// The SARIF renderer over every fixture report: byte for byte against test/unit/report/golden/sarif/, valid
// against the official SARIF 2.1.0 schema, and what GitHub code scanning needs beyond the schema (a physical
// location on every result, at the user's own policy line; fingerprints that track a check across runs; at most
// 25,000 results a run).
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { renderSarif } from '../../../src/report/sarif.js';
import type { Report } from '../../../src/report/model.js';
import { sanitize } from '../../../src/report/sanitize.js';
import type { ReportResult as Result } from '../../../src/report/model.js';
import { golden, expectPureRender } from '../../helpers/golden.js';
import { sarifValidator } from '../../helpers/sarif-schema.js';
import { REPORT_NAMES, ROOT, fixtureReports, type ReportName } from '../../helpers/reports.js';

const GOLDEN = `${ROOT}test/unit/report/golden/sarif/`;
// What the one rule for shown text leaves out: controls but newline, C1, bidi controls, zero-width characters.
const CONTROL = /[\x00-\x09\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]/;

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: { status: string; severity: string; area: string };
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': string; precision: string };
}
interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
  invocations: { executionSuccessful: boolean; endTimeUtc: string; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
  results: SarifResult[];
  properties: Record<string, unknown> & { resultsCapped?: { limit: number; found: number; omitted: number } };
}
interface Sarif {
  $schema: string;
  version: string;
  runs: SarifRun[];
}

let reports: Map<ReportName, Report>;
let validate: ValidateFunction;

beforeAll(async () => {
  reports = await fixtureReports();
  const sarif = sarifValidator();
  expect(sarif.usesExclusiveBounds).toBe(false);
  validate = sarif.validate;
});

function digest(text: string): string {
  const run = (JSON.parse(text) as Sarif).runs[0]!;
  const levels = new Map<string, number>();
  for (const x of run.results) levels.set(x.level, (levels.get(x.level) ?? 0) + 1);
  return [
    `sha256 ${createHash('sha256').update(text).digest('hex')}`,
    `bytes ${Buffer.byteLength(text)}`,
    `rules ${run.tool.driver.rules.length}`,
    `results ${run.results.length}`,
    ...[...levels].sort().map(([k, v]) => `level ${k} ${v}`),
    `first ${JSON.stringify(run.results[0])}`,
    `last ${JSON.stringify(run.results.at(-1))}`,
    '',
  ].join('\n');
}

function sarifOf(r: Report): Sarif {
  return JSON.parse(renderSarif(r)) as Sarif;
}

describe('the schema validator', () => {
  it('accepts a minimal log and refuses broken ones (so passing it means something)', () => {
    expect(validate({ version: '2.1.0', runs: [] })).toBe(true);
    expect(validate({ version: '2.1.0' })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'a' }, level: 'severe' }] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a' }] }] })).toBe(false);
  });
});

describe.each(REPORT_NAMES)('%s', (name) => {
  const report = (): Report => reports.get(name)!;

  it('matches the golden file', () => {
    const text = renderSarif(report());
    // The large report's log is some 6 MB: its golden is a digest and a summary, the other tests read it whole.
    if (name === 'large') golden(`${GOLDEN}${name}.sarif.digest`, digest(text));
    else golden(`${GOLDEN}${name}.sarif.json`, text);
  });

  it('validates against the SARIF 2.1.0 schema, and is JSON ending with a newline', () => {
    const text = renderSarif(report());
    expect(text.endsWith('}\n')).toBe(true);
    const log = JSON.parse(text) as Sarif;
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'plumbline', version: '0.0.0-test', informationUri: 'https://plumbline.dev' });
  });

  it('has results for failures and errors only, each with a location, its rule at ruleIndex and the level its severity means', () => {
    const r = report();
    const run = sarifOf(r).runs[0]!;
    const bad = r.results.filter((x) => x.status === 'fail' || x.status === 'error');
    expect(run.results).toHaveLength(bad.length);
    const level = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' } as const;
    run.results.forEach((res, i) => {
      const x = bad[i]!;
      expect(res.ruleId).toBe(x.id);
      expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(x.id);
      expect(res.level).toBe(level[x.severity]);
      expect(res.properties.status).toBe(x.status);
      const loc = res.locations[0]!.physicalLocation;
      const at = x.anchor ?? x.source;
      expect(loc.artifactLocation.uri).toBe(at.file);
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.region).toEqual({ startLine: at.line, startColumn: at.column });
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      if (x.status === 'error') expect(res.message.text).toContain('could not be verified');
    });
    for (const s of ['pass', 'skip', 'waived']) expect(run.results.some((x) => x.properties.status === s)).toBe(false);
  });

  it('has one rule per check with a result, each with descriptions, help, level and a security-severity string', () => {
    const r = report();
    const run = sarifOf(r).runs[0]!;
    const ids = run.tool.driver.rules.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(run.results.map((x) => x.ruleId)));
    const score = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0', info: '0.0' } as const;
    for (const rule of run.tool.driver.rules) {
      const x = r.results.find((y) => y.id === rule.id)!;
      expect(rule.shortDescription.text).toBe(sanitize(x.title));
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.help.text.length).toBeGreaterThan(0);
      expect(rule.help.markdown).toMatch(/^\*\*Fix:\*\* /);
      expect(rule.properties['security-severity']).toBe(score[x.severity]);
      expect(rule.properties.tags).toContain(x.area);
      expect(new Set(rule.properties.tags).size).toBe(rule.properties.tags.length);
      if (x.remediation === undefined) expect(rule.help.text).toMatch(/^No remediation is recorded for this check/);
    }
  });

  it('fingerprints every result uniquely and the same way each run, whatever the order of the report', () => {
    const r = report();
    const fps = sarifOf(r).runs[0]!.results.map((x) => x.partialFingerprints['plumblineCheck/v1']!);
    expect(fps.every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
    expect(new Set(fps).size).toBe(fps.length);
    const reversed = { ...structuredClone(r), results: [...structuredClone(r).results].reverse() };
    // Order does not matter for checks whose id is unique (the large fixture repeats some, numbered in order).
    const byId = (s: Sarif) => new Map(s.runs[0]!.results.map((x) => [x.ruleId, x.partialFingerprints['plumblineCheck/v1']]));
    const a = byId(sarifOf(r));
    const b = byId(sarifOf(reversed));
    const counts = new Map<string, number>();
    for (const x of r.results) counts.set(x.id, (counts.get(x.id) ?? 0) + 1);
    for (const [id, fp] of a) if (counts.get(id) === 1) expect(b.get(id), id).toBe(fp);
    // Another host's alert for the same check is another alert.
    const other = { ...structuredClone(r), host: { ...r.host, hostname: 'other-host' } };
    const c = sarifOf(other).runs[0]!.results.map((x) => x.partialFingerprints['plumblineCheck/v1']);
    expect(c.some((f, i) => f === fps[i])).toBe(false);
  });

  it('says in the run who, what and the verdict, and when it ran', () => {
    const r = report();
    const run = sarifOf(r).runs[0]!;
    expect(run.properties).toMatchObject({ score: r.score, threshold: r.threshold, ready: r.ready, counts: r.counts });
    expect(run.properties.hostname).toBe(sanitize(r.host.hostname));
    expect(run.invocations).toEqual([{ executionSuccessful: true, endTimeUtc: r.generatedAt }]);
    expect(run.properties.resultsCapped).toBeUndefined();
  });

  it('does not change the report it renders, and renders it the same way twice', () => {
    expectPureRender(renderSarif, report());
  });
});

describe('what code scanning shows', () => {
  it("built-in checks of the extends fixture point at the user's extends line, the team's own check at its line", () => {
    const run = sarifOf(reports.get('extends')!).runs[0]!;
    const at = (id: string) => run.results.find((x) => x.ruleId === id)!.locations[0]!.physicalLocation;
    const builtin = run.results.filter((x) => x.ruleId !== 'web.somaxconn');
    expect(builtin.length).toBeGreaterThan(10);
    for (const x of builtin) {
      expect(x.locations[0]!.physicalLocation).toEqual({
        artifactLocation: { uri: 'fixtures/reports/extends-baseline.yaml', uriBaseId: '%SRCROOT%' },
        region: { startLine: 8, startColumn: 5 },
      });
      expect(x.message.text).toMatch(/\nA built-in check \(policies\/baseline\.yaml:\d+:\d+\), brought in by this extends entry\.$/);
    }
    expect(at('web.somaxconn')).toEqual({
      artifactLocation: { uri: 'fixtures/reports/extends-baseline.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 5 },
    });
    expect(JSON.stringify(run)).not.toContain('"uri": "policies/');
  });

  it('a failure says expected and actual (once: here the message holds both); the rule has the fix, the rationale and the reference as helpUri', () => {
    const run = sarifOf(reports.get('extends')!).runs[0]!;
    const res = run.results.find((x) => x.ruleId === 'kernel.somaxconn')!;
    expect(res.message.text).toMatch(/^Listen backlog absorbs connection bursts: net\.core\.somaxconn is 128, not >= 4096\n/);
    // A message that leaves one of them out gets both spelled out first.
    const other = sarifOf({
      ...reports.get('extends')!,
      results: reports.get('extends')!.results.map((x) => (x.id === 'kernel.somaxconn' ? { ...x, message: 'too small' } : x)),
    }).runs[0]!;
    expect(other.results.find((x) => x.ruleId === 'kernel.somaxconn')!.message.text).toMatch(
      /^Listen backlog absorbs connection bursts: expected >= 4096, actual 128\. too small\n/,
    );
    const rule = run.tool.driver.rules[res.ruleIndex]!;
    expect(rule.helpUri).toBe('https://www.kernel.org/doc/Documentation/networking/ip-sysctl.rst');
    expect(rule.help.text).toMatch(/^echo 'net\.core\.somaxconn = 65535' >> \/etc\/sysctl\.d\/60-plumbline\.conf && sysctl --system; /);
    expect(rule.help.text).toContain('\n\nWhy it matters: somaxconn caps every listen() backlog.');
    // Markdown: the author's code span stays code, the shell's >> and && are entities outside it.
    expect(rule.help.markdown).toContain(
      "**Fix:** echo 'net.core.somaxconn = 65535' &gt;&gt; /etc/sysctl.d/60-plumbline.conf &amp;&amp; sysctl --system; raise the service's own backlog too (nginx `listen ... backlog=`).",
    );
    expect(rule.fullDescription.text).toMatch(/^somaxconn caps every listen\(\) backlog\./);
    expect(rule.defaultConfiguration.level).toBe('error');
  });

  it('a symptom names its root cause; an unverified check says it could not be verified', () => {
    const run = sarifOf(reports.get('errors-waived-causes')!).runs[0]!;
    expect(run.results.find((x) => x.ruleId === 'all.route-default')!.message.text).toContain(
      '\nThis fails because all.if-eth0 failed first: fix that, then audit again.',
    );
    expect(run.results.find((x) => x.ruleId === 'all.limits-pidfile')!.message.text).toBe(
      'A pidfile that does not exist: could not be verified: pidfile /run/plumbline-fixture-nosuch.pid: not found. It expects soft nofile >= 1024.',
    );
  });

  it('hostile text: sanitised everywhere, and the markdown shows markup as text', () => {
    const text = renderSarif(reports.get('hostile')!);
    // JSON escapes would carry them; they are dropped before, as in every machine-read report.
    expect(text).not.toMatch(/\\u00(0[0-8bcef]|1[0-9a-f])/i);
    const run = (JSON.parse(text) as Sarif).runs[0]!;
    // The checks that carry the hostile text (one of each shape) and so their rules.
    const hostile = run.tool.driver.rules.filter((rule) => rule.shortDescription.text.includes('<script>'));
    expect(hostile.length).toBeGreaterThan(3);
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.markdown).not.toMatch(/<script>/);
      expect(rule.shortDescription.text).not.toMatch(CONTROL);
    }
    for (const rule of hostile) {
      expect(rule.help.markdown).toContain(
        '&lt;script&gt;alert("x")&lt;/script&gt; \\]\\]&gt; \\| `rm -rf`  \nsecond line "quoted" \'single\' &amp; red ␇ \\\\ end &lt;U+202E&gt;exe.txt&lt;U+202C&gt; z&lt;U+200B&gt;w &lt;U+0090&gt;  \n\ufffd',
      );
    }
    for (const res of run.results) expect(res.message.text).not.toMatch(CONTROL);
    expect(validate(JSON.parse(text))).toBe(true);
  });

  it('a report that repeats check ids (merged from several): one rule for each, and every result its own fingerprint', () => {
    const r = structuredClone(reports.get('errors-waived-causes')!);
    r.results = [...r.results, ...structuredClone(r.results)];
    const run = sarifOf(r).runs[0]!;
    const bad = r.results.filter((x) => x.status === 'fail' || x.status === 'error');
    expect(new Set(bad.map((x) => x.id)).size).toBeLessThan(bad.length);
    expect(run.tool.driver.rules).toHaveLength(new Set(bad.map((x) => x.id)).size);
    expect(new Set(run.results.map((x) => x.partialFingerprints['plumblineCheck/v1'])).size).toBe(bad.length);
  });
});

describe('limits and edges', () => {
  function failing(n: number): Report {
    const r = structuredClone(reports.get('extends')!);
    const base = r.results.find((x) => x.status === 'fail' && x.severity === 'medium')!;
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    r.results = Array.from(
      { length: n },
      (_, i): Result => ({ ...base, id: `bulk.${i}`, severity: severities[i % 5]!, status: i % 7 === 0 ? 'error' : 'fail' }),
    );
    return r;
  }

  it('caps a run at 25,000 results, keeping the worst, and says so in the run', () => {
    const r = failing(25_010);
    const run = sarifOf(r).runs[0]!;
    expect(run.results).toHaveLength(25_000);
    expect(run.properties.resultsCapped).toMatchObject({ limit: 25_000, found: 25_010, omitted: 10 });
    expect(run.invocations[0]!.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: expect.stringContaining('the 10 least severe are left out') } },
    ]);
    // What was left out: errors of the lowest severity, the last ones in report order.
    const kept = new Set(run.results.map((x) => x.ruleId));
    const dropped = r.results.filter((x) => !kept.has(x.id));
    expect(dropped).toHaveLength(10);
    for (const x of dropped) expect([x.status, x.severity]).toEqual(['error', 'info']);
    expect(run.tool.driver.rules).toHaveLength(25_000);
    // Results stay in report order.
    const order = run.results.map((x) => Number(x.ruleId.slice(5)));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a run where every applicable check is an error judged nothing: executionSuccessful is false', () => {
    const r = failing(3);
    for (const x of r.results) x.status = 'error';
    const run = sarifOf(r).runs[0]!;
    expect(run.invocations[0]).toMatchObject({ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error' }] });
    expect(validate(sarifOf(r))).toBe(true);
  });

  it('paths: relative ones as given with forward slashes, absolute ones as file URIs, odd characters encoded', () => {
    const r = failing(4);
    r.results[0]!.source = { file: 'policies\\team\\web.yaml', line: 3, column: 1 };
    r.results[1]!.source = { file: '/etc/plumbline/my policy#1.yaml', line: 4, column: 2 };
    r.results[2]!.source = { file: './ops/policy.yaml', line: 5, column: 3 };
    r.results[3]!.source = { file: 'C:\\policies\\web.yaml', line: 6, column: 4 };
    for (const x of r.results) delete x.anchor;
    const locs = sarifOf(r).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation);
    expect(locs).toEqual([
      { uri: 'policies/team/web.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///etc/plumbline/my%20policy%231.yaml' },
      { uri: 'ops/policy.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///C:/policies/web.yaml' },
    ]);
    expect(validate(sarifOf(r))).toBe(true);
  });

  it('a report with nothing failing is a valid log with no results and no rules', () => {
    const run = sarifOf(reports.get('ready')!).runs[0]!;
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules).toEqual([]);
  });
});

// The fleet renderers over every fixture fleet (test/helpers/fleets.ts): byte for byte against
// test/unit/report/golden/fleet/, pure, and what each format's reader relies on: the JSON follows
// schemas/fleet-report.schema.json, SARIF the official schema with one alert per host and check, Prometheus one
// series per host (never twice), JUnit a suite per host, markdown and HTML showing report text as text. Every
// output but the JSON (the record) holds no control character and no terminal escape from a host name or fault.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FORMATS, loadFleetRenderer, type RenderFleet } from '../../../../src/report/registry.js';
import type { FleetReport } from '../../../../src/report/fleet/model.js';
import { renderFleetHtml } from '../../../../src/report/fleet/html.js';
import { renderFleetJunit } from '../../../../src/report/fleet/junit.js';
import { renderFleetMarkdown } from '../../../../src/report/fleet/markdown.js';
import { renderFleetPrometheus } from '../../../../src/report/fleet/prometheus.js';
import { renderFleetSarif } from '../../../../src/report/fleet/sarif.js';
import { renderFleetPretty } from '../../../../src/report/fleet/pretty.js';
import { renderHtml } from '../../../../src/report/html.js';
import { sanitize } from '../../../../src/report/sanitize.js';
import { expectPureRender, golden, htmlParts } from '../../../helpers/golden.js';
import { fam, parse } from '../../../helpers/exposition.js';
import { FLEET_NAMES, SPECIAL_NAME, fixtureFleet, type FleetName } from '../../../helpers/fleets.js';
import { HOSTILE, ROOT, fixtureReport } from '../../../helpers/reports.js';
import { buildFleetReport } from '../../../../src/report/fleet/build.js';
import { MARKDOWN_BUDGET } from '../../../../src/report/markdown.js';
import { FAULT_CLASSES } from '../../../../src/lib/host-fault.js';

const GOLDEN = `${ROOT}test/unit/report/golden/fleet/`;
const EXT: Record<string, string> = {
  pretty: 'pretty.ansi.txt',
  json: 'json',
  junit: 'xml',
  sarif: 'sarif.json',
  markdown: 'md',
  html: 'html',
  prometheus: 'prom',
};
const CONTROL = /[\x00-\x09\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]/;
const ANSI = /\x1b\[[0-9;]*m/g;

let fleets: Map<FleetName, FleetReport>;
let renderers: Map<string, RenderFleet>;
let validateFleet: ValidateFunction;
let validateSarif: ValidateFunction;

beforeAll(async () => {
  fleets = new Map();
  for (const n of FLEET_NAMES) fleets.set(n, await fixtureFleet(n));
  renderers = new Map();
  for (const f of FORMATS) renderers.set(f, await loadFleetRenderer(f));
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
  ajv.addSchema(JSON.parse(readFileSync(`${ROOT}schemas/report.schema.json`, 'utf8')));
  validateFleet = ajv.compile(JSON.parse(readFileSync(`${ROOT}schemas/fleet-report.schema.json`, 'utf8')));
  const {
    $schema: _d,
    id: _i,
    ...sarif
  } = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  validateSarif = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false }).compile(sarif);
});

describe.each(FLEET_NAMES)('%s', (name) => {
  const fleet = (): FleetReport => structuredClone(fleets.get(name)!);

  it.each(FORMATS)('%s matches its golden file, is pure, and (but JSON) shows no control character', (format) => {
    const render = renderers.get(format)!;
    expectPureRender((f: FleetReport) => render(f, { color: format === 'pretty' }), fleet());
    const text = render(fleet(), { color: format === 'pretty' });
    if (format === 'html') {
      const parts = htmlParts(text);
      // The stylesheet and script are the host page's, checked there; the golden holds the rest.
      const host = htmlParts(renderHtml(fleet().hosts.find((h) => h.report)!.report!));
      expect([parts.style, parts.script]).toEqual([host.style, host.script]);
      golden(`${GOLDEN}${name}.html`, parts.page);
    } else golden(`${GOLDEN}${name}.${EXT[format]}`, text);
    if (format !== 'json') expect(text.replace(ANSI, '')).not.toMatch(CONTROL);
  });

  it("json is the fleet report, follows schemas/fleet-report.schema.json (hosts' reports included)", () => {
    const text = renderers.get('json')!(fleet(), { color: false });
    const parsed = JSON.parse(text) as FleetReport;
    expect(validateFleet(parsed), JSON.stringify(validateFleet.errors?.slice(0, 5), null, 2)).toBe(true);
    expect(parsed).toEqual(fleet());
  });

  it('sarif validates, carries one result per host and failing check, each with its host, and fingerprints that never collapse', () => {
    const f = fleet();
    const log = JSON.parse(renderFleetSarif(f)) as {
      runs: {
        results: { ruleId: string; message: { text: string }; properties: { host: string }; partialFingerprints: Record<string, string> }[];
        invocations: { toolExecutionNotifications?: { properties?: { host: string; faultClass: string } }[] }[];
      }[];
    };
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 5), null, 2)).toBe(true);
    const run = log.runs[0]!;
    const expected = f.hosts.flatMap((h) =>
      (h.report?.results ?? []).filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${sanitize(h.name)} ${r.id}`),
    );
    expect(run.results.map((r) => `${r.properties.host} ${r.ruleId}`)).toEqual(expected);
    for (const r of run.results) expect(r.message.text.startsWith(`${r.properties.host}: `)).toBe(true);
    const prints = run.results.map((r) => r.partialFingerprints['plumblineCheck/v1']);
    expect(new Set(prints).size).toBe(prints.length);
    const notified = (run.invocations[0]!.toolExecutionNotifications ?? []).flatMap((n) =>
      n.properties ? [`${n.properties.host} ${n.properties.faultClass}`] : [],
    );
    expect(notified).toEqual(f.hosts.filter((h) => h.fault).map((h) => `${sanitize(h.name)} ${h.fault!.class}`));
  });

  it('prometheus: the host series of every audited host with its host label, the fleet families, no series twice', () => {
    const f = fleet();
    const families = parse(renderFleetPrometheus(f));
    const series = families.flatMap((x) => x.samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`));
    expect(new Set(series).size).toBe(series.length);
    expect(new Set(families.map((x) => x.name)).size).toBe(families.length);
    const ready = fam(families, 'plumbline_ready').samples.map((s): [string | undefined, number] => [s.labels.host, s.value]);
    expect(new Map(ready)).toEqual(new Map(f.hosts.map((h) => [sanitize(h.name), h.ready ? 1 : 0])));
    const failed = fam(families, 'plumbline_check_failed').samples;
    const audited = f.hosts.filter((h) => h.report);
    expect(failed).toHaveLength(audited.reduce((n, h) => n + h.report!.results.length, 0));
    for (const h of audited)
      expect(failed.filter((s) => s.labels.host === sanitize(h.name) && s.value === 1)).toHaveLength(
        h.report!.results.filter((r) => r.status === 'fail').length,
      );
    expect(fam(families, 'plumbline_fleet_ready').samples[0]!.value).toBe(f.ready ? 1 : 0);
    expect(Object.fromEntries(fam(families, 'plumbline_fleet_hosts').samples.map((s) => [s.labels.state, s.value]))).toEqual({
      ready: f.summary.ready,
      'not-ready': f.summary.notReady,
      unaudited: f.summary.unaudited,
    });
    expect(fam(families, 'plumbline_host_audited').samples.map((s) => [s.labels.host, s.value])).toEqual(
      f.hosts.map((h) => [sanitize(h.name), h.audited ? 1 : 0]),
    );
    expect(fam(families, 'plumbline_host_fault').samples.map((s) => [s.labels.host, s.labels.class])).toEqual(
      f.hosts.filter((h) => h.fault).map((h) => [sanitize(h.name), h.fault!.class]),
    );
  });

  it('junit: one suite per host, named by it; an unaudited host is one testcase in error naming its fault class', () => {
    const f = fleet();
    const xml = renderFleetJunit(f);
    const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)];
    expect(suites).toHaveLength(f.hosts.length);
    f.hosts.forEach((h, i) => {
      const [, , tests, failures, errors] = suites[i]!;
      if (h.report) {
        const k = h.report.counts;
        const implied = h.report.results.filter((r) => r.impliedBy);
        expect(Number(tests)).toBe(h.report.results.length);
        expect(Number(failures)).toBe(k.fail + implied.filter((r) => r.status === 'fail').length);
        expect(Number(errors)).toBe(k.error + implied.filter((r) => r.status === 'error').length);
      } else {
        expect([tests, failures, errors]).toEqual(['1', '0', '1']);
        const body = xml.split('<testsuite ')[i + 1]!;
        expect(body).toMatch(
          new RegExp(`<testcase name="audit of [^"]* \\[${h.fault!.class}\\]"[^>]*>\\s*<error message="could not be audited: [^"]*" type="${h.fault!.class}">`),
        );
      }
    });
  });
});

describe('the fleet schema', () => {
  it('names every fault class the model has, and refuses what the model cannot hold (so passing it means something)', async () => {
    const schema = JSON.parse(readFileSync(`${ROOT}schemas/fleet-report.schema.json`, 'utf8')) as {
      $defs: { fault: { properties: { class: { enum: string[] } } } };
    };
    expect(schema.$defs.fault.properties.class.enum).toEqual([...FAULT_CLASSES]);
    const good = structuredClone(fleets.get('mixed')!);
    expect(validateFleet(good)).toBe(true);
    const unaudited = good.hosts.findIndex((h) => !h.audited);
    const broken: [string, (f: FleetReport & Record<string, unknown>) => void][] = [
      ['an unaudited host without its fault', (f) => delete f.hosts[unaudited]!.fault],
      ['an unaudited host said ready', (f) => Object.assign(f.hosts[unaudited]!, { ready: true })],
      ['an audited host without its report', (f) => delete f.hosts[0]!.report],
      ['an unknown fault class', (f) => Object.assign(f.hosts[unaudited]!.fault!, { class: 'dns' })],
      ['a broken host report', (f) => Object.assign(f.hosts[0]!.report!, { score: 'high' })],
      ['a finding on no host', (f) => Object.assign(f.failing[0]!, { hosts: [] })],
      ['another field', (f) => Object.assign(f, { extra: 1 })],
    ];
    for (const [what, change] of broken) {
      const f = structuredClone(good) as FleetReport & Record<string, unknown>;
      change(f);
      expect(validateFleet(f), what).toBe(false);
    }
  });
});

describe('markdown of a large fleet', () => {
  it("keeps under the summary's budget: every host keeps its row, hosts' folds are left out from the end, and the note counts them", async () => {
    const report = await fixtureReport('hostile');
    const outcomes = Array.from({ length: 400 }, (_, i) => ({ name: `host-${i + 1}`, groups: [], report }));
    const fleet = buildFleetReport(outcomes, { policy: report.policy, threshold: 80, now: new Date(0), version: 't' });
    const md = renderFleetMarkdown(fleet);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    for (const h of fleet.hosts) expect(md).toContain(`\n| ${h.name} | ❌ NOT READY |`);
    const folds = (md.match(/<details><summary>/g) ?? []).length;
    expect(folds).toBeGreaterThan(0);
    expect(folds).toBeLessThan(400);
    expect(md).toContain(`**The failing checks of ${400 - folds} hosts left out** to keep this summary under GitHub's 1 MiB limit`);
    expect(md).toContain('<details><summary>host-1: NOT READY');
  });
});

describe('text from inventories and ssh is shown as text', () => {
  it('markdown: a host name with markup, pipes, backticks, a newline and escapes stays one table cell of text', async () => {
    const md = renderFleetMarkdown(await fixtureFleet('mixed'));
    const row = md.split('\n').find((l) => l.startsWith('| edge'))!;
    expect(row).toBe('| edge-&lt;b&gt;"&amp;"&lt;/b&gt; \\| \\*x\\* \\`y\\` \\[z\\](j) \\#␇<br>next | ✅ READY | 83.2% | 0 |  |');
    expect(md).not.toContain('<b>');
  });

  it('pretty: the name on one line, the bell as its picture, the escape sequence dropped', async () => {
    const text = renderFleetPretty(await fixtureFleet('mixed'), { color: false });
    expect(text).toContain('edge-<b>"&"</b> | *x* `y` [z](j) #␇ next  READY');
    expect(text).toContain('Host key verification failed.␇ The ECDSA key of web-10 has changed');
    expect(SPECIAL_NAME).toContain('\x1b[31m');
  });

  it("html: hostile names, addresses and fault details are entities, and each host's checks have ids of their own", async () => {
    const f = await fixtureFleet('hostile');
    const html = renderFleetHtml(f);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(HOSTILE).toContain('\u202e');
    expect(html).not.toMatch(CONTROL);
  });
});

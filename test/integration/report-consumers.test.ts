// The machine-read reports, read by the programs that will read them in production, for every fixture report:
//
//   promtool check metrics   the Prometheus exposition parses, and promtool's lint (names, units, _total only on
//                            counters, HELP present) has nothing to say
//   xmllint --noout          the JUnit file is well-formed XML 1.0
//   junitparser (Python)     what CI plugins see: suites, their counts (declared and recounted from the cases),
//                            each testcase's name, class and outcome with its message, compared with the report
//
// The fleet files likewise: one suite per host, an unaudited host as one errored testcase of its fault class.
//
// .ci/run installs all three, so under CI a missing one fails its test; elsewhere it is skipped with the reason.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import type { Report } from '../../src/report/model.js';
import { sanitize } from '../../src/report/sanitize.js';
import { seen } from '../../src/report/listing.js';
import type { ReportResult as Result } from '../../src/report/model.js';
import { REPORT_NAMES, fixtureReports, type ReportName } from '../helpers/reports.js';
import { FLEET_NAMES, fixtureFleet } from '../helpers/fleets.js';
import { renderFleetJunit } from '../../src/report/fleet/junit.js';
import { renderFleetPrometheus } from '../../src/report/fleet/prometheus.js';

// The consumers, by the command that runs each. Debian's python3 has python3-junitparser; a python3 earlier on
// PATH (pyenv) may not.
const BIN = { promtool: 'promtool', xmllint: 'xmllint', python: '/usr/bin/python3' } as const;
const CI = process.env.CI === 'true';

function missing(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.error) return `${cmd} is not installed (${(r.error as NodeJS.ErrnoException).code})`;
  return r.status === 0 ? null : `${cmd} ${args.join(' ')} exits ${r.status}`;
}

const TOOLS = {
  promtool: missing(BIN.promtool, ['--version']),
  xmllint: missing(BIN.xmllint, ['--version']),
  junitparser: missing(BIN.python, ['-c', 'import junitparser']),
};
for (const [tool, why] of Object.entries(TOOLS)) {
  if (why && !CI) console.log(`skipping the ${tool} report-consumer tests: ${why}`);
}
/** Skipped only outside CI; under CI the test runs and its first assertion names what is missing. */
const skip = (tool: keyof typeof TOOLS): boolean => TOOLS[tool] !== null && !CI;
function present(tool: keyof typeof TOOLS): void {
  expect(TOOLS[tool], `${tool} is required under CI=true (.ci/run installs it)`).toBeNull();
}

// What junitparser makes of the file, as JSON: the declared counts of the root and every suite, counts
// recounted from the testcases, the properties, and every testcase's name, class and results.
const READ_JUNIT = `
import json, sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
def counts(x):
    return {k: getattr(x, k) for k in ("tests", "failures", "errors", "skipped")}
suites = []
for s in xml:
    cases = []
    for c in s:
        cases.append({"name": c.name, "classname": c.classname, "results": [
            {"kind": type(r).__name__.lower(), "message": r.message, "type": r.type, "text": r.text} for r in c.result]})
    recount = {"tests": len(cases),
               "failures": sum(1 for c in cases for r in c["results"] if r["kind"] == "failure"),
               "errors": sum(1 for c in cases for r in c["results"] if r["kind"] == "error"),
               "skipped": sum(1 for c in cases for r in c["results"] if r["kind"] == "skipped")}
    suites.append({"name": s.name, "hostname": s.hostname, "timestamp": s.timestamp, "declared": counts(s),
                   "recount": recount, "properties": {p.name: p.value for p in s.properties()}, "cases": cases})
print(json.dumps({"declared": counts(xml), "suites": suites}))
`;

interface JunitCase {
  name: string;
  classname: string;
  results: { kind: 'failure' | 'error' | 'skipped'; message: string | null; type: string | null; text: string | null }[];
}
interface JunitSuite {
  name: string;
  hostname: string;
  timestamp: string;
  declared: Counts;
  recount: Counts;
  properties: Record<string, string>;
  cases: JunitCase[];
}
interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** What XML 1.0 can hold of a string: the report's text less the control characters the renderer drops. */

let dir: string;
let reports: Map<ReportName, Report>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumbline-consumers-'));
  reports = await fixtureReports();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe.each(REPORT_NAMES)('%s', (name) => {
  it.skipIf(skip('promtool'))('promtool check metrics accepts the Prometheus file and its lint prints nothing', () => {
    present('promtool');
    const file = write(`${name}.prom`, renderPrometheus(reports.get(name)!));
    const r = spawnSync(BIN.promtool, ['check', 'metrics'], { input: readFileSync(file), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.error).toBeUndefined();
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it.skipIf(skip('xmllint'))('xmllint finds the JUnit file well-formed', () => {
    present('xmllint');
    const file = write(`${name}.xml`, renderJunit(reports.get(name)!));
    const r = spawnSync(BIN.xmllint, ['--noout', file], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it.skipIf(skip('junitparser'))('junitparser reads the suites, counts and testcases the report holds, titles included', () => {
    present('junitparser');
    const report = reports.get(name)!;
    const file = write(`${name}.junit.xml`, renderJunit(report));
    const r = spawnSync(BIN.python, ['-c', READ_JUNIT, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout) as { declared: Counts; suites: JunitSuite[] };

    // Counts: every suite's declared counts are its testcases', the root's the sum, and both the report's.
    const c = report.counts;
    const total = { tests: c.pass + c.fail + c.error + c.skip + c.waived, failures: c.fail, errors: c.error, skipped: c.skip + c.waived };
    expect(got.declared).toEqual(total);
    const sum = (k: keyof Counts) => got.suites.reduce((n, s) => n + s.recount[k], 0);
    expect({ tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') }).toEqual(total);
    expect(got.suites.map((s) => s.name)).toEqual(report.areas.map((a) => a.area));
    for (const s of got.suites) {
      expect(s.declared, s.name).toEqual(s.recount);
      const a = report.areas.find((x) => x.area === s.name)!.counts;
      expect(s.recount).toEqual({ tests: a.pass + a.fail + a.error + a.skip + a.waived, failures: a.fail, errors: a.error, skipped: a.skip + a.waived });
      expect(s.hostname).toBe(sanitize(report.host.hostname));
      expect(s.timestamp).toBe(report.generatedAt.replace(/\.\d+Z$/, ''));
      expect(s.properties).toMatchObject({ verdict: report.ready ? 'ready' : 'not ready', score: String(report.score), generatedAt: report.generatedAt });
    }

    // Testcases: in area order, each named by its title and id (round-tripped, newlines and quotes included),
    // with the outcome its status means and what it says.
    const cases = got.suites.flatMap((s) => s.cases);
    const results = report.areas.flatMap((a) => report.results.filter((x) => x.area === a.area));
    expect(cases).toHaveLength(results.length);
    const kinds: Record<Result['status'], string[]> = { pass: [], fail: ['failure'], error: ['error'], skip: ['skipped'], waived: ['skipped'] };
    results.forEach((x, i) => {
      const t = cases[i]!;
      expect(t.name).toBe(sanitize(`${x.title} [${x.id}]`));
      expect(t.classname).toBe(x.area);
      expect(
        t.results.map((o) => o.kind),
        x.id,
      ).toEqual(kinds[x.status]);
      const o = t.results[0];
      if (x.status === 'fail') {
        expect(o).toMatchObject({ message: sanitize(x.message), type: x.severity });
        // What was seen as every view says it: beside listed items, their count (src/report/listing.ts).
        for (const part of [x.expected, seen(x), x.remediation ?? '']) {
          for (const line of sanitize(part).split('\n')) expect(o!.text).toContain(line.trim());
        }
      } else if (x.status === 'error') {
        expect(o).toMatchObject({ message: sanitize(`could not be checked: ${x.message}`), type: x.severity });
      } else if (x.status === 'skip') {
        expect(o!.message).toBe(sanitize(x.message));
      } else if (x.status === 'waived') {
        expect(o!.message).toContain(sanitize(x.waiver!.reason));
        if (x.waiver!.expires) expect(o!.message).toContain(`until ${x.waiver!.expires}`);
      }
    });
  });
});

describe.each(FLEET_NAMES)('fleet %s', (name) => {
  it.skipIf(skip('promtool'))(
    'promtool check metrics accepts the fleet Prometheus file (host labels, fleet families) and its lint prints nothing',
    async () => {
      present('promtool');
      const text = renderFleetPrometheus(await fixtureFleet(name));
      const r = spawnSync(BIN.promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(r.error).toBeUndefined();
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    },
  );

  it.skipIf(skip('xmllint'))('xmllint finds the fleet JUnit file well-formed', async () => {
    present('xmllint');
    const file = write(`fleet-${name}.xml`, renderFleetJunit(await fixtureFleet(name)));
    const r = spawnSync(BIN.xmllint, ['--noout', file], { encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it.skipIf(skip('junitparser'))(
    'junitparser reads one suite per host with its counts, and an unaudited host as one errored testcase of its fault class',
    async () => {
      present('junitparser');
      const fleet = await fixtureFleet(name);
      const file = write(`fleet-${name}.junit.xml`, renderFleetJunit(fleet));
      const r = spawnSync(BIN.python, ['-c', READ_JUNIT, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const got = JSON.parse(r.stdout) as { declared: Counts; suites: JunitSuite[] };
      expect(got.suites.map((s) => s.name)).toEqual(fleet.hosts.map((h) => sanitize(h.name)));
      fleet.hosts.forEach((h, i) => {
        const s = got.suites[i]!;
        expect(s.declared, h.name).toEqual(s.recount);
        expect(s.properties).toMatchObject({ host: sanitize(h.name), state: { ready: 'READY', 'not-ready': 'NOT READY', unaudited: 'NOT AUDITED' }[h.state] });
        if (!h.report) {
          expect(s.cases).toHaveLength(1);
          expect(s.cases[0]!.results).toEqual([
            {
              kind: 'error',
              type: h.fault!.class,
              message: expect.stringMatching(/^could not be audited: /),
              text: expect.stringContaining(`fault:       ${h.fault!.class}`),
            },
          ]);
          expect(s.properties).toMatchObject({ fault: h.fault!.class, 'fault.detail': sanitize(h.fault!.detail) });
          return;
        }
        const results = h.report.results;
        expect(s.recount.tests).toBe(results.length);
        expect(s.recount.failures).toBe(results.filter((x) => x.status === 'fail').length);
        expect(s.recount.errors).toBe(results.filter((x) => x.status === 'error').length);
        // Cases keep the host in their classname, so tools that merge equal classnames keep hosts apart.
        for (const c of s.cases) expect(c.classname.startsWith(`${sanitize(h.name)}.`)).toBe(true);
      });
      const sum = (k: keyof Counts) => got.suites.reduce((n, s) => n + s.recount[k], 0);
      expect(got.declared).toEqual({ tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') });
    },
  );
});

// JUnit XML of a fleet for CI test tabs: one <testsuite> per host, named by the host, holding every check of its
// report (classname HOST.AREA, so tools that merge equal classnames across suites keep the hosts apart; implied
// checks as in a host's file, with " (implied)" after the area). A host that could not be audited is a suite of
// one testcase in error, named for the audit of the host and its fault class, with what the failing party said.
import { attr, areaSuites, counts, hostProperties, property, tally, testcase, text, timestampOf, type Tally } from '../junit.js';
import type { FleetReportHost, FleetReport } from './model.js';
import { FAULT_WORDS, STATE_WORDS, faultLine } from './words.js';

function fleetProperties(h: FleetReportHost): [string, string | number][] {
  return [
    ['host', h.name],
    ...(h.address !== undefined ? ([['address', h.address]] as [string, string][]) : []),
    ['groups', h.groups.join(', ')],
    ['state', STATE_WORDS[h.state]],
    ...(h.fault
      ? ([
          ['fault', h.fault.class],
          ['fault.detail', h.fault.detail],
        ] as [string, string][])
      : []),
  ];
}

function open(name: string, t: Tally, timestamp: string, props: [string, string | number][]): string {
  let out = `  <testsuite name="${attr(name)}" ${counts(t)} time="0" timestamp="${attr(timestamp)}" hostname="${attr(name)}">\n    <properties>\n`;
  for (const [k, v] of props) out += property(k, v);
  return `${out}    </properties>\n`;
}

function hostSuite(fleet: FleetReport, h: FleetReportHost): { xml: string; tally: Tally } {
  const r = h.report;
  if (!r) {
    const f = h.fault!;
    const t = { tests: 1, failures: 0, errors: 1, skipped: 0 };
    const props: [string, string | number][] = [['plumbline.version', fleet.tool.version], ['policy', fleet.policy.name], ...fleetProperties(h)];
    const name = `audit of ${h.name} [${f.class}]`;
    const body = `host:        ${h.name}\n${h.address !== undefined ? `address:     ${h.address}\n` : ''}fault:       ${f.class} (${FAULT_WORDS[f.class]})\nsaid:        ${f.detail}\n`;
    const xml =
      open(h.name, t, timestampOf(fleet.generatedAt), props) +
      `    <testcase name="${attr(name)}" classname="${attr(h.name)}" time="0">\n      <error message="${attr(`could not be audited: ${faultLine(f)}`)}" type="${f.class}">${text(body)}</error>\n    </testcase>\n  </testsuite>\n`;
    return { xml, tally: t };
  }
  const groups = areaSuites(r);
  const results = groups.flatMap((g) => g.results.map((x) => ({ x, classname: `${h.name}.${g.name}` })));
  const t = tally(results.map((e) => e.x));
  let xml = open(h.name, t, timestampOf(r.generatedAt), [...hostProperties(r), ...fleetProperties(h)]);
  for (const e of results) xml += testcase(e.x, e.classname);
  return { xml: `${xml}  </testsuite>\n`, tally: t };
}

export function renderFleetJunit(fleet: FleetReport): string {
  const suites = fleet.hosts.map((h) => hostSuite(fleet, h));
  const total = suites.reduce(
    (a, s) => ({
      tests: a.tests + s.tally.tests,
      failures: a.failures + s.tally.failures,
      errors: a.errors + s.tally.errors,
      skipped: a.skipped + s.tally.skipped,
    }),
    {
      tests: 0,
      failures: 0,
      errors: 0,
      skipped: 0,
    },
  );
  const name = `plumbline ${fleet.policy.name} on ${fleet.summary.hosts} host${fleet.summary.hosts === 1 ? '' : 's'}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${attr(name)}" ${counts(total)} time="0">\n${suites.map((s) => s.xml).join('')}</testsuites>\n`;
}

// The JUnit renderer over every fixture report: byte for byte against test/unit/report/golden/junit/, and what
// CI test tabs rely on (counts that add up and agree with the report, one testcase per check, escaping that
// keeps the XML well formed whatever a command printed). The real consumers (xmllint, junitparser) read the
// same output in test/integration/report-consumers.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import type { Report } from '../../../src/report/model.js';
import { sanitize } from '../../../src/report/sanitize.js';
import type { ReportResult as Result } from '../../../src/report/model.js';
import { digestOf, golden, expectPureRender } from '../../helpers/golden.js';
import { REPORT_NAMES, ROOT, fixtureReports, type ReportName } from '../../helpers/reports.js';

const GOLDEN = `${ROOT}test/unit/report/golden/junit/`;
let reports: Map<ReportName, Report>;

beforeAll(async () => {
  reports = await fixtureReports();
});

interface Suite {
  attrs: Record<string, string>;
  cases: { attrs: Record<string, string>; inner: string }[];
  props: Record<string, string>;
}

const unescape = (s: string): string =>
  s.replace(/&(#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!,
  );

function attrsOf(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/ ([\w.]+)="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]));
}

/** Just enough reading of our own output to check its structure (the consumers' test reads it for real). */
function read(xml: string): { root: Record<string, string>; suites: Suite[] } {
  const root = attrsOf(/<testsuites[^>]*>/.exec(xml)![0]);
  const suites = [...xml.matchAll(/<testsuite( [^>]*)>([\s\S]*?)<\/testsuite>/g)].map((m) => ({
    attrs: attrsOf(m[1]!),
    props: Object.fromEntries([...m[2]!.matchAll(/<property name="([^"]*)" value="([^"]*)"\/>/g)].map((p) => [p[1]!, unescape(p[2]!)])),
    cases: [...m[2]!.matchAll(/<testcase( [^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((c) => ({ attrs: attrsOf(c[1]!), inner: c[2] ?? '' })),
  }));
  return { root, suites };
}

const kind = (inner: string): string => /<(failure|error|skipped)\b/.exec(inner)?.[1] ?? 'pass';

describe.each(REPORT_NAMES)('%s', (name) => {
  const report = (): Report => reports.get(name)!;

  it('matches the golden file', () => {
    // The 5,000-check report's XML is megabytes: its golden is a digest; the other tests read it whole.
    if (name === 'large') golden(`${GOLDEN}${name}.xml.digest`, digestOf(renderJunit(report())));
    else golden(`${GOLDEN}${name}.xml`, renderJunit(report()));
  });

  it('counts add up: each suite counts its testcases, the root counts its suites, and both agree with the report', () => {
    const r = report();
    const { root, suites } = read(renderJunit(r));
    for (const s of suites) {
      const kinds = s.cases.map((c) => kind(c.inner));
      expect(Number(s.attrs.tests)).toBe(s.cases.length);
      expect(Number(s.attrs.failures)).toBe(kinds.filter((k) => k === 'failure').length);
      expect(Number(s.attrs.errors)).toBe(kinds.filter((k) => k === 'error').length);
      expect(Number(s.attrs.skipped)).toBe(kinds.filter((k) => k === 'skipped').length);
      // The area suite says what the report says for that area.
      const area = r.areas.find((a) => a.area === s.attrs.name)!;
      expect(area, s.attrs.name).toBeDefined();
      expect([s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped].map(Number)).toEqual([
        Object.values(area.counts).reduce((a, b) => a + b, 0),
        area.counts.fail,
        area.counts.error,
        area.counts.skip + area.counts.waived,
      ]);
      expect(s.props['area.score']).toBe(String(area.score));
    }
    for (const k of ['tests', 'failures', 'errors', 'skipped']) {
      expect(Number(root[k]), k).toBe(suites.reduce((n, s) => n + Number(s.attrs[k]), 0));
    }
    const c = r.counts;
    expect([root.tests, root.failures, root.errors, root.skipped].map(Number)).toEqual([
      c.pass + c.fail + c.error + c.skip + c.waived,
      c.fail,
      c.error,
      c.skip + c.waived,
    ]);
    expect(suites.map((s) => s.attrs.name)).toEqual(r.areas.map((a) => a.area));
  });

  it('one testcase per check, in its area, named by title and id, with the outcome its status means', () => {
    const r = report();
    const cases = read(renderJunit(r)).suites.flatMap((s) => s.cases.map((c) => ({ ...c, suite: s.attrs.name })));
    expect(cases).toHaveLength(r.results.length);
    const want: Record<Result['status'], string> = { pass: 'pass', fail: 'failure', error: 'error', skip: 'skipped', waived: 'skipped' };
    // Suites group by area, so compare in that order.
    const byArea = r.areas.flatMap((a) => r.results.filter((x) => x.area === a.area));
    byArea.forEach((x, i) => {
      const c = cases[i]!;
      expect(c.attrs.name).toBe(sanitize(`${x.title} [${x.id}]`));
      expect(c.attrs.classname).toBe(x.area);
      expect(c.suite).toBe(x.area);
      expect(kind(c.inner), x.id).toBe(want[x.status]);
      expect(c.attrs.file).toBe((x.anchor ?? x.source).file);
      expect(c.attrs.line).toBe(String((x.anchor ?? x.source).line));
    });
  });

  it('carries the timestamp, hostname, verdict and score as properties of every suite', () => {
    const r = report();
    for (const s of read(renderJunit(r)).suites) {
      expect(s.attrs.timestamp).toBe(r.generatedAt.replace(/\.\d+Z$/, ''));
      expect(s.attrs.hostname).toBe(sanitize(r.host.hostname));
      expect(s.props).toMatchObject({
        generatedAt: r.generatedAt,
        verdict: r.ready ? 'ready' : 'not ready',
        score: String(r.score),
        threshold: String(r.threshold),
        policy: sanitize(r.policy.name),
      });
    }
  });

  it('is valid XML 1.0 text: no character XML cannot hold, no raw markup from the report, ends with a newline', () => {
    const xml = renderJunit(report());
    expect(xml).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F]/);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('CDATA');
    // Every & starts an entity or character reference.
    expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
  });

  it('does not change the report it renders, and renders it the same way twice', async () => {
    expectPureRender(renderJunit, report());
  });
});

describe('what a failure, an error and a waiver say', () => {
  it('a failure: message and severity as attributes; expected, actual, message and remediation in the body', () => {
    const xml = renderJunit(reports.get('extends')!);
    const m =
      /<testcase name="Listen backlog absorbs connection bursts \[kernel\.somaxconn\]" classname="kernel"[^>]*>\n\s*<failure message="([^"]*)" type="high">([\s\S]*?)<\/failure>/.exec(
        xml,
      );
    expect(m).not.toBeNull();
    expect(m![1]).toBe('net.core.somaxconn is 128, not &gt;= 4096');
    const text = unescape(m![2]!);
    expect(text).toMatch(
      /^expected: {4}>= 4096\nactual: {6}128\nmessage: {5}net\.core\.somaxconn is 128, not >= 4096\nremediation: echo 'net\.core\.somaxconn = 65535' >> /,
    );
    expect(text).toContain('at:          policies/baseline.yaml:20:5 (built in, from the extends entry at fixtures/reports/extends-baseline.yaml:8:5)');
  });

  it('built-in checks point at the extends line, the team check at its own line', () => {
    const xml = renderJunit(reports.get('extends')!);
    expect(xml).toMatch(
      /name="Listen backlog absorbs connection bursts \[kernel\.somaxconn\]" classname="kernel" time="0" file="fixtures\/reports\/extends-baseline\.yaml" line="8"/,
    );
    expect(xml).toMatch(
      /name="Listen backlog fits a traffic spike \[web\.somaxconn\]" classname="kernel" time="0" file="fixtures\/reports\/extends-baseline\.yaml" line="12"/,
    );
  });

  it('an error says it could not be checked and why', () => {
    const xml = renderJunit(reports.get('errors-waived-causes')!);
    expect(xml).toContain('<error message="could not be checked: no running process named &quot;pl-nosuch&quot;" type="low">');
  });

  it('a waiver is a skip that names the reason, the expiry and what the check found', () => {
    const xml = renderJunit(reports.get('extends')!);
    expect(xml).toContain(
      '<skipped message="waived until 2027-03-31: memcached is firewalled at the edge until the move, ticket OPS-77; the check itself is fail: udp/11211 listens on all interfaces: 0.0.0.0:11211 (pl-memcached)">',
    );
  });

  it('a symptom names its root cause', () => {
    const xml = renderJunit(reports.get('errors-waived-causes')!);
    const m = /\[all\.route-default\][\s\S]*?<\/testcase>/.exec(xml)![0];
    expect(m).toContain('cause:       all.if-eth0 failed first: fix it, then audit again');
  });

  it('hostile text comes out sanitised and escaped: markup, quotes and CDATA ends as entities, newlines kept, ANSI escapes gone, the rest shown', () => {
    const xml = renderJunit(reports.get('hostile')!);
    const esc =
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; | `rm -rf` &#10; second line &quot;quoted&quot; &apos;single&apos; &amp; red ␇ \\ end &lt;U+202E&gt;exe.txt&lt;U+202C&gt; z&lt;U+200B&gt;w &lt;U+0090&gt; &#10;\ufffd';
    expect(xml).toContain(`hostname="host ${esc}"`);
    expect(xml).toContain(`<property name="policy" value="team ${esc}"/>`);
    // In element content quotes need no escaping, and a newline is a newline (continued under its label).
    expect(xml).toContain(
      esc
        .replace(/&#10;/g, '\n' + ' '.repeat(13))
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'"),
    );
  });
});

describe('implied checks', () => {
  /** errors-waived-causes with two lower checks plumbline made: one failing, one passing. */
  function withImplied(): Report {
    const r = structuredClone(reports.get('errors-waived-causes')!);
    const base = r.results[0]!;
    const implied = (id: string, status: 'fail' | 'pass'): Result => ({
      ...base,
      id,
      title: `${id} resolves`,
      area: 'probes',
      severity: 'high',
      status,
      message: status === 'fail' ? 'NXDOMAIN' : 'resolves',
      impliedBy: ['web.https'],
    });
    r.results.push(implied('implied.dns.example.com', 'fail'), implied('implied.tcp.example.com:443', 'pass'));
    return r;
  }

  it('have a suite of their own, so area suites keep the report counts, and an implied failure still fails', () => {
    const r = withImplied();
    const { root, suites } = read(renderJunit(r));
    expect(suites.map((s) => s.attrs.name)).toEqual([...r.areas.map((a) => a.area), 'probes (implied)']);
    const implied = suites.at(-1)!;
    expect(implied.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0', skipped: '0' });
    expect(implied.props.scored).toMatch(/^no: /);
    expect(implied.cases.map((c) => c.attrs.classname)).toEqual(['probes', 'probes']);
    const c = r.counts;
    expect(Number(root.tests)).toBe(c.pass + c.fail + c.error + c.skip + c.waived + 2);
    expect(Number(root.failures)).toBe(c.fail + 1);
    expect(implied.cases[0]!.inner).toContain('implied by:  web.https');
  });
});

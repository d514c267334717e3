// The markdown (GitHub job summary) renderer: golden files over every fixture report, and what a golden file
// cannot say by itself: the order a reader meets things in, the 1 MiB budget and its count line, that hostile
// text stays text, and that the report is only read.
//
//   UPDATE_GOLDEN=1 npx vitest run test/unit/report/markdown.test.ts   # rewrite, then read the diff
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { digestOf, golden, expectPureRender } from '../../helpers/golden.js';
import { fixtureReport, fixtureReports, HOSTILE, REPORT_NAMES, type ReportName } from '../../helpers/reports.js';
import { MARKDOWN_BUDGET, renderMarkdown } from '../../../src/report/markdown.js';
import type { Report } from '../../../src/report/model.js';
import type { ReportResult as Result } from '../../../src/report/model.js';

const GOLDEN = fileURLToPath(new URL('./golden/markdown/', import.meta.url));
const MIB = 1024 * 1024;
let reports: Map<ReportName, Report>;

beforeAll(async () => {
  reports = await fixtureReports();
});

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The tags the renderer itself writes; anything else that looks like a tag came through unescaped. */
const OWN_TAGS = new Set(['<br>', '<details>', '</details>', '<summary>', '</summary>', '<sub>', '</sub>']);

/** The check entries a rendering shows: list items and table rows that start with a check's id. */
function shownChecks(md: string): number {
  return md.split('\n').filter((l) => /^\s*- (❌|⚠️|🔕|✅|⏭️) \*\*[A-Z]+\*\* · \*\*/.test(l) || /^\| \*\*/.test(l)).length;
}

/** Cells of a table row, split on the pipes markdown would split on (not `\|`). */
function cells(line: string): number {
  return line.split(/(?<!\\)\|/).length - 2;
}

describe.each(REPORT_NAMES)('%s', (name) => {
  it('matches the golden file', () => {
    if (name === 'large') golden(`${GOLDEN}${name}.md.digest`, digestOf(renderMarkdown(reports.get(name)!)));
    else golden(`${GOLDEN}${name}.md`, renderMarkdown(reports.get(name)!));
  });

  it('does not change the report and renders the same twice', async () => {
    expectPureRender(renderMarkdown, await fixtureReport(name));
  });

  it('stays under the budget, and its tables keep their columns', () => {
    const md = renderMarkdown(reports.get(name)!);
    expect(bytes(md)).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    let columns = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      if (columns === 0) columns = cells(line);
      expect(cells(line), line).toBe(columns);
    }
  });
});

describe('order', () => {
  it('verdict and reason, score against threshold, host and policy come first', () => {
    const report = reports.get('not-ready')!;
    const lines = renderMarkdown(report).split('\n');
    expect(lines[0]).toBe('## ❌ NOT READY — plumbline production-readiness audit');
    expect(lines[2]).toContain(report.verdictReason);
    expect(lines[4]).toBe(`- **Score:** ${report.score}% — below the threshold of ${report.threshold}%`);
    expect(lines[6]).toContain(`**Host:** ${report.host.hostname}`);
    expect(lines[7]).toContain(`**Policy:** ${report.policy.name}`);
    expect(renderMarkdown(reports.get('ready')!).split('\n')[0]).toBe('## ✅ READY — plumbline production-readiness audit');
  });

  it('root causes, then failures, errors, waived, skipped, passed', () => {
    const md = renderMarkdown(reports.get('errors-waived-causes')!);
    const at = ['| Area |', '### 🎯 Root causes', '### ❌ Other failures', '### ⚠️ Could not check', '### 🔕 Waived', '⏭️ Skipped', '✅ Passed'].map((h) =>
      md.indexOf(h),
    );
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('lists a root cause in full with its symptoms under it on one line each, and not again among the failures', () => {
    const report = reports.get('errors-waived-causes')!;
    const md = renderMarkdown(report);
    const cause = report.rootCauses[0]!;
    const [causes, rest] = md.split('### ❌ Other failures');
    expect(causes).toContain(`**${cause.id}**`);
    for (const id of cause.explains) {
      expect(causes).toMatch(
        new RegExp(`^    - ❌ \\*\\*[A-Z]+\\*\\* · \\*\\*${id.replace(/\./g, '\\.')}\\*\\* .*_\\(← ${cause.id.replace(/\./g, '\\.')}\\)_$`, 'm'),
      );
      expect(rest).not.toContain(`**${id}**`);
    }
    expect(rest).not.toContain(`**${cause.id}**`);
  });

  it('failures run worst first, and every failure has its fix when the policy gave one', () => {
    const report = reports.get('not-ready')!;
    const md = renderMarkdown(report);
    const failures = md.split('### ❌ Failures')[1]!.split('\n### ')[0]!;
    const severities = [...failures.matchAll(/^- ❌ \*\*([A-Z]+)\*\*/gm)].map((m) => m[1]);
    expect(severities.length).toBe(report.counts.fail);
    const rank = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
    expect([...severities].sort((a, b) => rank.indexOf(a!) - rank.indexOf(b!))).toEqual(severities);
    const fixes = report.results.filter((r) => r.status === 'fail' && r.remediation).length;
    expect([...failures.matchAll(/^ {2}- \*\*Fix:\*\* /gm)].length).toBe(fixes);
  });

  it('folds passes and skips away, and shows the waiver reason and expiry', () => {
    const report = reports.get('errors-waived-causes')!;
    const md = renderMarkdown(report);
    expect(md).toMatch(new RegExp(`<details><summary>✅ Passed \\(${report.counts.pass}\\)</summary>\\n\\n\\| Check`));
    expect(md).toMatch(new RegExp(`<details><summary>⏭️ Skipped \\(${report.counts.skip}\\)`));
    const waived = report.results.find((r) => r.status === 'waived')!;
    expect(md).toContain(`| ${waived.waiver!.reason} | ${waived.waiver!.expires} |`);
  });
});

describe('implied lower checks', () => {
  function withImplied(): Report {
    const report = structuredClone(reports.get('errors-waived-causes')!);
    const base = report.results[0]!;
    const implied = (id: string, status: Result['status']): Result => ({ ...base, id, title: `implied ${id}`, status, impliedBy: ['all.somaxconn'] });
    report.results.push(implied('implied.dns.quiet', 'pass'), implied('implied.tcp.cause:443', 'fail'));
    const upper = report.results.find((r) => r.id === 'all.somaxconn')!;
    upper.cause = 'implied.tcp.cause:443';
    report.rootCauses.push({ id: 'implied.tcp.cause:443', explains: ['all.somaxconn'] });
    return report;
  }

  it('shows an implied check only where it explains a failure, and says it is not scored', () => {
    const md = renderMarkdown(withImplied());
    expect(md).not.toContain('implied.dns.quiet');
    expect(md).toMatch(/\*\*implied\.tcp\.cause:443\*\* — implied implied\.tcp\.cause:443 _\(made by plumbline for the checks it explains; not scored\)_/);
  });
});

describe('escaping', () => {
  const md = (): string => renderMarkdown(reports.get('hostile')!);

  it('lets no markup through: every tag is one the renderer writes itself', () => {
    const tags = new Set(md().match(/<\/?[A-Za-z][^>]*>/g));
    expect([...tags].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    expect(md()).not.toMatch(/<script|<\/script/i);
    expect(md()).toContain('&lt;script&gt;alert("x")&lt;/script&gt;');
  });

  it('sanitises: terminal escapes gone, every other control or invisible character shown', () => {
    // Newline is the only control character markdown needs.
    expect(md()).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(md()).not.toContain('[31m');
    expect(md()).toContain('&amp; red ␇ \\\\ end &lt;U+202E&gt;exe.txt&lt;U+202C&gt; z&lt;U+200B&gt;w &lt;U+0090&gt;<br>\ufffd');
  });

  it('escapes what markdown would read: pipes, backticks, brackets, and a newline never starts a line', () => {
    const text = md();
    expect(text).toContain('\\]\\]&gt; \\| \\`rm -rf\\`<br>second line');
    expect(text).not.toMatch(/^second line/m);
    // Every heading is one of the renderer's own.
    for (const line of text.split('\n').filter((l) => l.startsWith('#'))) expect(line).toMatch(/^#{2,3} (❌|✅|🎯|⚠️|🔕) /);
    // The hostile text appears in a table cell of the waived table without adding a column (checked for every
    // table above); here: it is there at all.
    expect(text).toMatch(/^\| \*\*all\.fw-output-drop\*\* .*Egress filtering is done by the upstream proxy &lt;script&gt;/m);
  });

  it('keeps the hostile hostname and policy name on their own line', () => {
    const lines = md().split('\n');
    expect(lines.find((l) => l.startsWith('- **Host:**'))).toContain(`host &lt;script&gt;`);
    expect(lines.find((l) => l.startsWith('- **Policy:**'))).toContain(`team &lt;script&gt;`);
    expect(HOSTILE).toContain('\n');
  });
});

describe('the 1 MiB budget', () => {
  it('the 5,000-check report fits, leaving passes out first, and says exactly how many checks it left out', () => {
    const report = reports.get('large')!;
    const md = renderMarkdown(report);
    expect(bytes(md)).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(MARKDOWN_BUDGET).toBeLessThan(MIB);
    const m = md.match(
      /\*\*(\d+) of (\d+) checks left out\*\* to keep this summary under GitHub's 1 MiB limit: ([^.]+)\. Every check, with its detail, is in the JSON report/,
    );
    expect(m).not.toBeNull();
    const [, gone, total, what] = m!;
    expect(Number(total)).toBe(report.results.length);
    expect(Number(gone) + shownChecks(md)).toBe(report.results.length);
    // Passes go first, then skips; every failure, error and waiver is still there.
    const passes = report.counts.pass;
    expect(what).toBe(Number(gone) <= passes ? `${gone} passed checks` : `${passes} passed checks, ${Number(gone) - passes} skipped checks`);
    for (const r of report.results.filter((x) => x.status === 'fail' || x.status === 'error' || x.status === 'waived')) expect(md).toContain(`**${r.id}**`);
    expect(md).toContain('passed checks left out here to fit the summary (see the end).');
  });

  it('a report of only severe failures still fits, leaving the least severe out first', () => {
    const base = reports.get('errors-waived-causes')!;
    const report = structuredClone(base);
    const failures = base.results.filter((r) => r.status === 'fail' && !r.cause);
    report.results = Array.from({ length: 6000 }, (_, i) => {
      const r = failures[i % failures.length]!;
      return { ...r, id: `${r.id}.${i}`, remediation: `${r.remediation ?? 'fix it'} ${'x'.repeat(200)}` };
    });
    report.rootCauses = [];
    const md = renderMarkdown(report);
    expect(bytes(md)).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    const m = md.match(/\*\*(\d+) of 6000 checks left out\*\*[^:]*: (\d+) failures\./)!;
    expect(m[1]).toBe(m[2]);
    expect(Number(m[1]) + shownChecks(md)).toBe(6000);
    // What stayed is the most severe: every critical failure is there.
    const critical = report.results.filter((r) => r.severity === 'critical').length;
    expect([...md.matchAll(/^- ❌ \*\*CRITICAL\*\*/gm)].length).toBe(critical);
    expect(md).toContain('less severe failures left out here to fit the summary');
  });

  it('one runaway field is cut, not the report', () => {
    const report = structuredClone(reports.get('not-ready')!);
    report.results[0]!.message = 'y'.repeat(3 * MIB);
    report.results[0]!.status = 'error';
    const md = renderMarkdown(report);
    expect(bytes(md)).toBeLessThan(100 * 1024);
    expect(md).toMatch(/y… \(\d+ more characters in the JSON report\)/);
  });
});

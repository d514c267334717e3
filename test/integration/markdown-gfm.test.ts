// The markdown reports read by cmark-gfm, GitHub's own CommonMark implementation (Debian's cmark-gfm), as a job
// summary or a pull-request comment is read: with the table extension, and with raw HTML let through
// (--unsafe), so that any markup report text could smuggle in would show in the HTML. For every fixture report
// and for a diff: the only elements are the ones the renderers write, no table row gains or loses a cell, no
// report text becomes a heading, and the hostile text reads literally.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { diffReports } from '../../src/report/diff.js';
import { renderDiffMarkdown } from '../../src/report/diff-render.js';
import { REPORT_NAMES, fixtureReport, fixtureReports } from '../helpers/reports.js';
import { FLEET_NAMES, SPECIAL_NAME, fixtureFleet } from '../helpers/fleets.js';
import { renderFleetMarkdown } from '../../src/report/fleet/markdown.js';
import { diffFleets } from '../../src/report/fleet/diff.js';
import { renderFleetDiffMarkdown } from '../../src/report/fleet/diff-render.js';

const CI = process.env.CI === 'true';
const probe = spawnSync('cmark-gfm', ['--version'], { stdio: 'ignore' });
const missing = probe.error ? `cmark-gfm is not installed (${(probe.error as NodeJS.ErrnoException).code})` : null;
if (missing && !CI) console.log(`skipping the cmark-gfm markdown tests: ${missing}`);

/** What the renderers' own markdown and HTML come out as; anything else came from report text. */
const ELEMENTS = new Set([
  'h2',
  'h3',
  'h4',
  'p',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'code',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'sub',
  'blockquote',
  'hr',
]);

function gfm(markdown: string): string {
  const r = spawnSync('cmark-gfm', ['--unsafe', '-e', 'table', '-e', 'strikethrough', '-e', 'autolink', '--to', 'html'], {
    input: markdown,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function checkHtml(html: string): void {
  // A policy's refs are URLs, which GitHub links (autolink); a link to anything but http(s) came from elsewhere.
  for (const m of html.matchAll(/<a ([^>]*)>/g)) expect(m[1]).toMatch(/^href="https?:\/\/[^"]+"$/);
  html = html.replace(/<\/?a\b[^>]*>/g, '');
  const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
  expect([...tags].filter((t) => !ELEMENTS.has(t))).toEqual([]);
  // Every row of a table has as many cells as its header.
  for (const table of html
    .split('<table>')
    .slice(1)
    .map((t) => t.split('</table>')[0]!)) {
    const rows = table
      .split('<tr>')
      .slice(1)
      .map((r) => (r.match(/<t[hd][ >]/g) ?? []).length);
    expect(new Set(rows).size, `a table with rows of ${[...new Set(rows)].join(', ')} cells`).toBe(1);
  }
}

describe.skipIf(missing !== null && !CI)('markdown read by cmark-gfm (GitHub-flavoured)', () => {
  it('cmark-gfm is there (.ci/run installs it)', () => {
    expect(missing).toBeNull();
  });

  it.each(REPORT_NAMES)("%s: only the renderer's elements, tables intact", async (name) => {
    const html = gfm(renderMarkdown((await fixtureReports()).get(name)!));
    checkHtml(html);
    expect(html).toMatch(/<h2>/);
  });

  it('hostile text reads as the one rule shows it: the script is text, ANSI is gone, bidi and invisible characters are code points, no report text is a heading', async () => {
    const html = gfm(renderMarkdown(await fixtureReport('hostile')));
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain(
      "]]&gt; | `rm -rf`<br>second line &quot;quoted&quot; 'single' &amp; red ␇ \\ end &lt;U+202E&gt;exe.txt&lt;U+202C&gt; z&lt;U+200B&gt;w &lt;U+0090&gt;<br>\ufffd",
    );
    expect(html).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
    for (const h of html.match(/<h[1-6]>.*<\/h[1-6]>/g) ?? []) expect(h).not.toContain('script');
  });

  it('the diff of two reports as markdown, hostile text included', async () => {
    const html = gfm(renderDiffMarkdown(diffReports(await fixtureReport('ready'), await fixtureReport('hostile'))));
    checkHtml(html);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toMatch(/<h3>plumbline diff: ❌ regression<\/h3>/);
  });

  it.each(FLEET_NAMES)("fleet %s: only the renderer's elements, tables intact, every host one row", async (name) => {
    const fleet = await fixtureFleet(name);
    const html = gfm(renderFleetMarkdown(fleet));
    checkHtml(html);
    const hostsTable = html.split('<table>')[1]!;
    expect((hostsTable.match(/<tr>/g) ?? []).length).toBe(fleet.hosts.length + 1);
    for (const h of html.match(/<h[1-6]>.*<\/h[1-6]>/g) ?? []) expect(h).not.toMatch(/script|edge/);
  });

  it('fleet: a host name with markup and a newline is text in its cell; the hostile fleet runs nothing', async () => {
    const html = gfm(renderFleetMarkdown(await fixtureFleet('mixed')));
    expect(SPECIAL_NAME).toContain('<b>');
    expect(html).toContain('<td>edge-&lt;b&gt;&quot;&amp;&quot;&lt;/b&gt; | *x* `y` [z](j) #␇<br>next</td>');
    const hostile = gfm(renderFleetMarkdown(await fixtureFleet('hostile')));
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(hostile).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
  });

  it('the diff of two fleets as markdown', async () => {
    const html = gfm(renderFleetDiffMarkdown(diffFleets(await fixtureFleet('ready'), await fixtureFleet('mixed'))));
    checkHtml(html);
    expect(html).toMatch(/<h3>plumbline fleet diff: ❌ regression<\/h3>/);
  });
});

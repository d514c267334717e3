// The HTML report in a real browser: fixture reports rendered to files and opened from file:// in headless
// Chromium (Debian's /usr/bin/chromium through playwright-core). It loads nothing but itself, shows the verdict
// and the failures worst first, filters rows and counts them, runs no script from the report's text, prints
// with every row and no filter, and copes with 5,000 checks. It saves docs/report-screenshot.png.
//
// Without chromium or playwright-core the tests are skipped with the reason, except under CI=true, where they fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { fixtureReports, HOSTILE, type ReportName } from '../helpers/reports.js';
import { icmpOf, lowerLayersReport } from '../helpers/lower-layers.js';
import { renderHtml } from '../../src/report/html.js';
import { renderFleetHtml } from '../../src/report/fleet/html.js';
import { fixtureFleet } from '../helpers/fleets.js';
import { longFactsReport } from './harness/long-facts.js';
import type { Report } from '../../src/report/model.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function missing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed`;
  try {
    createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed';
  }
  return undefined;
}

const why = missing();
if (why && process.env.CI === 'true') throw new Error(`html-chromium: ${why}, and CI=true: the HTML report must be tested in a browser`);
if (why) console.log(`skipping the HTML report browser tests: ${why}`);

/**
 * How a page lays out, as a reader would notice it (page code, as text: the tests compile without the DOM's
 * types): how wide the page is against its viewport; the tables that reach past it; the table cells narrower
 * than four characters that hold more; the short words (a run of letters and digits in a token of at most 16
 * characters) split across lines. Long tokens, paths and fingerprints, may break anywhere; a word may not.
 */
const LAYOUT = `(() => {
  const vw = document.documentElement.clientWidth;
  const shown = (el) => el.getClientRects().length > 0;
  const where = (el) => {
    const s = el.closest('section[id]');
    return (s ? '#' + s.id + ' ' : '') + (el.textContent || '').trim().slice(0, 40);
  };
  const wideTables = [];
  for (const t of document.querySelectorAll('table')) {
    if (!shown(t)) continue;
    const r = t.getBoundingClientRect();
    if (r.left < 0 || r.right > vw + 0.5) wideTables.push(where(t) + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
  }
  const ctx = document.createElement('canvas').getContext('2d');
  const narrowCells = [];
  for (const c of document.querySelectorAll('td, th')) {
    const text = (c.textContent || '').trim();
    if (!text || !shown(c)) continue;
    const cs = getComputedStyle(c);
    ctx.font = cs.font;
    const inner = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (inner + 0.5 < Math.min(4 * ctx.measureText('0').width, ctx.measureText(text).width)) narrowCells.push(where(c) + ' ' + Math.round(inner) + 'px');
  }
  const brokenWords = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.parentElement || !shown(n.parentElement)) continue;
    for (const t of n.data.matchAll(/\\S+/g)) {
      if (t[0].length > 16) continue;
      for (const w of t[0].matchAll(/[\\p{L}\\p{N}_]{2,}/gu)) {
        const r = document.createRange();
        r.setStart(n, t.index + w.index);
        r.setEnd(n, t.index + w.index + w[0].length);
        if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) brokenWords.push(where(n.parentElement) + ': ' + w[0]);
      }
    }
  }
  return { overflow: document.documentElement.scrollWidth - vw, wideTables: wideTables.slice(0, 20), narrowCells: narrowCells.slice(0, 20), brokenWords: brokenWords.slice(0, 20) };
})()`;

interface Layout {
  overflow: number;
  wideTables: string[];
  narrowCells: string[];
  brokenWords: string[];
}

const layout = (page: Page): Promise<Layout> => page.evaluate(LAYOUT) as Promise<Layout>;
const FITS: Layout = { overflow: 0, wideTables: [], narrowCells: [], brokenWords: [] };

describe.skipIf(why !== undefined)('HTML report in Chromium', () => {
  let browser: Browser | undefined;
  let dir: string;
  let reports: Map<ReportName, Report>;
  const files = new Map<ReportName, string>();

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = mkdtempSync(join(tmpdir(), 'pl-html-'));
    reports = await fixtureReports();
    for (const [name, report] of reports) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, renderHtml(report));
      files.set(name, file);
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  interface Opened {
    page: Page;
    /** Every request the page made besides the file itself (each was refused). */
    requests: string[];
    dialogs: string[];
    errors: string[];
  }

  /** A fixture report by name, or any file by its path. */
  async function open(name: ReportName | string, viewport = { width: 1280, height: 900 }): Promise<Opened> {
    const context = await browser!.newContext({ viewport, javaScriptEnabled: true });
    const page = await context.newPage();
    const self = pathToFileURL(files.get(name as ReportName) ?? name).href;
    const opened: Opened = { page, requests: [], dialogs: [], errors: [] };
    await page.route('**', async (route) => {
      const url = route.request().url();
      if (url === self) return route.continue();
      opened.requests.push(url);
      return route.abort();
    });
    page.on('request', (r) => {
      if (r.url() !== self && !opened.requests.includes(r.url())) opened.requests.push(r.url());
    });
    page.on('dialog', async (d) => {
      opened.dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('pageerror', (e) => opened.errors.push(e.message));
    page.on('console', (m) => {
      // A Content-Security-Policy refusal is logged as an error: the page must have nothing to refuse.
      if (m.type() === 'error') opened.errors.push(m.text());
    });
    await page.goto(self, { waitUntil: 'load' });
    return opened;
  }

  async function close(o: Opened): Promise<void> {
    await o.page.context().close();
  }

  const visible = (page: Page, selector: string): Promise<number> => page.locator(`${selector}:visible`).count();

  it('loads nothing but itself, runs its script without error, and shows the verdict', async () => {
    for (const name of ['not-ready', 'ready', 'extends'] as const) {
      const o = await open(name);
      try {
        expect(o.requests, name).toEqual([]);
        expect(o.errors, name).toEqual([]);
        const pill = (await o.page.locator('.pill').textContent())!;
        expect(pill).toBe(reports.get(name)!.ready ? '✓ READY' : '✗ NOT READY');
        expect(await o.page.locator('.vreason').textContent()).toBe(reports.get(name)!.verdictReason);
        expect(await o.page.title()).toContain(reports.get(name)!.ready ? 'READY' : 'NOT READY');
        // The script ran: the filter is there.
        expect(await o.page.locator('#filters').isVisible()).toBe(true);
      } finally {
        await close(o);
      }
    }
  });

  it('lists every failure, the worst first', async () => {
    const report = reports.get('errors-waived-causes')!;
    const o = await open('errors-waived-causes');
    try {
      const rows = o.page.locator('#failures .r[data-s="fail"]');
      expect(await rows.count()).toBe(report.counts.fail);
      const rank = ['critical', 'high', 'medium', 'low', 'info'];
      const worst = report.results.filter((r) => r.status === 'fail' && !r.cause).sort((a, b) => rank.indexOf(a.severity) - rank.indexOf(b.severity))[0]!;
      expect(await rows.first().getAttribute('data-v')).toBe('critical');
      expect(await rows.first().locator('.rh .cid').textContent()).toBe(worst.id);
      expect(await rows.first().locator('.exp .val').textContent()).toBe(worst.expected);
      expect(await rows.first().locator('.act .val').textContent()).toBe(worst.actual);
      expect(await o.page.locator('#shown').textContent()).toBe(`${report.results.length} of ${report.results.length} checks shown`);
      // A symptom's link lands on its cause.
      const cause = report.rootCauses[0]!;
      await o.page.locator(`#failures .because a[href="#c-${cause.id}"]`).first().click();
      expect(await o.page.evaluate('location.hash')).toBe(`#c-${cause.id}`);
    } finally {
      await close(o);
    }
  });

  it('filters by status, severity and area, counts what it shows, and shows all again', async () => {
    const report = reports.get('errors-waived-causes')!;
    const total = report.results.length;
    const fails = report.counts.fail;
    const o = await open('errors-waived-causes');
    const { page } = o;
    try {
      expect(await visible(page, '.r[data-s="fail"]')).toBe(fails);
      await page.locator('#filters input[name="s"][value="fail"]').uncheck();
      expect(await visible(page, '.r[data-s="fail"]')).toBe(0);
      expect(await visible(page, '.r')).toBe(total - fails);
      expect(await page.locator('#shown').textContent()).toBe(`${total - fails} of ${total} checks shown`);
      expect(await page.locator('#failures h2 .n').textContent()).toBe(`0 of ${fails}`);
      expect(await page.locator('#failures .none').isVisible()).toBe(true);
      await page.locator('#filters input[name="s"][value="fail"]').check();
      expect(await visible(page, '.r[data-s="fail"]')).toBe(fails);
      expect(await page.locator('#shown').textContent()).toBe(`${total} of ${total} checks shown`);

      const critical = report.results.filter((r) => r.severity === 'critical').length;
      for (const v of ['high', 'medium', 'low', 'info']) await page.locator(`#filters input[name="v"][value="${v}"]`).uncheck();
      expect(await visible(page, '.r')).toBe(critical);
      await page.locator('#filters button[type="reset"]').click();
      await expect.poll(() => visible(page, '.r')).toBe(total);

      const area = report.areas[0]!;
      await page.locator('#filters select[name="a"]').selectOption(area.area);
      const inArea = report.results.filter((r) => r.area === area.area).length;
      expect(await visible(page, '.r')).toBe(inArea);
      expect(await page.locator('#shown').textContent()).toBe(`${inArea} of ${total} checks shown`);
      await page.locator('#filters select[name="a"]').selectOption('');

      await page.locator('#filters input[name="q"]').fill('somaxconn');
      await expect
        .poll(() => visible(page, '.r'))
        .toBe(report.results.filter((r) => /somaxconn/i.test(`${r.id} ${r.title} ${r.message} ${r.expected} ${r.actual} ${r.remediation ?? ''}`)).length);
      await page.locator('#filters input[name="q"]').fill('');
      await expect.poll(() => visible(page, '.r')).toBe(total);
    } finally {
      await close(o);
    }
  });

  it('the hostile report runs no script from its text and shows the text literally', async () => {
    const o = await open('hostile');
    try {
      expect(o.dialogs).toEqual([]);
      expect(o.requests).toEqual([]);
      expect(o.errors).toEqual([]);
      expect(await o.page.evaluate('document.scripts.length')).toBe(1);
      expect(await o.page.evaluate('window.__pwned')).toBeUndefined();
      expect(await o.page.locator('img, iframe, object, embed, link').count()).toBe(0);
      const title = (await o.page.locator('#failures .r .ttl').filter({ hasText: '<script>' }).first().textContent())!;
      // The hostile text as the one rule shows it: markup as text, no terminal escapes, the bell as its picture,
      // the bidi override, the zero-width space and the C1 control as code points, the lone surrogate as U+FFFD.
      expect(title).toContain(
        '<script>alert("x")</script> ]]> | `rm -rf` \n second line "quoted" \'single\' & red ␇ \\ end <U+202E>exe.txt<U+202C> z<U+200B>w <U+0090> \n\ufffd',
      );
      expect(title).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
      expect(HOSTILE).toContain('\x1b[31m');
      expect(await o.page.locator('h1').textContent()).toContain('host <script>alert("x")</script>');
    } finally {
      await close(o);
    }
  });

  it('a report that would run script in the DOM cannot: the page blocks any script but its own', async () => {
    // Escaping is the first line; the policy is the second. Bypass the first and the second still holds.
    const o = await open('not-ready');
    try {
      // Page code, as text: the tests compile without the DOM's types.
      await o.page.evaluate(`(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = 1';
        document.body.appendChild(s);
        const d = document.createElement('div');
        d.innerHTML = '<img src="x" onerror="window.__pwned = 2">';
        document.body.appendChild(d);
      })()`);
      await o.page.waitForTimeout(100);
      expect(await o.page.evaluate('window.__pwned')).toBeUndefined();
      // The refused image is a request the route saw and refused too.
      expect(o.requests.every((u) => !u.startsWith('http'))).toBe(true);
    } finally {
      await close(o);
    }
  });

  it('prints every row, without the filter', async () => {
    const report = reports.get('errors-waived-causes')!;
    const o = await open('errors-waived-causes');
    const { page } = o;
    try {
      // Filtered on screen, then printed: paper gets everything.
      await page.locator('#filters input[name="s"][value="pass"]').uncheck();
      await page.locator('#filters input[name="s"][value="fail"]').uncheck();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#filters').isVisible()).toBe(false);
      expect(await visible(page, '.r')).toBe(report.results.length);
      expect(await visible(page, '#facts .fam')).toBe(Object.keys(report.facts!).length - 1);
      const pill = await page.evaluate("getComputedStyle(document.querySelector('.pill')).backgroundColor");
      expect(pill).toBe('rgb(255, 255, 255)');
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.length).toBeGreaterThan(10_000);
    } finally {
      await close(o);
    }
  });

  it('without script, every row shows and there is no filter', async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(files.get('errors-waived-causes')!).href);
      expect(await page.locator('#filters').isVisible()).toBe(false);
      expect(await visible(page, '.r')).toBe(reports.get('errors-waived-causes')!.results.length);
    } finally {
      await context.close();
    }
  });

  it('the 5,000-check report loads and filters in bounded time', async () => {
    const report = reports.get('large')!;
    const started = Date.now();
    const o = await open('large');
    const { page } = o;
    try {
      expect(o.errors).toEqual([]);
      expect(await page.locator('.r').count()).toBe(5000);
      await page.locator('#filters input[name="s"][value="fail"]').uncheck();
      await expect.poll(() => page.locator('#shown').textContent()).toBe(`${5000 - report.counts.fail} of 5000 checks shown`);
      await page.locator('#filters input[name="s"][value="fail"]').check();
      await page.locator('#filters input[name="q"]').fill('redis');
      await expect.poll(() => page.locator('#shown').textContent()).not.toBe('5000 of 5000 checks shown');
      // A hang guard, not a benchmark.
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await close(o);
    }
  }, 60_000);

  it('every table of a real host with long facts fits a 1,280 px page, and no cell breaks a short word', async () => {
    const { report, stop } = await longFactsReport(dir);
    try {
      // What the appendix must lay out: a chain with a long subject and forty names at a long path, the same
      // chain from a live probe and from the host's TLS listener, a process whose command line holds those
      // paths, forty more listeners.
      const facts = report.facts!;
      expect(JSON.stringify(facts.certificates)).toContain('service-40.payments-gateway');
      expect(JSON.stringify(facts.tlsListeners)).toContain('Example Corporation Internal Issuing CA G3 2026');
      expect(JSON.stringify(facts.probes)).toContain('fingerprint256');
      const sockets = facts.sockets as { listeners: unknown[] };
      expect(sockets.listeners.length).toBeGreaterThan(40);
      const file = join(dir, 'long-facts.html');
      writeFileSync(file, renderHtml(report));
      const o = await open(file);
      try {
        expect(o.errors).toEqual([]);
        expect(await layout(o.page)).toEqual(FITS);
      } finally {
        await close(o);
      }
    } finally {
      await stop();
    }
  }, 120_000);

  it('every fixture report fits a 1,280 px page, and no cell breaks a short word', async () => {
    for (const name of ['ready', 'ready-with-failures', 'not-ready', 'errors-waived-causes', 'extends', 'hostile'] as const) {
      const o = await open(name);
      try {
        expect(await layout(o.page), name).toEqual(FITS);
      } finally {
        await close(o);
      }
    }
  });

  it('the neighbour table and the pings, path MTU probes and tracepaths fit a 1,280 px page, every row shown', async () => {
    const base = reports.get('ready')!;
    for (const [name, report] of [
      ['lower-layers', await lowerLayersReport(base)],
      ['not-sent', { ...base, facts: { ...base.facts!, icmp: icmpOf('bad') } }],
    ] as const) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, renderHtml(report));
      const o = await open(file);
      try {
        expect(o.errors).toEqual([]);
        expect(await layout(o.page), name).toEqual(FITS);
        const icmp = report.facts!.icmp as { pings: object; tracepaths: object };
        // Each ping and tracepath a row, below its header row.
        expect(await o.page.locator('#f-icmp tr').count()).toBe(Object.keys(icmp.pings).length + Object.keys(icmp.tracepaths).length + 2);
        if (name === 'lower-layers') expect(await o.page.locator('#f-neighbours tr').count()).toBe(4 + 1 + 1 + 1);
      } finally {
        await close(o);
      }
    }
  });

  it('saves the screenshot of a not-ready report', async () => {
    const o = await open('errors-waived-causes');
    try {
      await o.page.screenshot({ path: join(ROOT, 'docs/report-screenshot.png') });
      expect(existsSync(join(ROOT, 'docs/report-screenshot.png'))).toBe(true);
    } finally {
      await close(o);
    }
  });

  it("a fleet page: loads nothing, shows the fleet verdict and every host, links to each host, and filters every host's checks", async () => {
    const fleet = await fixtureFleet('mixed');
    const file = join(dir, 'fleet-mixed.html');
    writeFileSync(file, renderFleetHtml(fleet));
    const o = await open(file);
    const { page } = o;
    try {
      expect(o.requests).toEqual([]);
      expect(o.errors).toEqual([]);
      expect(o.dialogs).toEqual([]);
      expect(await page.locator('.hero .pill').first().textContent()).toBe('✗ NOT READY');
      expect(await page.locator('.hero .vreason').first().textContent()).toBe(fleet.verdictReason);
      expect(await page.title()).toBe('NOT READY · fleet of 6 · baseline — plumbline');
      const rows = page.locator('#hosts tbody tr');
      expect(await rows.count()).toBe(fleet.hosts.length);
      // The host with markup in its name reads as its text (the escape sequence dropped, the bell and newline shown).
      expect(await rows.nth(2).locator('td').first().textContent()).toBe('edge-<b>"&"</b> | *x* `y` [z](j) #␇\nnext');
      // Each row links to its host's section, which holds that host's checks under its own ids.
      await rows.nth(4).locator('a').click();
      const hash = (await page.evaluate('location.hash')) as string;
      const section = page.locator(`section.host[id="${hash.slice(1)}"]`);
      expect(await section.locator('h2.hosth').textContent()).toContain('web-02');
      const web02 = fleet.hosts.find((h) => h.name === 'web-02')!.report!;
      expect(await section.locator('.r').count()).toBe(web02.results.filter((r) => !r.impliedBy || web02.rootCauses.some((c) => c.id === r.id)).length);
      // One filter over every host: its count is every host's checks, and unticking failures hides every host's.
      const total = await page.locator('.r').count();
      expect(await page.locator('#shown').textContent()).toBe(`${total} of ${total} checks shown`);
      const fails = await page.locator('.r[data-s="fail"]').count();
      expect(fails).toBe(fleet.hosts.reduce((n, h) => n + (h.report?.results.filter((r) => r.status === 'fail').length ?? 0), 0));
      await page.locator('#filters input[name="s"][value="fail"]').uncheck();
      expect(await visible(page, '.r')).toBe(total - fails);
      // Unaudited hosts say why, in their own section.
      expect(await page.locator('section.host').filter({ hasText: 'Could not be audited' }).count()).toBe(2);
      await page.screenshot({ path: join(dir, 'fleet.png'), fullPage: false });
    } finally {
      await close(o);
    }
  });

  it('the hostile fleet runs no script from a host name, address or fault detail', async () => {
    const file = join(dir, 'fleet-hostile.html');
    writeFileSync(file, renderFleetHtml(await fixtureFleet('hostile')));
    const o = await open(file);
    try {
      expect(o.dialogs).toEqual([]);
      expect(o.requests).toEqual([]);
      expect(o.errors).toEqual([]);
      expect(await o.page.evaluate('document.scripts.length')).toBe(1);
      expect(await o.page.locator('img, iframe, object, embed, link').count()).toBe(0);
      expect(await o.page.locator('#hosts tbody tr').first().textContent()).toContain('<script>alert("x")</script>');
    } finally {
      await close(o);
    }
  });
});

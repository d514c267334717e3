// The one rule for a long list (src/report/listing.ts) in every format: a host with 104 listeners outside its
// allow-list, each its own process over its limit of open files (allowListReport). Each format lists the first
// ten items once, says "… and 94 more" once, and never names the other 94, nor lists the ten again in a message
// beside them; the JSON report keeps every item. Before the rule, the HTML card listed 25 items and then the
// message with all 104, JUnit's body listed all 104 three times, SARIF and the annotations put the whole list in the
// message and the actual beside it, and a fleet's summary clipped the message mid-item; the terminal and the
// markdown report already listed ten, and hold to the rule here with the others.
import { beforeAll, describe, expect, it } from 'vitest';
import { allowListReport, EXTRA_LISTENERS, extraMentions } from '../../helpers/reports.js';
import type { Report } from '../../../src/report/model.js';
import { renderPretty } from '../../../src/report/pretty.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { renderFleetMarkdown } from '../../../src/report/fleet/markdown.js';
import { buildFleetReport } from '../../../src/report/fleet/build.js';
import { annotationsFor } from '../../../src/action/annotations.js';

/** The first ten extra items named once each, the other 94 never. */
const TEN_ONCE = Array.from({ length: EXTRA_LISTENERS }, (_, i) => (i < 10 ? 1 : 0));
const IDS = ['listen.allow-list', 'limits.nofile'] as const;

let report: Report;
beforeAll(async () => {
  report = await allowListReport();
});

/** Where `what` first occurs in `text` at or after `from` (a string is looked for as it is), or -1. */
function find(text: string, what: string | RegExp, from = 0): number {
  if (typeof what === 'string') return text.indexOf(what, from);
  const at = text.slice(from).search(what);
  return at < 0 ? -1 : from + at;
}

/** The text from a start that must occur to the first end after it (or to the end of the text). */
function between(text: string, start: string | RegExp, end: string | RegExp): string {
  const from = find(text, start);
  expect(from, String(start)).toBeGreaterThanOrEqual(0);
  const to = find(text, end, from + 1);
  return text.slice(from, to < 0 ? undefined : to);
}

function once(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('a list of 104 items, cut once and the same way in every format', () => {
  it('the JSON report keeps every item and finding; its message names ten, then how many more', () => {
    const r = report.results.find((x) => x.id === 'listen.allow-list')!;
    expect(r.status).toBe('fail');
    expect(r.details!.filter((d) => d.status === 'fail')).toHaveLength(EXTRA_LISTENERS);
    expect(r.reason!.also).toHaveLength(EXTRA_LISTENERS - 1);
    expect(extraMentions(r.message)).toEqual(TEN_ONCE);
    expect(r.message).toMatch(/\(pl-extra-10\): not in the allow-list; and 94 more$/);
    const limits = report.results.find((x) => x.id === 'limits.nofile')!;
    expect(limits.message).toMatch(/^104 of 106 processes fail: pl-extra-1\[30001\], .*, pl-extra-10\[30010\], and 94 more$/);
  });

  it('pretty: each finding lists ten items and how many more; nothing names the others', () => {
    const text = renderPretty(report, { color: false });
    for (const id of IDS) {
      const block = between(text, new RegExp(` ${id.replace('.', '\\.')}  `), /\n\n/);
      expect(extraMentions(block), id).toEqual(TEN_ONCE);
      expect(block).toContain('      actual    106 checked, 104 not passing:\n');
      expect(once(block, '… and 94 more (all in the JSON report)')).toBe(1);
    }
    expect(extraMentions(text).slice(10)).toEqual(TEN_ONCE.slice(10));
  });

  it('markdown (the job summary): ten items and how many more, no message repeating them', () => {
    const text = renderMarkdown(report);
    for (const id of IDS) {
      const block = between(text, `**${id}**`, /\n- ❌|\n\n/);
      expect(extraMentions(block), id).toEqual(TEN_ONCE);
      expect(once(block, '_… and 94 more (all in the JSON report)_')).toBe(1);
      expect(block).not.toContain('**Why:**');
    }
    expect(extraMentions(text)).toEqual(TEN_ONCE.map((n) => n * IDS.length));
  });

  it('HTML: the card lists ten items and how many more, and no message repeats them', () => {
    const html = renderHtml(report);
    for (const id of IDS) {
      const card = between(html, `id="c-${id}"`, '</article>');
      expect(extraMentions(card), id).toEqual(TEN_ONCE);
      expect(once(card, '<li class="more">… and 94 more (all in the JSON report)</li>')).toBe(1);
      expect(card).toContain('<div class="lbl">Actual</div><div class="val"><span class="txt">106 checked, 104 not passing</span>');
      expect(card).not.toContain('class="msg"');
    }
    // Before the facts appendix (which shows every listener as collected), nothing names the others.
    expect(extraMentions(html.slice(0, html.indexOf('<section class="appendix"')))).toEqual(TEN_ONCE.map((n) => n * IDS.length));
  });

  it('a waived check: the HTML row says how many, and the message names ten', () => {
    const waived = structuredClone(report);
    const r = waived.results.find((x) => x.id === 'listen.allow-list')!;
    Object.assign(r, { status: 'waived', waiver: { reason: 'moving to the mesh', status: 'fail' } });
    const html = renderHtml(waived);
    const row = between(html, 'id="c-listen.allow-list"', '</tr>');
    expect(row).toContain('106 checked, 104 not passing');
    expect(extraMentions(row)).toEqual(TEN_ONCE);
  });

  it("JUnit: the failure's message names ten and how many more; its body lists ten items and how many more", () => {
    const xml = renderJunit(report);
    for (const id of IDS) {
      const testcase = between(xml, `[${id}]"`, '</testcase>');
      const message = /<failure message="([^"]*)"/.exec(testcase)![1]!;
      const body = testcase.slice(testcase.indexOf('>', testcase.indexOf('<failure')));
      expect(extraMentions(message), id).toEqual(TEN_ONCE);
      expect(message).toMatch(/[,;] and 94 more$/);
      expect(body).toContain('\nactual:      106 checked, 104 not passing\n');
      expect(extraMentions(body), id).toEqual(TEN_ONCE);
      expect(once(body, '… and 94 more (all in the JSON report)')).toBe(1);
    }
  });

  it('SARIF: each result says how many, lists ten and how many more', () => {
    const sarif = JSON.parse(renderSarif(report)) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    for (const id of IDS) {
      const text = sarif.runs[0]!.results.find((x) => x.ruleId === id)!.message.text;
      expect(text).toContain('actual 106 checked, 104 not passing.\nNot passing (104 of 106):\n');
      expect(extraMentions(text), id).toEqual(TEN_ONCE);
      expect(text.endsWith('\n- … and 94 more (all in the JSON report)')).toBe(true);
    }
  });

  it('the Action: each annotation names ten items once, says how many more, and stays small', () => {
    const { annotations } = annotationsFor(report, () => true);
    expect(annotations).toHaveLength(2);
    for (const a of annotations) {
      expect(extraMentions(a.message), a.title).toEqual(TEN_ONCE);
      expect(once(a.message, 'and 94 more')).toBe(1);
      expect(a.message).toContain(', got 106 checked, 104 not passing\n');
      expect(a.message.length).toBeLessThan(1024);
    }
  });

  it("a fleet's summary: each host's failing check names ten items and how many more, whole", () => {
    const fleet = buildFleetReport([{ name: 'web-01', groups: [], report }], {
      policy: report.policy,
      threshold: 80,
      now: new Date('2026-11-25T00:00:00Z'),
      version: '0.0.0-test',
    });
    const text = renderFleetMarkdown(fleet);
    const line = between(text, '`listen.allow-list` — ', '\n');
    expect(extraMentions(line)).toEqual(TEN_ONCE);
    expect(line).toMatch(/not in the allow-list; and 94 more$/);
  });
});

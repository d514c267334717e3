// The terminal and JSON renderers over the same fixture reports the other formats are golden-tested on (the
// snapshot cases in golden.test.ts hold their finer assertions). The pretty golden is the coloured text; the plain
// text must be it without the colour codes. The 5,000-check JSON is some 4 MB: its golden and coloured pretty text
// are digests; the round trip is checked whole.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.js';
import { renderPretty } from '../../../src/report/pretty.js';
import type { Report } from '../../../src/report/model.js';
import { expectPureRender, digestOf, golden } from '../../helpers/golden.js';
import { REPORT_NAMES, ROOT, fixtureReports, type ReportName } from '../../helpers/reports.js';

const GOLDEN = `${ROOT}test/unit/report/golden/fixtures/`;
// The colour codes picocolors writes; the plain report is the coloured one without them.
const SGR = /\x1b\[[0-9;]*m/g;
let reports: Map<ReportName, Report>;
beforeAll(async () => {
  reports = await fixtureReports();
});

describe.each(REPORT_NAMES)('%s', (name) => {
  it('pretty (coloured) matches its golden file, and the plain text is the same less its colour codes', () => {
    const ansi = renderPretty(reports.get(name)!, { color: true });
    if (name === 'large') golden(`${GOLDEN}${name}.pretty.ansi.digest`, digestOf(ansi));
    else golden(`${GOLDEN}${name}.pretty.ansi.txt`, ansi);
    expect(ansi).toMatch(SGR);
    expect(renderPretty(reports.get(name)!, { color: false })).toBe(ansi.replace(SGR, ''));
  });

  it('json matches its golden file and reads back as the report', () => {
    const text = renderJson(reports.get(name)!);
    if (name === 'large') golden(`${GOLDEN}${name}.json.digest`, digestOf(text));
    else golden(`${GOLDEN}${name}.json`, text);
    expect(JSON.parse(text)).toEqual(reports.get(name));
  });

  it('both are pure', () => {
    expectPureRender((r: Report) => renderPretty(r, { color: true }), reports.get(name)!);
    expectPureRender(renderJson, reports.get(name)!);
  });
});

it("pretty shows the hostile report's text sanitised: no escape sequence, every other control or invisible character shown", () => {
  const plain = renderPretty(reports.get('hostile')!, { color: false });
  expect(plain).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
  expect(plain).not.toContain('[31m');
  // A heading's text on one line: every line break of the text a space.
  expect(plain).toContain('& red ␇ \\ end <U+202E>exe.txt<U+202C> z<U+200B>w <U+0090> \ufffd');
});

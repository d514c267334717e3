// The terminal and JSON renderers over the same fixture reports the other formats are golden-tested on (the
// snapshot cases in golden.test.ts hold their finer assertions). The 5,000-check JSON is some 4 MB: its golden
// and coloured pretty text are digests; the round trip is checked whole.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.js';
import { renderPretty } from '../../../src/report/pretty.js';
import type { Report } from '../../../src/report/model.js';
import { expectPureRender, digestOf, golden } from '../../helpers/golden.js';
import { REPORT_NAMES, ROOT, fixtureReports, type ReportName } from '../../helpers/reports.js';

const GOLDEN = `${ROOT}test/unit/report/golden/fixtures/`;
let reports: Map<ReportName, Report>;
beforeAll(async () => {
  reports = await fixtureReports();
});

describe.each(REPORT_NAMES)('%s', (name) => {
  it('pretty (plain and coloured) matches its golden file', () => {
    if (name === 'large') golden(`${GOLDEN}${name}.pretty.digest`, digestOf(renderPretty(reports.get(name)!, { color: false })));
    else golden(`${GOLDEN}${name}.pretty.txt`, renderPretty(reports.get(name)!, { color: false }));
    const ansi = renderPretty(reports.get(name)!, { color: true });
    if (name === 'large') golden(`${GOLDEN}${name}.pretty.ansi.digest`, digestOf(ansi));
    else golden(`${GOLDEN}${name}.pretty.ansi.txt`, ansi);
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

it('pretty shows no control character of the hostile report raw, beyond its own colour codes', () => {
  const plain = renderPretty(reports.get('hostile')!, { color: false });
  expect(plain).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  expect(plain).toContain('␛[31mred␛[0m');
});

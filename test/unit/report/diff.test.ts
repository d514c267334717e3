// diffReports over real reports (the fixture reports, built by the pipeline from captured snapshots) and over
// reports changed one check at a time, so each rule of what counts as a regression is seen on its own.
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../../src/report/diff.js';
import { renderDiffMarkdown, renderDiffPretty } from '../../../src/report/diff-render.js';
import type { Report } from '../../../src/report/model.js';
import type { Status } from '../../../src/evaluate/model.js';
import { HOSTILE, fixtureReport } from '../../helpers/reports.js';

function withStatus(r: Report, id: string, status: Status): Report {
  const c = structuredClone(r);
  const x = c.results.find((y) => y.id === id)!;
  x.status = status;
  return c;
}

describe('diffReports', () => {
  it('a report against itself changes nothing and is no regression', async () => {
    const r = await fixtureReport('errors-waived-causes');
    const d = diffReports(r, r);
    expect([d.newlyFailing, d.newlyPassing, d.added, d.removed, d.changed]).toEqual([[], [], [], [], []]);
    expect(d).toMatchObject({ regression: false, scoreChange: 0, reason: 'nothing that passed fails now', warnings: [] });
  });

  it.each([
    ['pass', 'fail', 'newlyFailing', true],
    ['pass', 'error', 'newlyFailing', true],
    ['skip', 'fail', 'newlyFailing', true],
    ['waived', 'fail', 'newlyFailing', true],
    ['fail', 'pass', 'newlyPassing', false],
    ['error', 'pass', 'newlyPassing', false],
    ['fail', 'error', 'changed', false],
    ['fail', 'waived', 'changed', false],
    ['pass', 'skip', 'changed', false],
  ] as [Status, Status, 'newlyFailing' | 'newlyPassing' | 'changed', boolean][])('%s → %s is %s (regression: %s)', async (from, to, key, regression) => {
    const base = await fixtureReport('ready');
    const id = base.results.find((r) => r.status === 'pass')!.id;
    const d = diffReports(withStatus(base, id, from), withStatus(base, id, to));
    expect(d[key].map((e) => [e.id, e.before, e.after])).toEqual([[id, from, to]]);
    // A status change alone keeps the verdict fields of the reports as they are: regression is by check here.
    expect(d.regression).toBe(regression);
  });

  it('new and removed checks: a new failing check is a regression, a removed one is not', async () => {
    const base = await fixtureReport('ready');
    const fewer = structuredClone(base);
    const gone = fewer.results.shift()!;
    expect(diffReports(base, fewer)).toMatchObject({ removed: [{ id: gone.id, before: gone.status }], regression: false });
    const more = structuredClone(base);
    more.results.push({ ...gone, id: 'new.check', status: 'fail' });
    expect(diffReports(base, more)).toMatchObject({ added: [{ id: 'new.check', after: 'fail' }], regression: true, reason: '1 new check failing' });
  });

  it('ready → not ready is a regression even when no check id newly fails', async () => {
    const ready = await fixtureReport('ready');
    const notReady = { ...structuredClone(ready), ready: false, score: 70 };
    expect(diffReports(ready, notReady)).toMatchObject({ regression: true, scoreChange: -30, reason: 'the verdict went from ready to not ready' });
  });

  it('implied lower checks are not compared: they come and go with the checks above them', async () => {
    const r = await fixtureReport('errors-waived-causes');
    const implied = structuredClone(r);
    implied.results.push({ ...r.results[0]!, id: 'implied.tcp.x:1', status: 'fail', impliedBy: [r.results[0]!.id] });
    expect(diffReports(r, implied).added).toEqual([]);
  });

  it('orders each list worst first and does not touch its inputs', async () => {
    const good = await fixtureReport('ready');
    const bad = await fixtureReport('not-ready');
    const [g, b] = [structuredClone(good), structuredClone(bad)];
    const d = diffReports(good, bad);
    const rank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
    const ranks = d.newlyFailing.map((e) => rank[e.severity]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect([good, bad]).toEqual([g, b]);
  });

  it('renders hostile report text inert: pictures for control characters on the terminal, escapes in markdown', async () => {
    const d = diffReports(await fixtureReport('ready'), await fixtureReport('hostile'));
    const pretty = renderDiffPretty(d, { color: false });
    expect(pretty).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    const md = renderDiffMarkdown(d);
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
    expect(md.split('\n').every((l) => !l.includes(HOSTILE))).toBe(true);
  });
});

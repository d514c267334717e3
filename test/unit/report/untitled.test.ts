// A check a policy gives no title stands under its id (build-check.ts makes the id its title): every format
// shows that id once, not as "id  id" or "id [id]".
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/model.js';
import { loadRenderer } from '../../../src/report/registry.js';
import { fixtureReport } from '../../helpers/reports.js';

async function untitled(): Promise<{ report: Report; id: string }> {
  const base = await fixtureReport('not-ready');
  const failing = base.results.find((r) => r.status === 'fail')!;
  const results = base.results.map((r) => (r === failing ? { ...r, title: r.id } : r));
  return { report: { ...base, results }, id: failing.id };
}

const count = (text: string, s: string): number => text.split(s).length - 1;

describe('a check without a title', () => {
  it('pretty: its failure and its area line name the id once', async () => {
    const { report, id } = await untitled();
    const out = (await loadRenderer('pretty'))(report, { color: false });
    const lines = out.split('\n').filter((l) => l.includes(id));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect({ l, n: count(l, id) }).toEqual({ l, n: 1 });
  });

  it('junit: the testcase is named by the id alone', async () => {
    const { report, id } = await untitled();
    const out = (await loadRenderer('junit'))(report, { color: false });
    expect(out).toContain(`<testcase name="${id}" `);
    expect(out).not.toContain(`[${id}]`);
  });

  it('markdown and html: no title beside the id that repeats it', async () => {
    const { report, id } = await untitled();
    const md = (await loadRenderer('markdown'))(report, { color: false });
    expect(md).toContain(`**${id}**`);
    expect(md).not.toContain(`**${id}** — ${id}`);
    expect(md).not.toContain(`**${id}** ${id}`);
    const html = (await loadRenderer('html'))(report, { color: false });
    expect(html).not.toMatch(new RegExp(`class="ttl">${id.replaceAll('.', '\\.')}<`));
  });
});

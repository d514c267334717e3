// The waivers of a waivers file that need a person (stale, expired, about to expire), as every format that shows
// them says them: the pretty, Markdown and HTML reports list each with its place and owner; the words come from
// the data (report/waivers.ts), and a waiver that only applies is not listed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WaiverUse } from '../../../src/evaluate/waivers.js';
import type { Report } from '../../../src/report/model.js';
import { loadRenderer } from '../../../src/report/registry.js';

const base = JSON.parse(readFileSync(new URL('golden/all-selectors-edge.json', import.meta.url), 'utf8')) as Report;
const use = (over: Partial<WaiverUse>): WaiverUse => ({
  check: 'kernel.*',
  owner: 'platform',
  expires: '2026-12-01',
  justification: 'j',
  source: { file: 'ops/waivers.yaml', line: 4, column: 5 },
  state: 'applied',
  checks: ['kernel.somaxconn'],
  daysLeft: 60,
  ...over,
});
const report: Report = {
  ...base,
  waivers: [
    use({}),
    use({ check: 'kernel.typo', state: 'unmatched', checks: [], source: { file: 'ops/waivers.yaml', line: 8, column: 5 } }),
    use({
      check: 'tls.*',
      state: 'applied',
      daysLeft: 3,
      expires: '2026-12-10',
      checks: ['tls.a', 'tls.b', 'tls.c'],
      source: { file: 'ops/waivers.yaml', line: 12, column: 5 },
    }),
    use({ check: 'fw', state: 'expired', daysLeft: -2, source: { file: 'ops/waivers.yaml', line: 16, column: 5 } }),
  ],
};

describe('waivers to look at, in each format', () => {
  const lines = [
    'stale: "kernel.typo" names no check of the policy (by id, tag or area)',
    'expires in 3 days (2026-12-10): tls.a, tls.b and 1 more will be judged again',
    'expired on 2026-12-01 (2 days ago): it no longer waives kernel.somaxconn',
  ];

  it.each(['pretty', 'markdown', 'html'])('%s lists the stale, expiring and expired ones with their place and owner, not the rest', async (format) => {
    // HTML says a quote as an entity; what it says is the same.
    const text = (await (await loadRenderer(format))(report, { color: false })).replace(/&quot;|&#34;/g, '"');
    expect(text).toContain('Waivers to look at (3)');
    for (const l of lines) expect(text).toContain(l);
    expect(text).toContain('ops/waivers.yaml:8');
    expect(text).not.toContain('waives kernel.somaxconn until');
    // A report without a waivers file says nothing of them.
    expect(await (await loadRenderer(format))(base, { color: false })).not.toContain('Waivers to look at');
  });
});

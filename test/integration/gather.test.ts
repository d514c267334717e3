// One gather per host: the default audit and the 1,000-check policy reach this machine through a transport that
// counts batches and adds a round trip's delay to each, and still judge every check as the plain local transport
// does. At most two batches means at most two round trips, whatever the policy's size.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { auditReport } from '../../src/cli/audit-run.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { Report } from '../../src/report/model.js';
import { delayedTransport } from '../helpers/delayed-transport.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DELAY_MS = 50;

// Counters (TCP states, retransmits, interface errors) move between two runs on a busy machine; what the host is
// configured to be does not.
const settled = (r: Report): [string, string][] => r.results.filter((x) => x.area !== 'tcp' && x.area !== 'network').map((x) => [x.id, x.status]);

describe.each([
  ['the default audit', undefined],
  ['the 1,000-check policy', [`${ROOT}bench/policies/checks-1000.yaml`]],
])('%s through a transport 50 ms away', (_, policies) => {
  it('gathers the host in at most two batches and judges every check as the local transport does', async () => {
    const local = await auditReport({ ...(policies ? { policies } : {}) });
    const far = delayedTransport(new LocalTransport(), DELAY_MS);
    const report = await auditReport({ ...(policies ? { policies } : {}), transport: far });
    expect(far.batches.length).toBeGreaterThanOrEqual(1);
    expect(far.batches.length).toBeLessThanOrEqual(2);
    expect(report.facts?.host.gathered).toEqual({ batches: far.batches.length, items: far.items });
    expect(settled(report)).toEqual(settled(local));
    expect(report.results.length).toBe(local.results.length);
  }, 60_000);
});

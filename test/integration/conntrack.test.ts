// The conntrack kind held to the kernel: a namespace test host whose firewall tracks connections (a `ct state`
// rule), with connections held open inside it; the built CLI audits it from inside, and what it reports of the
// connection tracking table must account for every connection the kernel is tracking. A namespace whose ruleset
// never asks for connection tracking tracks none. Traffic stays on the namespace's loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { byId, report } from './harness/audit.js';

const ROOT = resolve(import.meta.dirname, '../..');
const why = netnsSkipReason();
if (why) console.log(`skipping conntrack integration tests: ${why}`);

const PORT = 7070;
const HELD = 40;
const TRACKING = `table inet pl_ct {
  chain input {
    type filter hook input priority 0; policy accept;
    ct state established,related accept
  }
}
`;

function policy(dir: string): string {
  const file = join(dir, 'conntrack.yaml');
  writeFileSync(
    file,
    `apiVersion: plumbline/v1
kind: Policy
metadata: { name: conntrack }
checks:
  - { id: ct.count-below-held, title: fewer entries than the connections held, severity: high, conntrack: count, expect: { lt: ${HELD} } }
  - { id: ct.count-at-least-held, title: at least the connections held, severity: high, conntrack: count, expect: { gte: ${HELD} } }
  - { id: ct.usage, title: the table has room, severity: high, conntrack: usage, expect: { lte: 0.8 } }
  - { id: ct.max, title: the limit, severity: low, conntrack: max, expect: { gte: 1 } }
`,
  );
  return file;
}

describe.skipIf(why !== null && process.env.CI !== 'true')('conntrack against the kernel', () => {
  const hosts: TestHost[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pl-conntrack-'));
  afterAll(async () => {
    for (const h of hosts.splice(0)) await h.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const audit = async (host: TestHost) =>
    report(await host.exec(process.execPath, [join(ROOT, 'bin/plumbline.js'), 'audit', '-p', policy(dir), '--format', 'json'], { timeoutMs: 60_000 }));

  it('counts every connection the kernel tracks, and judges the count and the usage on it', async () => {
    const host = await TestHost.create({ name: 'ct', nft: TRACKING, listeners: [{ address: '127.0.0.1', port: PORT, name: 'pl-ct' }] });
    hosts.push(host);
    await host.openConnections({ port: PORT, count: HELD, state: 'established' });
    const kernel = Number((await host.exec('cat', ['/proc/sys/net/netfilter/nf_conntrack_count'])).stdout.trim());
    expect(kernel).toBeGreaterThanOrEqual(HELD);
    const rep = await audit(host);
    const fact = rep.facts?.conntrack;
    expect(fact && 'loaded' in fact && fact.loaded ? fact.count : -1).toBeGreaterThanOrEqual(HELD);
    const r = byId(rep);
    expect(r['ct.count-below-held']?.status).toBe('fail');
    expect(r['ct.count-at-least-held']?.status).toBe('pass');
    expect(r['ct.usage']?.status).toBe('pass');
    expect(r['ct.max']?.status).toBe('pass');
  }, 60_000);

  it('a namespace whose ruleset tracks nothing has an empty table', async () => {
    const host = await TestHost.create({ name: 'ctoff', listeners: [{ address: '127.0.0.1', port: PORT, name: 'pl-ctoff' }] });
    hosts.push(host);
    await host.openConnections({ port: PORT, count: 5, state: 'established' });
    const rep = await audit(host);
    const fact = rep.facts?.conntrack;
    expect(fact && 'loaded' in fact && fact.loaded ? fact.count : -1).toBe(0);
    expect(byId(rep)['ct.count-below-held']?.status).toBe('pass');
  }, 60_000);
});

// Whether a host has IPv6, held to the kernel: in a namespace test host `all` is set to disable_ipv6 = 1 and lo set
// back to 0, so lo keeps ::1 and a server listens and is connected to there. The built CLI, audited from inside,
// must judge the IPv6 checks (not skip them as "IPv6 disabled"); with lo off too, IPv6 checks skip, and no
// server can bind ::1. Traffic stays on the namespace's loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, report } from './harness/audit.js';
import { TestHost, netnsSkipReason } from './harness/netns.js';

const ROOT = resolve(import.meta.dirname, '../..');
const why = netnsSkipReason();
if (why) console.log(`skipping IPv6 state integration tests: ${why}`);

const PORT = 7171;
const POLICY = `apiVersion: plumbline/v1
kind: Policy
metadata: { name: v6 }
checks:
  - { id: v6.forwarding, title: IPv6 forwarding off, severity: high, sysctl: net.ipv6.conf.all.forwarding, expect: 0 }
`;

describe.skipIf(why !== null && process.env.CI !== 'true')('IPv6 on or off, as the kernel has it', () => {
  const hosts: TestHost[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pl-v6-'));
  writeFileSync(join(dir, 'v6.yaml'), POLICY);
  afterAll(async () => {
    for (const h of hosts.splice(0)) await h.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const audit = async (host: TestHost) =>
    byId(
      report(
        await host.exec(process.execPath, [join(ROOT, 'bin/plumbline.js'), 'audit', '-p', join(dir, 'v6.yaml'), '--format', 'json'], { timeoutMs: 60_000 }),
      ),
    );

  it('all = 1 written, lo set back to 0: lo serves IPv6, and IPv6 checks are judged', async () => {
    const host = await TestHost.create({
      name: 'v6lo',
      sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.lo.disable_ipv6': '0' },
      listeners: [{ address: '::1', port: PORT, name: 'pl-v6lo' }],
    });
    hosts.push(host);
    // The kernel says IPv6 works: a connection to ::1 is made and held.
    await host.openConnections({ port: PORT, address: '::1', count: 1, state: 'established' });
    expect(await audit(host)).toMatchObject({ 'v6.forwarding': { status: 'pass' } });
  }, 60_000);

  it('every interface off: no server can bind ::1, and IPv6 checks skip with the reason', async () => {
    const host = await TestHost.create({ name: 'v6off', sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1' } });
    hosts.push(host);
    await expect(
      TestHost.create({ name: 'v6bind', sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1' }, listeners: [{ address: '::1', port: PORT, name: 'pl-v6no' }] }),
    ).rejects.toThrow();
    const r = (await audit(host))['v6.forwarding'];
    expect(r?.status).toBe('skip');
    expect(r?.message).toContain('IPv6 is disabled on this host');
  }, 60_000);
});

// The built-in baseline against two real test hosts (network namespaces): a well-configured one and a
// badly configured one. The built CLI runs inside each namespace, as an operator would run it on the host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { badHost, goodHost } from './harness/hosts.js';
import type { Report } from '../../src/report/model.js';
import type { Status } from '../../src/evaluate/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const why = netnsSkipReason();
if (why) console.log(`skipping baseline integration tests: ${why}`);

/** Every baseline check, and the status it must have on each host. */
const EXPECTED: Record<string, { good: Status; bad: Status }> = {
  'kernel.somaxconn': { good: 'pass', bad: 'fail' },
  'kernel.syn-backlog': { good: 'pass', bad: 'fail' },
  'kernel.syncookies': { good: 'pass', bad: 'fail' },
  'kernel.ephemeral-ports': { good: 'pass', bad: 'fail' },
  'kernel.fin-timeout': { good: 'pass', bad: 'fail' },
  'kernel.ip-forward': { good: 'pass', bad: 'fail' },
  'kernel.ipv6-forward': { good: 'pass', bad: 'fail' },
  'kernel.accept-redirects': { good: 'pass', bad: 'fail' },
  'kernel.ipv6-accept-redirects': { good: 'pass', bad: 'fail' },
  'kernel.send-redirects': { good: 'pass', bad: 'fail' },
  'kernel.rp-filter': { good: 'pass', bad: 'fail' },
  'kernel.source-route': { good: 'pass', bad: 'pass' },
  'limits.listeners-nofile': { good: 'pass', bad: 'fail' },
  'listen.postgres': { good: 'skip', bad: 'skip' },
  'listen.mysql': { good: 'skip', bad: 'skip' },
  'listen.redis': { good: 'pass', bad: 'fail' },
  'listen.memcached': { good: 'skip', bad: 'skip' },
  'listen.memcached-udp': { good: 'skip', bad: 'fail' },
  'listen.mongodb': { good: 'skip', bad: 'skip' },
  'listen.elasticsearch': { good: 'pass', bad: 'fail' },
  'listen.not-root': { good: 'pass', bad: 'fail' },
  'firewall.input': { good: 'pass', bad: 'fail' },
  'firewall.forward': { good: 'pass', bad: 'fail' },
  'tcp.close-wait': { good: 'pass', bad: 'fail' },
  'tcp.listen-overflows': { good: 'pass', bad: 'pass' },
  'tcp.retransmits': { good: 'pass', bad: 'pass' },
  // Neither host listens on a TLS port (test/integration/tls-listeners.test.ts has hosts that do).
  'tls.listener-versions': { good: 'skip', bad: 'skip' },
  'tls.listener-certificates': { good: 'skip', bad: 'skip' },
  'net.interface-errors': { good: 'pass', bad: 'skip' },
  'net.default-route': { good: 'pass', bad: 'fail' },
  // good has not spoken to its gateway (no entry, said); bad has no default route (no gateway, said).
  'net.gateway-neighbour': { good: 'skip', bad: 'skip' },
};

async function audit(host: TestHost, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await host.exec(process.execPath, [CLI, ...args], { timeoutMs: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

function statuses(report: Report): Record<string, Status> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.status]));
}

(why ? describe.skip : describe)('built-in baseline on real test hosts', () => {
  let good: TestHost;
  let bad: TestHost;
  const tmp = mkdtempSync(join(tmpdir(), 'pl-baseline-'));

  beforeAll(async () => {
    const subnet = `198.18.${10 + (process.pid % 200)}`;
    [good, bad] = await Promise.all([
      TestHost.create(goodHost('good', { hostAddr: `${subnet}.1/24`, nsAddr: `${subnet}.2/24` })),
      TestHost.create(badHost('bad')),
    ]);
    await bad.openConnections({ port: 6379, count: 110, state: 'close_wait', address: '127.0.0.1' });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([good?.destroy(), bad?.destroy()]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('judges every baseline check on the good host as expected, and the host is ready', async () => {
    const r = await audit(good, ['audit', '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    const want = Object.fromEntries(Object.entries(EXPECTED).map(([id, s]) => [id, s.good]));
    expect(statuses(report)).toEqual(want);
    expect(report.ready).toBe(true);
    expect(r.code).toBe(0);
    expect(report.score).toBe(100);
  });

  it('judges every baseline check on the bad host as expected, and the host is not ready', async () => {
    const r = await audit(bad, ['audit', '--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    const want = Object.fromEntries(Object.entries(EXPECTED).map(([id, s]) => [id, s.bad]));
    expect(statuses(report)).toEqual(want);
    expect(report.ready).toBe(false);
    expect(r.code).toBe(1);
    const redis = report.results.find((x) => x.id === 'listen.redis')!;
    expect(redis.actual).toBe('0.0.0.0:6379 (pl-redis)');
    const elastic = report.results.find((x) => x.id === 'listen.elasticsearch')!;
    expect(elastic.actual).toBe('[::]:9200 (pl-elastic; dual-stack: IPv4 too)');
    const fw = report.results.find((x) => x.id === 'firewall.input')!;
    expect(fw.actual).toContain('no firewall');
    const cw = report.results.find((x) => x.id === 'tcp.close-wait')!;
    expect(Number(/CLOSE_WAIT (\d+)/.exec(cw.actual)?.[1])).toBeGreaterThanOrEqual(110);
    expect(report.verdictReason).toContain('listen.redis');
  });

  it('names the failures in the pretty report, failures first, ending with the verdict', async () => {
    const r = await audit(bad, ['audit']);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out.indexOf('Failures')).toBeGreaterThan(0);
    expect(out.indexOf('Failures')).toBeLessThan(out.search(/^kernel\s+[\d.]+%/m));
    for (const id of ['listen.redis', 'listen.elasticsearch', 'firewall.input', 'kernel.somaxconn', 'tcp.close-wait']) expect(out).toContain(id);
    expect(out).toMatch(/expected\s+bound to specific addresses, not all interfaces/);
    expect(out).toMatch(/actual\s+0\.0\.0\.0:6379 \(pl-redis\)/);
    expect(out).toMatch(/fix\s+Set `bind 127\.0\.0\.1/);
    expect(out).toMatch(/at\s+\S*baseline\.yaml:\d+:\d+/);
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^NOT READY — critical checks? failed: .*listen\.redis/);
    expect(out).not.toMatch(/\x1b\[/);
  });

  it('gives the same results from a saved facts snapshot as from the live run', async () => {
    const snap = join(tmp, 'bad-facts.json');
    const f = await audit(bad, ['facts', '-o', snap]);
    expect(f.code).toBe(0);
    const live = JSON.parse((await audit(bad, ['audit', '--format', 'json'])).stdout) as Report;
    const offline = JSON.parse((await audit(bad, ['audit', '--facts', snap, '--format', 'json'])).stdout) as Report;
    const strip = (rep: Report) => rep.results;
    expect(strip(offline)).toEqual(strip(live));
    expect(offline.score).toBe(live.score);
    expect(JSON.parse(readFileSync(snap, 'utf8')).schema).toBe('plumbline/facts/v1');
  });
});

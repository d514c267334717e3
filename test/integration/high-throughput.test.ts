// The built-in high-throughput policy against real test hosts (network namespaces): a host tuned as the policy
// asks, and the two load failures it guards against, made for real: TIME_WAIT sockets filling a small
// ephemeral range, and half-open connections stuck in SYN_RECV because the SYN-ACKs never leave. Every count
// plumbline reports is compared with what `ss` says inside the namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { byId, report } from './harness/audit.js';
import type { Report } from '../../src/report/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const why = netnsSkipReason();
if (why) console.log(`skipping high-throughput integration tests: ${why}`);

const TUNED: Record<string, string> = {
  'net.core.somaxconn': '65535',
  'net.ipv4.tcp_max_syn_backlog': '65535',
  'net.ipv4.tcp_syncookies': '1',
  'net.ipv4.tcp_fastopen': '3',
  'net.ipv4.ip_local_port_range': '1024 65535',
  'net.ipv4.tcp_fin_timeout': '15',
};

async function audit(host: TestHost, policy = 'builtin:high-throughput'): Promise<Report> {
  const r = await host.exec(process.execPath, [CLI, 'audit', '-p', policy, '--format', 'json'], { timeoutMs: 30_000 });
  expect(r.stderr).toBe('');
  return report(r);
}

/**
 * How many TCP sockets `ss` lists in a state inside the namespace (the kernel's own count, not ours). Read from
 * the state column: `ss state syn-recv` leaves out the request sockets a SYN flood creates.
 */
async function ssCount(host: TestHost, state: 'TIME-WAIT' | 'SYN-RECV'): Promise<number> {
  const r = await host.exec('ss', ['-Htan']);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l.split(/\s+/)[0] === state).length;
}

(why ? describe.skip : describe)('built-in high-throughput policy on real test hosts', () => {
  const hosts: TestHost[] = [];
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.destroy()));
  });

  describe('a host tuned as the policy asks', () => {
    let rep: Report;
    beforeAll(async () => {
      // 20000 open files is the most this machine lets a process hold (no CAP_SYS_RESOURCE above it).
      const host = await TestHost.create({
        name: 'tput',
        sysctls: TUNED,
        listeners: [{ address: '127.0.0.1', port: 8080, name: 'pl-proxy', nofile: { soft: 20000, hard: 20000 } }],
      });
      hosts.push(host);
      rep = await audit(host);
    }, 60_000);

    it('passes every kernel check', () => {
      const r = byId(rep);
      for (const id of [
        'throughput.somaxconn',
        'throughput.syn-backlog',
        'throughput.syncookies',
        'throughput.fastopen',
        'throughput.ephemeral-ports',
        'throughput.fin-timeout',
      ]) {
        expect(r[id]!.status, `${id}: ${r[id]!.message}`).toBe('pass');
      }
      expect(r['throughput.ephemeral-ports']!.actual).toBe('1024 65535');
    });

    it('fails the open-files check with the limit the process really has', () => {
      const l = byId(rep)['throughput.listeners-nofile']!;
      expect(l.status).toBe('fail');
      expect(l.details).toMatchObject([
        { subject: expect.stringMatching(/^pl-proxy\[\d+\]$/), status: 'fail', actual: 'soft 20000, hard 20000 (soft is 20000, not >= 65536)' },
      ]);
    });

    it('finds no TIME_WAIT pile-up and no SYN flood on a quiet host', () => {
      expect(byId(rep)['throughput.time-wait-ports']).toMatchObject({ status: 'pass', actual: 'TIME_WAIT_RATIO 0 (0 TIME_WAIT of 64512 ephemeral ports)' });
      expect(byId(rep)['throughput.syn-recv']).toMatchObject({ status: 'pass', actual: 'SYN_RECV 0' });
    });
  });

  it('TIME_WAIT sockets that hold most of a small ephemeral range fail the port-exhaustion check', async () => {
    // Ten ephemeral ports; six connections closed by the client first leave six client ports in TIME_WAIT.
    const host = await TestHost.create({
      name: 'tw',
      sysctls: { 'net.ipv4.ip_local_port_range': '60000 60009' },
      listeners: [{ address: '127.0.0.1', port: 7000, name: 'pl-upstream' }],
    });
    hosts.push(host);
    const script = ['import socket', 'for _ in range(6):', '    s = socket.create_connection(("127.0.0.1", 7000), timeout=5)', '    s.close()'].join('\n');
    const r = await host.exec('python3', ['-c', script], { timeoutMs: 20_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    // Our test servers never close, so the client's close leaves it in FIN_WAIT2, not TIME_WAIT: wait for the
    // kernel's own state instead of guessing. FIN_WAIT2 turns into TIME_WAIT only when the peer closes too,
    // so close the server side by stopping the upstream.
    await host.exec('kill', [String(host.listener('pl-upstream').pid)]);
    let tw = 0;
    for (let i = 0; i < 50 && tw < 6; i++) {
      tw = await ssCount(host, 'TIME-WAIT');
      if (tw < 6) await new Promise((done) => setTimeout(done, 100));
    }
    const rep = await audit(host);
    const t = byId(rep)['throughput.time-wait-ports']!;
    const seen = await ssCount(host, 'TIME-WAIT');
    expect(seen).toBeGreaterThanOrEqual(6);
    expect(t.status).toBe('fail');
    expect(t.actual).toMatch(/^TIME_WAIT_RATIO [\d.]+ \((\d+) TIME_WAIT of 10 ephemeral ports\)$/);
    const counted = Number(/\((\d+) TIME_WAIT/.exec(t.actual)![1]);
    // Sockets leave TIME_WAIT on their own; ours was taken between the two ss readings.
    expect(counted).toBeGreaterThanOrEqual(Math.min(tw, seen));
    expect(counted).toBeLessThanOrEqual(Math.max(tw, seen));
    expect(t.message).toContain('hold ports of a 10-port ephemeral range');
  }, 60_000);

  it('half-open connections whose SYN-ACKs never leave show as a SYN flood', async () => {
    // The namespace drops its own SYN-ACKs on the way out: every SYN from the peer leaves a SYN_RECV socket.
    const sub = '198.18.144';
    const host = await TestHost.create({
      name: 'synrecv',
      veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` },
      sysctls: { 'net.ipv4.tcp_syncookies': '0' },
      nft: 'table inet t {\n  chain out {\n    type filter hook output priority 0; policy accept;\n    tcp flags & (syn | ack) == syn | ack drop\n  }\n}\n',
      listeners: [{ address: '0.0.0.0', port: 8080, name: 'pl-web' }],
    });
    hosts.push(host);
    // Eight connection attempts from the peer, held open while the audit runs: the kernel forgets a half-open
    // socket soon after its client gives up. Each attempt ends by itself after a few seconds.
    const { connectFromPeer } = await import('./harness/netns.js');
    const attempts = Promise.all(Array.from({ length: 8 }, () => connectFromPeer(`${sub}.2`, 8080, 8_000)));
    let before = 0;
    for (let i = 0; i < 30 && before <= 5; i++) {
      await new Promise((done) => setTimeout(done, 100));
      before = await ssCount(host, 'SYN-RECV');
    }
    expect(before).toBeGreaterThan(5);
    const rep = await audit(host, join(ROOT, 'test/integration/inputs/syn-recv-5.yaml'));
    const after = await ssCount(host, 'SYN-RECV');
    const s = byId(rep)['throughput.syn-recv']!;
    expect(s.status, `ss before ${before}, after ${after}; plumbline: ${s.actual}`).toBe('fail');
    expect(s.message).toMatch(/^SYN_RECV is \d+, not <= 5$/);
    // Half-open sockets only leave (their SYN-ACK retries run out): plumbline's count lies between the two readings.
    const counted = Number(/^SYN_RECV (\d+)$/.exec(s.actual)![1]);
    expect(counted).toBeLessThanOrEqual(before);
    expect(counted).toBeGreaterThanOrEqual(after);
    expect(await attempts).toEqual(Array(8).fill('timeout'));
  }, 60_000);
});

// The TCP, DNS and HTTP probes against real servers in a network-namespace test host. The probes run from the
// root namespace against the namespace's veth address, so every verdict is what the kernel and a real server
// did: a listener (open), nothing listening (refused), an nft drop (filtered by timeout), an nft reject with
// admin-prohibited (filtered, its own reason), dnsmasq, a UDP socket that swallows queries, Python HTTP(S)
// servers (redirect, HSTS, slow first byte, a large body), a tarpit, a server that resets and one that is not HTTP.
// Traffic goes only to loopback and 198.18.112.0/24.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { PROBE_SERVERS_PY as SERVERS_PY, dnsmasqArgv, selfSigned, startInNs } from './harness/probe-servers.js';
import { probeTcp } from '../../src/probes/tcp.js';
import { probeDns } from '../../src/probes/dns.js';
import { probeHttp } from '../../src/probes/http.js';

const why = netnsSkipReason();
if (why) console.log(`skipping live-probe integration tests: ${why}`);

const NS_ADDR = '198.18.112.2';
const PORTS = { refused: 8079, http: 8080, dropped: 8081, prohibited: 8082, https: 8443, reset: 8090, garbage: 8091, swallow: 5353 };
const SLOW_S = 0.4;
const TIMEOUT = 600;
// Scheduling and process start-up on a busy CI machine; a probe that overran its timeout by more is a bug.
const SLACK = 400;

function elapsed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  return f().then((value) => ({ value, ms: performance.now() - start }));
}

describe.skipIf(why !== null)('live probes: TCP, DNS and HTTP in a test host', () => {
  let host: TestHost;
  let dir: string;
  let openPort: number;
  const children: ChildProcess[] = [];

  const start = (argv: string[], ready: RegExp | null): Promise<ChildProcess> => startInNs(host.ns, argv, ready, children);

  const py = (mode: string, port: number, ...extra: string[]) =>
    start(['/usr/bin/python3', join(dir, 'servers.py'), mode, NS_ADDR, String(port), ...extra], /^READY$/);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-probes-'));
    writeFileSync(join(dir, 'servers.py'), SERVERS_PY);
    host = await TestHost.create({
      name: 'probes-net',
      veth: { hostAddr: '198.18.112.1/24', nsAddr: `${NS_ADDR}/24` },
      nft: `table inet plprobe {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${PORTS.dropped} drop
    tcp dport ${PORTS.prohibited} reject with icmpx type admin-prohibited
  }
}`,
      // Accepts and holds every connection without a byte back: open for TCP, a tarpit for HTTP.
      listeners: [{ address: NS_ADDR, port: 0, name: 'pl-tarpit' }],
    });
    openPort = host.listener('pl-tarpit').port;
    const { cert, key } = await selfSigned(dir, 'app.test', `DNS:app.test,IP:${NS_ADDR}`);
    await Promise.all([
      py('http', PORTS.http, String(SLOW_S)),
      py('https', PORTS.https, cert, key),
      py('reset', PORTS.reset),
      py('garbage', PORTS.garbage),
      py('swallow', PORTS.swallow),
    ]);
    await start(
      dnsmasqArgv(dir, NS_ADDR, [
        `--address=/app.test/${NS_ADDR}`,
        // An internationalised name, held (as every zone holds one) in its punycode form: bücher.test.
        `--host-record=xn--bcher-kva.test,${NS_ADDR}`,
        '--address=/gone.test/',
        '--txt-record=txt.app.test,v=spf1 -all',
        `--host-record=v4only.test,${NS_ADDR}`,
        '--local=/v4only.test/',
        '--mx-host=app.test,mail.app.test,10',
        `--srv-host=_http._tcp.app.test,app.test,${PORTS.http},0,5`,
      ]),
      null,
    );
    // dnsmasq prints nothing when ready: ask it until it answers, a bounded number of times.
    for (let i = 0; i < 50; i++) {
      if ((await probeDns({ name: 'app.test', server: NS_ADDR, timeoutMs: 200 })).resolves) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('tcp', () => {
    it('open: every sample connects, with latency percentiles', async () => {
      const f = await probeTcp({ host: NS_ADDR, port: openPort, samples: 5, timeoutMs: TIMEOUT });
      expect(f.error).toBeUndefined();
      expect(f.addresses).toHaveLength(1);
      const a = f.addresses[0]!;
      expect(a).toMatchObject({ address: NS_ADDR, family: 4, connect: 'open', attempts: 5, succeeded: 5 });
      expect(a.latency!.count).toBe(5);
      expect(a.latency!.p50Ms).toBeLessThanOrEqual(a.latency!.p95Ms);
      expect(a.latency!.p95Ms).toBeLessThanOrEqual(a.latency!.maxMs);
      expect(a.latency!.maxMs).toBeLessThan(TIMEOUT);
    });

    it('refused: nothing listens, answered at once', async () => {
      const { value: f, ms } = await elapsed(() => probeTcp({ host: NS_ADDR, port: PORTS.refused, samples: 3, timeoutMs: TIMEOUT }));
      expect(f.addresses[0]).toMatchObject({ connect: 'refused', attempts: 1, succeeded: 0, error: { code: 'ECONNREFUSED' } });
      expect(f.addresses[0]!.latency).toBeUndefined();
      expect(ms).toBeLessThan(TIMEOUT);
    });

    it('filtered: a dropped SYN ends within the timeout, without waiting for every sample', async () => {
      const { value: f, ms } = await elapsed(() => probeTcp({ host: NS_ADDR, port: PORTS.dropped, samples: 5, timeoutMs: TIMEOUT }));
      expect(f.addresses[0]).toMatchObject({ connect: 'filtered', attempts: 1, error: { code: 'TIMEOUT' } });
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
    });

    it('filtered: an ICMP admin-prohibited answer is its own reason, not a timeout', async () => {
      const { value: f, ms } = await elapsed(() => probeTcp({ host: NS_ADDR, port: PORTS.prohibited, timeoutMs: TIMEOUT }));
      expect(f.addresses[0]).toMatchObject({ connect: 'filtered', error: { code: 'EHOSTUNREACH' } });
      expect(f.addresses[0]!.error!.reason).toMatch(/unreachable|prohibited/);
      expect(ms).toBeLessThan(TIMEOUT);
    });

    it('a server that resets after accepting is still open at the TCP layer', async () => {
      const f = await probeTcp({ host: NS_ADDR, port: PORTS.reset, samples: 2, timeoutMs: TIMEOUT });
      expect(f.addresses[0]).toMatchObject({ connect: 'open', succeeded: 2 });
    });

    it('a name resolves through /etc/hosts, one result per address', async () => {
      const f = await probeTcp({ host: 'localhost', port: 9, timeoutMs: TIMEOUT });
      expect(f.addresses.length).toBeGreaterThanOrEqual(1);
      for (const a of f.addresses) expect(['refused', 'filtered']).toContain(a.connect);
      expect(f.addresses.map((a) => a.address)).toContain('127.0.0.1');
    });

    it('an unresolvable name is an error fact, not an exception', async () => {
      const f = await probeTcp({ host: 'does-not-exist.invalid', port: 80, timeoutMs: 2_000 });
      expect(f.addresses).toEqual([]);
      expect(f.error?.code).toMatch(/NXDOMAIN|SERVFAIL|TIMEOUT/);
    });
  });

  describe('dns', () => {
    it('A from the named server, canonical, with a TTL', async () => {
      const f = await probeDns({ name: 'app.test', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(f).toMatchObject({ name: 'app.test', type: 'A', server: NS_ADDR, resolves: true });
      expect(f.answers).toHaveLength(1);
      expect(f.answers[0]).toMatchObject({ type: 'A', value: NS_ADDR });
      expect(typeof f.answers[0]!.ttl).toBe('number');
      expect(f.error).toBeUndefined();
      expect(f.latencyMs).toBeGreaterThan(0);
      expect(f.latencyMs).toBeLessThan(TIMEOUT);
    });

    it('TXT, MX and SRV in their normalised forms', async () => {
      const txt = await probeDns({ name: 'txt.app.test', type: 'TXT', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(txt.answers).toEqual([{ type: 'TXT', value: 'v=spf1 -all' }]);
      const mx = await probeDns({ name: 'app.test', type: 'MX', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(mx.answers).toEqual([{ type: 'MX', value: '10 mail.app.test', priority: 10, target: 'mail.app.test' }]);
      const srv = await probeDns({ name: '_http._tcp.app.test', type: 'SRV', server: `${NS_ADDR}:53`, timeoutMs: TIMEOUT });
      expect(srv.answers).toEqual([{ type: 'SRV', value: `0 5 ${PORTS.http} app.test`, priority: 0, weight: 5, port: PORTS.http, target: 'app.test' }]);
    });

    it('NXDOMAIN and NODATA are told apart', async () => {
      const nx = await probeDns({ name: 'gone.test', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(nx).toMatchObject({ resolves: false, answers: [], error: { code: 'NXDOMAIN' } });
      const nodata = await probeDns({ name: 'v4only.test', type: 'AAAA', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(nodata).toMatchObject({ resolves: false, answers: [], error: { code: 'NODATA' } });
    });

    it('a name the server has no answer for is refused (no upstream)', async () => {
      const f = await probeDns({ name: 'elsewhere.example', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(f.resolves).toBe(false);
      expect(f.error?.code).toMatch(/^(REFUSED|SERVFAIL)$/);
    });

    it('an internationalised name is asked in its punycode form', async () => {
      const f = await probeDns({ name: 'bücher.test', server: NS_ADDR, timeoutMs: TIMEOUT });
      expect(f).toMatchObject({ name: 'bücher.test', resolves: true, answers: [{ type: 'A', value: NS_ADDR }] });
    });

    it('a server that swallows queries times out within the timeout', async () => {
      const { value: f, ms } = await elapsed(() => probeDns({ name: 'app.test', server: `${NS_ADDR}:${PORTS.swallow}`, timeoutMs: TIMEOUT }));
      expect(f).toMatchObject({ resolves: false, error: { code: 'TIMEOUT' } });
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
      expect(f.latencyMs).toBeLessThan(TIMEOUT + SLACK);
    });

    it('a port with no DNS server behind it ends within the timeout, as refused or timed out', async () => {
      const { value: f, ms } = await elapsed(() => probeDns({ name: 'app.test', type: 'TXT', server: `${NS_ADDR}:${PORTS.refused}`, timeoutMs: TIMEOUT }));
      expect(f.resolves).toBe(false);
      // Told apart from a server's REFUSED answer: nothing answered DNS there at all.
      expect(['CONNREFUSED', 'TIMEOUT']).toContain(f.error?.code);
      if (f.error?.code === 'CONNREFUSED') expect(f.error.reason).toContain('nothing answers DNS there');
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
    });

    it('no server: getaddrinfo, which honours /etc/hosts', async () => {
      const f = await probeDns({ name: 'localhost', type: 'A', timeoutMs: 2_000 });
      expect(f.server).toBeUndefined();
      expect(f.resolves).toBe(true);
      expect(f.answers.map((a) => a.value)).toContain('127.0.0.1');
    });
  });

  describe('http', () => {
    const base = `http://${NS_ADDR}:${PORTS.http}`;

    it('200 with the named headers lower-cased, the body judged (not kept) and every phase timed', async () => {
      const f = await probeHttp({
        url: `${base}/`,
        headers: { 'X-Asked': 'yes' },
        body: [{ match: '^hello' }, 'hello'],
        keepHeaders: ['X-Probe'],
        timeoutMs: 2_000,
      });
      expect(f.error).toBeUndefined();
      expect(f).toMatchObject({ status: 200, address: NS_ADDR, method: 'GET' });
      expect(f.body).toEqual({
        size: 15,
        sha256: createHash('sha256').update('hello plumbline').digest('hex'),
        judged: [
          { matcher: { match: '^hello' }, failures: [] },
          { matcher: 'hello', failures: [{ code: 'not-equal', expected: 'hello' }] },
        ],
      });
      // Named by a check, or a security header: nothing else the server said is kept.
      expect(f.headers).toEqual({ 'x-probe': 'One, Two' });
      expect(f.headersKept).toContain('x-probe');
      expect(f.headersKept).toContain('strict-transport-security');
      const t = f.timings;
      expect(t.dnsMs).toBeGreaterThanOrEqual(0);
      expect(t.connectMs).toBeGreaterThan(0);
      expect(t.tlsMs).toBeUndefined();
      expect(t.ttfbMs).toBeGreaterThan(0);
      expect(t.totalMs).toBeGreaterThanOrEqual(t.dnsMs! + t.connectMs! + t.ttfbMs! - 0.5);
      expect(t.totalMs).toBeLessThan(2_000);
    });

    it('a redirect is reported, resolved against the URL, and not followed', async () => {
      const f = await probeHttp({ url: `${base}/redirect`, keepHeaders: ['location'], timeoutMs: 2_000 });
      expect(f.status).toBe(301);
      expect(f.headers['location']).toBe('/target?from=redirect');
      expect(f.redirectsTo).toBe(`${base}/target?from=redirect`);
      expect(f.body).toMatchObject({ size: 5, sha256: createHash('sha256').update('moved').digest('hex'), judged: [] });
    });

    it('HSTS over plain HTTP stays a header, never the HSTS in effect (RFC 6797 §8.1)', async () => {
      const f = await probeHttp({ url: `${base}/hsts`, timeoutMs: 2_000 });
      expect(f.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      expect(f.hsts).toBeUndefined();
      expect(f.hstsLookup).toBeUndefined();
    });

    it('a slow first byte shows in ttfbMs, not in connectMs', async () => {
      const f = await probeHttp({ url: `${base}/slow`, timeoutMs: 3_000 });
      expect(f.status).toBe(200);
      expect(f.timings.ttfbMs).toBeGreaterThanOrEqual(SLOW_S * 1000 - 5);
      expect(f.timings.connectMs).toBeLessThan(SLOW_S * 1000);
      expect(f.timings.totalMs).toBeGreaterThanOrEqual(f.timings.ttfbMs!);
    });

    it('a slow first byte past the timeout ends at the timeout, naming the phase', async () => {
      const { value: f, ms } = await elapsed(() => probeHttp({ url: `${base}/slow`, timeoutMs: 200 }));
      expect(f.error).toMatchObject({ code: 'TIMEOUT', reason: expect.stringMatching(/first byte/) });
      expect(f.status).toBeUndefined();
      expect(ms).toBeLessThan(200 + SLACK);
    });

    it('the body is bounded: judged, measured and digested up to the limit, the rest not read', async () => {
      const f = await probeHttp({ url: `${base}/big`, body: [{ match: '^x+$' }], timeoutMs: 2_000 });
      expect(f.status).toBe(200);
      expect(f.body).toEqual({
        size: 64 * 1024,
        truncated: true,
        sha256: createHash('sha256')
          .update('x'.repeat(64 * 1024))
          .digest('hex'),
        judged: [{ matcher: { match: '^x+$' }, failures: [] }],
      });
    });

    it('a tarpit that accepts and never answers times out inside the timeout', async () => {
      const { value: f, ms } = await elapsed(() => probeHttp({ url: `http://${NS_ADDR}:${openPort}/`, timeoutMs: TIMEOUT }));
      expect(f.error).toMatchObject({ code: 'TIMEOUT', reason: expect.stringMatching(/first byte/) });
      expect(f.timings.connectMs).toBeGreaterThan(0);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
    });

    it('refused, filtered, reset and not-HTTP become reasons', async () => {
      const refused = await probeHttp({ url: `http://${NS_ADDR}:${PORTS.refused}/`, timeoutMs: TIMEOUT });
      expect(refused.error?.code).toBe('ECONNREFUSED');
      const dropped = await elapsed(() => probeHttp({ url: `http://${NS_ADDR}:${PORTS.dropped}/`, timeoutMs: TIMEOUT }));
      expect(dropped.value.error).toMatchObject({ code: 'TIMEOUT', reason: expect.stringMatching(/TCP handshake/) });
      expect(dropped.ms).toBeLessThan(TIMEOUT + SLACK);
      const reset = await probeHttp({ url: `http://${NS_ADDR}:${PORTS.reset}/`, timeoutMs: 2_000 });
      expect(reset.error).toMatchObject({ code: 'ECONNRESET' });
      const garbage = await probeHttp({ url: `http://${NS_ADDR}:${PORTS.garbage}/`, timeoutMs: 2_000 });
      expect(garbage.error?.code).toBe('NOT_HTTP');
    });

    it('HTTPS: verified against a CA file, with the TLS phase timed', async () => {
      const f = await probeHttp({ url: `https://${NS_ADDR}:${PORTS.https}/hsts`, caFile: join(dir, 'cert.pem'), timeoutMs: 3_000 });
      expect(f.error).toBeUndefined();
      expect(f.status).toBe(200);
      expect(f.timings.tlsMs).toBeGreaterThan(0);
      expect(f.hsts?.maxAge).toBe(63072000);
    });

    it('HTTPS: without the CA file the self-signed certificate is the reason', async () => {
      const f = await probeHttp({ url: `https://${NS_ADDR}:${PORTS.https}/`, timeoutMs: 3_000 });
      expect(f.status).toBeUndefined();
      expect(f.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(f.error?.reason).toMatch(/certificate/);
    });

    it('HTTPS against a plain HTTP port is not TLS; a missing CA file is a reason too', async () => {
      const f = await probeHttp({ url: `https://${NS_ADDR}:${PORTS.http}/`, timeoutMs: 2_000 });
      expect(f.error?.code).toBe('NOT_TLS');
      const g = await probeHttp({ url: `https://${NS_ADDR}:${PORTS.https}/`, caFile: join(dir, 'nope.pem'), timeoutMs: 2_000 });
      expect(g.error?.code).toBe('CA_FILE');
    });
  });
});

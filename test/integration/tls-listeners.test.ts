// The baseline's TLS listener checks on a real test host: inside a network namespace, `openssl s_server`
// listens on every address of 443 (TLS 1.0-1.2 at @SECLEVEL=0, a certificate with three days left), a modern
// one on 127.0.0.1:8443, and a plain HTTP server on 6443. The built CLI audits the namespace from inside it with
// builtin:baseline; every verdict is held to what the servers do, and sslscan, run on the same ports, agrees.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { byId, report } from './harness/audit.js';
import { parseSslscan, sslscanProtocols } from './harness/tls-servers.js';
import type { Report } from '../../src/report/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const CERTS = join(ROOT, 'fixtures/certs');
const why = netnsSkipReason();
if (why) console.log(`skipping TLS listener integration tests: ${why}`);

const sServer = (accept: string, cert: string, ...args: string[]): string[] => [
  'openssl',
  's_server',
  '-accept',
  accept,
  '-cert',
  join(CERTS, `${cert}.crt`),
  '-key',
  join(CERTS, `${cert}.key`),
  '-cert_chain',
  join(CERTS, 'intermediate-ca.crt'),
  '-www',
  '-quiet',
  ...args,
];

(why ? describe.skip : describe)("builtin:baseline's TLS listener checks on a real test host", () => {
  let host: TestHost;
  let rep: Report;
  let r: Record<string, Result>;

  beforeAll(async () => {
    host = await TestHost.create({ name: 'tlsl' });
    await host.startServer(sServer('443', 'three-day', '-no_tls1_3', '-cipher', 'ALL:@SECLEVEL=0'), 443);
    await host.startServer(sServer('127.0.0.1:8443', 'leaf', '-no_tls1', '-no_tls1_1'), 8443);
    await host.startServer(['python3', '-m', 'http.server', '6443', '--bind', '127.0.0.1'], 6443);
    const run = await host.exec(process.execPath, [CLI, 'audit', '--format', 'json'], { timeoutMs: 60_000 });
    rep = report(run);
    r = byId(rep);
  }, 90_000);

  afterAll(async () => {
    await host?.destroy();
  });

  it('names the listener that accepts TLS 1.0 and 1.1, and passes the modern one', () => {
    const v = r['tls.listener-versions']!;
    expect(v.status).toBe('fail');
    expect(v.details!.map((d) => [d.subject, d.status])).toEqual([
      ['127.0.0.1:443 (openssl)', 'fail'],
      ['127.0.0.1:8443 (openssl)', 'pass'],
    ]);
    expect(v.details![0]!.actual).toMatch(/^TLSv1 is accepted \(.*\); TLSv1\.1 is accepted \(/);
    // The plain HTTP server on a TLS port is seen, said, and judged by no TLS check.
    expect(v.message).toContain('(127.0.0.1:6443 answers no TLS ClientHello: not TLS)');
  });

  it('names the certificate with three days left', () => {
    const c = r['tls.listener-certificates']!;
    expect(c.status).toBe('fail');
    expect(c.details!.map((d) => [d.subject, d.status])).toEqual([
      ['127.0.0.1:443 (openssl)', 'fail'],
      ['127.0.0.1:8443 (openssl)', 'pass'],
    ]);
    const days = Math.floor((Date.parse('2026-12-04T00:00:00Z') - Date.parse(rep.host.collectedAt)) / 86_400_000);
    expect(c.details![0]!.actual).toContain(
      `leaf chain.test (certificate 0) expires first (2026-12-04T00:00:00.000Z): ${days < 0 ? `expired ${-days} day${days === -1 ? '' : 's'} ago, ` : ''}days left is ${days}, not >= 14`,
    );
  });

  it('agrees with sslscan on every version of both TLS listeners', async () => {
    const facts = await host.exec(process.execPath, [CLI, 'facts'], { timeoutMs: 60_000 });
    const snapshot = JSON.parse(facts.stdout) as {
      tlsListeners: Array<{ port: number; tls: { addresses: Array<{ versions: Array<{ version: string; verdict: string }> }> } }>;
    };
    for (const port of [443, 8443]) {
      const ours = snapshot.tlsListeners.find((l) => l.port === port)!.tls.addresses[0]!.versions;
      const scan = await host.exec('sslscan', sslscanProtocols(`127.0.0.1:${port}`), { timeoutMs: 30_000 });
      const theirs = parseSslscan(scan.stdout);
      expect(Object.keys(theirs).length, scan.stdout).toBe(5);
      expect(Object.fromEntries(ours.map((v) => [v.version, v.verdict]))).toEqual(theirs);
    }
  }, 60_000);
});

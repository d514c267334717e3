// tcp, dns and http checks end to end: the built CLI audits real servers in a network-namespace test host
// (an open port, a refused one, one an nft rule drops, dnsmasq, a Python HTTP server with a redirect and HSTS,
// a tarpit that accepts and never answers), `facts -o` then `audit --facts` judges the snapshot the same way,
// and a hanging probe cannot hold the audit past its --deadline. Traffic goes only to 198.18.160.0/24.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { PROBE_SERVERS_PY, dnsmasqArgv } from './harness/probe-servers.js';
import type { Report } from '../../src/report/model.js';
import type { FactsSnapshot } from '../../src/facts/model.js';

const why = netnsSkipReason();
if (why) console.log(`skipping probe audit integration tests: ${why}`);

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const NS = '198.18.160.2';
const PORTS = { http: 8080, refused: 8079, dropped: 8081, dns: 53 };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[]): Promise<Run> {
  const start = performance.now();
  return new Promise((done, fail) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') return fail(err);
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr, ms: performance.now() - start });
    });
  });
}

function policy(checks: string[], timeout = '1s'): string {
  return `apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: probes\ndefaults:\n  timeout: ${timeout}\nchecks:\n${checks.map((c) => `  - ${c}`).join('\n')}\n`;
}

describe.skipIf(why !== null)('audit with tcp, dns and http checks against a test host', () => {
  let host: TestHost;
  let dir: string;
  let tarpit: number;
  let policyFile: string;
  let live: Report;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    dir = mkdtempSync(join(tmpdir(), 'pl-probes-audit-'));
    writeFileSync(join(dir, 'servers.py'), PROBE_SERVERS_PY);
    host = await TestHost.create({
      name: 'probes-audit',
      veth: { hostAddr: '198.18.160.1/24', nsAddr: `${NS}/24` },
      nft: `table inet plprobeaudit {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${PORTS.dropped} drop
  }
}`,
      // Accepts and holds every connection without a byte back: open for TCP, a hang for HTTP.
      listeners: [{ address: NS, port: 0, name: 'pl-tarpit' }],
    });
    tarpit = host.listener('pl-tarpit').port;
    await host.startServer(['/usr/bin/python3', join(dir, 'servers.py'), 'http', NS, String(PORTS.http), '5'], PORTS.http);
    await host.startServer(dnsmasqArgv(dir, NS, [`--address=/app.test/${NS}`, '--address=/gone.test/', '--mx-host=app.test,mail.app.test,10']), PORTS.dns);
    const base = `http://${NS}:${PORTS.http}`;
    policyFile = join(dir, 'probes.yaml');
    writeFileSync(
      policyFile,
      policy([
        `{ id: tcp.open, title: t, severity: high, tcp: { host: ${NS}, port: ${PORTS.http}, samples: 3 }, expect: { connect: open, latencyMs: { p95: { lte: 500 } } } }`,
        `{ id: tcp.refused, title: t, severity: low, tcp: { host: ${NS}, port: ${PORTS.refused} }, expect: { connect: refused } }`,
        `{ id: tcp.dropped, title: t, severity: low, tcp: { host: ${NS}, port: ${PORTS.dropped} }, expect: { connect: filtered } }`,
        `{ id: tcp.wants-open, title: t, severity: high, tcp: { host: ${NS}, port: ${PORTS.refused} }, expect: { connect: open } }`,
        `{ id: tcp.dropped-open, title: t, severity: low, tcp: { host: ${NS}, port: ${PORTS.dropped} }, expect: { connect: open } }`,
        `{ id: dns.app, title: t, severity: high, dns: { name: app.test, server: "${NS}" }, expect: { resolves: true, answers: ["${NS}"], latencyMs: { lt: 500 } } }`,
        `{ id: dns.mx, title: t, severity: low, dns: { name: app.test, type: MX, server: "${NS}" }, expect: { answers: ["10 mail.app.test"] } }`,
        `{ id: dns.gone, title: t, severity: low, dns: { name: gone.test, server: "${NS}" }, expect: { resolves: false } }`,
        `{ id: dns.gone-wanted, title: t, severity: low, dns: { name: gone.test, server: "${NS}" }, expect: { resolves: true } }`,
        `{ id: http.redirect, title: t, severity: high, http: { url: "${base}/redirect" }, expect: { status: 301, redirectsTo: "${base}/target?from=redirect" } }`,
        `{ id: http.hsts, title: t, severity: high, http: { url: "${base}/hsts" }, expect: { status: 200, hsts: { maxAge: { gte: 31536000 }, includeSubDomains: true }, headers: { strict-transport-security: { match: "max-age=" } } } }`,
        `{ id: http.hsts-preload, title: t, severity: low, http: { url: "${base}/hsts" }, expect: { hsts: { preload: true } } }`,
        `{ id: http.body, title: t, severity: low, http: { url: "${base}/" }, expect: { body: { match: "^hello" }, timings: { totalMs: { lt: 900 } } } }`,
        `{ id: http.refused, title: t, severity: low, http: { url: "http://${NS}:${PORTS.refused}/" }, expect: { status: 200 } }`,
        `{ id: http.tarpit, title: t, severity: low, http: { url: "http://${NS}:${tarpit}/" }, expect: { status: 200 } }`,
        `{ id: http.slow, title: t, severity: low, timeout: 700ms, http: { url: "${base}/slow" }, expect: { status: 200 } }`,
      ]),
    );
    const r = await cli(['audit', '-p', policyFile, '--format', 'json']);
    expect(r.stderr).toBe('');
    live = JSON.parse(r.stdout) as Report;
  }, 120_000);

  afterAll(async () => {
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const result = (id: string) => {
    const x = live.results.find((r) => r.id === id);
    if (!x) throw new Error(`no result ${id}`);
    return x;
  };

  it('judges open, refused and dropped ports, per address', () => {
    expect(result('tcp.open')).toMatchObject({ status: 'pass', area: 'probes' });
    expect(result('tcp.open').details).toEqual([
      expect.objectContaining({ subject: `${NS}:${PORTS.http}`, status: 'pass', actual: expect.stringMatching(/^open, p50 .* over 3 connects$/) }),
    ]);
    expect(result('tcp.refused').status).toBe('pass');
    expect(result('tcp.dropped').status).toBe('pass');
    expect(result('tcp.wants-open')).toMatchObject({ status: 'fail', message: `${NS}:${PORTS.refused} is refused, not open (connection refused)` });
    expect(result('tcp.dropped-open')).toMatchObject({
      status: 'fail',
      message: `${NS}:${PORTS.dropped} is filtered, not open (no answer within the timeout (dropped))`,
    });
  });

  it('judges dnsmasq answers, NXDOMAIN included', () => {
    expect(result('dns.app')).toMatchObject({ status: 'pass', actual: expect.stringMatching(new RegExp(`^${NS.replace(/\./g, '\\.')} in `)) });
    expect(result('dns.mx').status).toBe('pass');
    expect(result('dns.gone').status).toBe('pass');
    expect(result('dns.gone-wanted')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('does not resolve: the name does not exist (NXDOMAIN)'),
    });
  });

  it('judges a redirect, HSTS, a body and its timing', () => {
    expect(result('http.redirect')).toMatchObject({ status: 'pass' });
    // The header comes over plain HTTP and nothing redirects to HTTPS: a browser ignores it (RFC 6797 §8.1).
    const ignored = `HSTS is ignored over plain HTTP (RFC 6797 §8.1) and http://${NS}:${PORTS.http}/hsts does not redirect to HTTPS`;
    expect(result('http.hsts')).toMatchObject({ status: 'fail', message: `GET http://${NS}:${PORTS.http}/hsts: ${ignored}` });
    expect(result('http.hsts-preload')).toMatchObject({ status: 'fail', message: expect.stringContaining(ignored) });
    expect(result('http.body')).toMatchObject({ status: 'pass' });
  });

  it('a request to a refused port fails with the tcp check as its cause; a hanging and a slow server are errors with the reason', () => {
    expect(result('http.refused')).toMatchObject({ status: 'fail', cause: 'tcp.wants-open', message: expect.stringContaining('ECONNREFUSED') });
    expect(result('http.tarpit')).toMatchObject({ status: 'error', message: expect.stringContaining('TIMEOUT') });
    expect(result('http.slow')).toMatchObject({ status: 'error', message: expect.stringContaining('TIMEOUT') });
    expect(result('http.tarpit').cause).toBeUndefined();
    expect(result(`implied.tcp.${NS}:${tarpit}`)).toMatchObject({ status: 'pass', impliedBy: ['http.tarpit'] });
  });

  it('facts -o then audit --facts gives the same results', async () => {
    const snap = join(dir, 'facts.json');
    const f = await cli(['facts', '-p', policyFile, '-o', snap]);
    expect(f).toMatchObject({ code: 0, stderr: '' });
    const facts = JSON.parse(readFileSync(snap, 'utf8')) as FactsSnapshot;
    expect(Object.keys(facts.probes ?? {}).sort()).toEqual(
      [
        `dns app.test A @${NS}`,
        `dns app.test MX @${NS}`,
        `dns gone.test A @${NS}`,
        `http GET http://${NS}:${PORTS.http}/`,
        `http GET http://${NS}:${PORTS.http}/hsts`,
        `http GET http://${NS}:${PORTS.http}/redirect`,
        `http GET http://${NS}:${PORTS.http}/slow`,
        `http GET http://${NS}:${PORTS.refused}/`,
        `http GET http://${NS}:${tarpit}/`,
        `tcp ${NS}:${PORTS.dropped}`,
        `tcp ${NS}:${PORTS.http}`,
        // Implied by http.tarpit: the policy has no tcp check of that port. The tarpit accepts TCP, so it passes.
        `tcp ${NS}:${tarpit}`,
        `tcp ${NS}:${PORTS.refused}`,
      ].sort(),
    );
    const offline = await cli(['audit', '-p', policyFile, '--facts', snap, '--format', 'json']);
    expect(offline.stderr).toBe('');
    const judged = (JSON.parse(offline.stdout) as Report).results.map((r) => [r.id, r.status, r.cause]);
    expect(judged).toEqual(live.results.map((r) => [r.id, r.status, r.cause]));
    // Judging the same snapshot twice gives the very same words.
    const again = await cli(['audit', '-p', policyFile, '--facts', snap, '--format', 'json']);
    expect((JSON.parse(again.stdout) as Report).results).toEqual((JSON.parse(offline.stdout) as Report).results);
  }, 60_000);

  it('ends within its --deadline when probes hang, keeping every other result', async () => {
    const file = join(dir, 'hang.yaml');
    writeFileSync(
      file,
      policy(
        [
          `{ id: hang, title: t, severity: low, http: { url: "http://${NS}:${tarpit}/" }, expect: { status: 200 } }`,
          `{ id: slow, title: t, severity: low, http: { url: "http://${NS}:${PORTS.http}/slow" }, expect: { status: 200 } }`,
          `{ id: dropped, title: t, severity: low, tcp: { host: ${NS}, port: ${PORTS.dropped} }, expect: { connect: filtered } }`,
          `{ id: open, title: t, severity: low, tcp: { host: ${NS}, port: ${PORTS.http} }, expect: { connect: open } }`,
        ],
        '30s',
      ),
    );
    const r = await cli(['audit', '-p', file, '--format', 'json', '--deadline', '1500ms']);
    expect(r.stderr).toBe('');
    // Node's start-up and a busy CI machine on top of the deadline; far under the 30 s probe timeout.
    expect(r.ms).toBeLessThan(6_000);
    const results = Object.fromEntries((JSON.parse(r.stdout) as Report).results.map((x) => [x.id, x]));
    expect(results.hang).toMatchObject({ status: 'error', message: expect.stringContaining('deadline') });
    expect(results.slow).toMatchObject({ status: 'error', message: expect.stringContaining('deadline') });
    // A dropped SYN under a 30 s timeout: the deadline ends the wait too.
    expect(results.dropped).toMatchObject({ status: 'error', message: expect.stringContaining('deadline') });
    expect(results.open!.status).toBe('pass');
    expect(r.code).toBe(1);
  }, 30_000);

  it('refuses a bad --deadline and --concurrency as usage errors', async () => {
    expect(await cli(['audit', '-p', policyFile, '--deadline', 'soon'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--deadline is not a duration'),
    });
    expect(await cli(['facts', '-p', policyFile, '--concurrency', '0'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--concurrency takes a whole number'),
    });
  });
});

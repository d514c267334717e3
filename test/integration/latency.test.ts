// Latency measures the network, not the auditor (issue 13). Inside a test host (a network namespace, loopback
// only), `plumbline audit` runs a policy that extends the built-in baseline (which reads /proc, runs nft and ip
// and parses their JSON on the main thread) beside a `tcp` check of 20 samples and an `http` check of a loopback
// server, while a minimal Python client times sequential connects to the same server at the same moment. The
// audit's TCP p95 and HTTP connectMs must be within 1 ms of the client's. One run on a loaded machine can meet a
// stall that has nothing to do with either, so the comparison takes the median over a bounded number of runs.
// Then the check's one timeout: samples share it (a port that stops answering ends the probe with the samples
// taken), and a silent address of a name leaves the others judged.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { report } from './harness/audit.js';
import { PY_EXIT_WITH_PARENT, startInNs } from './harness/probe-servers.js';
import { parse } from 'yaml';
import { CLI, ROOT } from '../helpers/run.js';
import type { HttpFact, TcpFact } from '../../src/facts/model.js';
import type { Report } from '../../src/report/model.js';

const why = netnsSkipReason();
if (why) console.log(`skipping latency integration tests: ${why}`);

/** Audits compared, each beside its own reference run; the median of their differences is judged. */
const RUNS = 5;
const SAMPLES = 20;
const PORTS = { web: 18080, limited: 18081, twoAddresses: 18082 };
/** SYNs the rate limit lets through on the limited port before it drops every further one. */
const LIMIT_BURST = 5;

/** A loopback HTTP server with a deep accept queue, so no connect ever waits for room in it. */
const SERVER_PY = String.raw`
import os, socketserver, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
${PY_EXIT_WITH_PARENT}
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        body = b'ok'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

class Server(ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

srv = Server((sys.argv[1], int(sys.argv[2])), H)
print('READY', flush=True)
srv.serve_forever()
`;

/**
 * The reference: rounds of sequential connects timed with perf_counter, one line of milliseconds per round, a
 * short pause between rounds so the client does not take a core from the audit. Bounded in rounds and time;
 * it exits when its stdin closes.
 */
const REFERENCE_PY = String.raw`
import os, socket, sys, threading, time
${PY_EXIT_WITH_PARENT}addr, port, samples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
end = time.monotonic() + 120
for _ in range(3000):
    if time.monotonic() > end:
        break
    ms = []
    for _ in range(samples):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t0 = time.perf_counter()
        s.connect((addr, port))
        ms.append((time.perf_counter() - t0) * 1000)
        s.close()
    print('ROUND ' + ' '.join('%.4f' % m for m in ms), flush=True)
    time.sleep(0.02)
`;

/** Nearest-rank percentile, as the probe computes it. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(Math.max(1, Math.ceil((p / 100) * sorted.length)), sorted.length) - 1]!;
}

const median = (values: readonly number[]): number => percentile(values, 50);
const round2 = (v: number): number => Math.round(v * 100) / 100;

describe.skipIf(why !== null)('latency measures the network, not the auditor', () => {
  let host: TestHost;
  let dir: string;
  const children: ChildProcess[] = [];
  /** Whether this file made /etc/netns (iproute2's per-namespace configuration), to leave it as it was. */
  let madeEtcNetns = false;

  const start = (argv: string[], ready: RegExp, onLine?: (l: string) => void): Promise<ChildProcess> => startInNs(host.ns, argv, ready, children, onLine);

  const audit = async (policy: string) => {
    const r = await host.exec(process.execPath, [CLI, 'audit', '-p', join(dir, policy), '--format', 'json'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    return report(r);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-latency-'));
    writeFileSync(join(dir, 'server.py'), SERVER_PY);
    writeFileSync(join(dir, 'reference.py'), REFERENCE_PY);
    host = await TestHost.create({
      name: 'latency',
      nft: `table inet pllatency {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${PORTS.limited} ct state new limit rate over 1/hour burst ${LIMIT_BURST} packets drop
    ip daddr 127.0.0.1 tcp dport ${PORTS.twoAddresses} drop
  }
}`,
      listeners: [
        { address: '127.0.0.1', port: PORTS.limited, name: 'pl-limited' },
        { address: '::', port: PORTS.twoAddresses, name: 'pl-dual' },
      ],
    });
    // `ip netns exec` reads this namespace's own hosts file: a name with an IPv4 and an IPv6 address.
    madeEtcNetns = !existsSync('/etc/netns');
    mkdirSync(`/etc/netns/${host.ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${host.ns}/hosts`, '127.0.0.1 localhost\n127.0.0.1 two.test\n::1 two.test\n');
    await start(['/usr/bin/python3', join(dir, 'server.py'), '127.0.0.1', String(PORTS.web)], /^READY$/);
    const check = (c: string) => `  - ${c}\n`;
    const head = 'apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: latency }\n';
    writeFileSync(
      join(dir, 'latency.yaml'),
      `${head}extends: [builtin:baseline]\nchecks:\n` +
        check(`{ id: lat.tcp, title: t, severity: low, tcp: { host: 127.0.0.1, port: ${PORTS.web}, samples: ${SAMPLES} }, expect: { connect: open } }`) +
        check(`{ id: lat.http, title: t, severity: low, http: { url: "http://127.0.0.1:${PORTS.web}/" }, expect: { status: 200 } }`),
    );
    writeFileSync(
      join(dir, 'budget.yaml'),
      `${head}checks:\n` +
        check(
          `{ id: limited, title: t, severity: low, timeout: 800ms, tcp: { host: 127.0.0.1, port: ${PORTS.limited}, samples: ${SAMPLES} }, expect: { connect: open } }`,
        ) +
        check(`{ id: two, title: t, severity: low, timeout: 1s, tcp: { host: two.test, port: ${PORTS.twoAddresses}, samples: 3 }, expect: { connect: open } }`),
    );
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    if (host) rmSync(`/etc/netns/${host.ns}`, { recursive: true, force: true });
    if (madeEtcNetns && existsSync('/etc/netns') && readdirSync('/etc/netns').length === 0) rmSync('/etc/netns', { recursive: true });
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`tcp p95 (${SAMPLES} samples) and http connectMs, beside the baseline, are within 1 ms of a minimal client's`, async () => {
    const rows: Array<{ tcpP95: number; refP95: number; connectMs: number; refP50: number; rounds: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      let during: number[][] | undefined;
      const reference = await start(['/usr/bin/python3', join(dir, 'reference.py'), '127.0.0.1', String(PORTS.web), String(SAMPLES)], /^ROUND /, (l) => {
        if (during && l.startsWith('ROUND ')) during.push(l.slice(6).split(' ').map(Number));
      });
      // Only the rounds timed while the audit ran are its reference.
      during = [];
      const rep = await audit('latency.yaml');
      const rounds = during;
      during = undefined;
      reference.stdin?.end();
      const tcp = rep.facts!.probes![`tcp 127.0.0.1:${PORTS.web}`] as TcpFact;
      const http = rep.facts!.probes![`http GET http://127.0.0.1:${PORTS.web}/`] as HttpFact;
      expect(tcp.clock).toEqual({ thread: 'worker' });
      expect(http.clock).toEqual({ thread: 'worker' });
      expect(tcp.addresses[0]!.latency!.count).toBe(SAMPLES);
      expect(rounds.length).toBeGreaterThan(0);
      rows.push({
        tcpP95: tcp.addresses[0]!.latency!.p95Ms,
        refP95: round2(median(rounds.map((r) => percentile(r, 95)))),
        connectMs: http.timings.connectMs!,
        refP50: round2(median(rounds.flat())),
        rounds: rounds.length,
      });
    }
    const tcpDiff = round2(median(rows.map((r) => Math.abs(r.tcpP95 - r.refP95))));
    const httpDiff = round2(median(rows.map((r) => Math.abs(r.connectMs - r.refP50))));
    console.log(
      [
        'run  audit tcp p95  reference p95  audit http connectMs  reference p50  reference rounds',
        ...rows.map((r, i) => `${i + 1}    ${r.tcpP95} ms   ${r.refP95} ms   ${r.connectMs} ms   ${r.refP50} ms   ${r.rounds}`),
        `median |difference|: tcp p95 ${tcpDiff} ms, http connectMs ${httpDiff} ms`,
      ].join('\n'),
    );
    expect(tcpDiff).toBeLessThanOrEqual(1);
    expect(httpDiff).toBeLessThanOrEqual(1);
  }, 300_000);

  it("the GitHub Action's single-file bundle probes in its worker too", async () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { main: string } };
    const ws = join(dir, 'workspace');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'output'), '');
    writeFileSync(join(ws, 'summary.md'), '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_WORKSPACE: ws,
      GITHUB_OUTPUT: join(ws, 'output'),
      GITHUB_STEP_SUMMARY: join(ws, 'summary.md'),
    };
    for (const [k, v] of Object.entries(action.inputs)) env[`INPUT_${k.toUpperCase()}`] = v.default ?? '';
    Object.assign(env, { INPUT_POLICY: join(dir, 'latency.yaml'), INPUT_JSON: 'report.json', 'INPUT_SOFT-FAIL': 'true' });
    const r = await host.exec(process.execPath, [join(ROOT, action.runs.main)], { env, timeoutMs: 60_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(ws, 'report.json'), 'utf8')) as Report;
    expect((rep.facts!.probes![`tcp 127.0.0.1:${PORTS.web}`] as TcpFact).clock).toEqual({ thread: 'worker' });
    expect((rep.facts!.probes![`http GET http://127.0.0.1:${PORTS.web}/`] as HttpFact).clock).toEqual({ thread: 'worker' });
  }, 60_000);

  it('samples share the check timeout: a port that stops answering ends the probe with the samples taken', async () => {
    const rep = await audit('budget.yaml');
    const limited = (rep.facts!.probes![`tcp 127.0.0.1:${PORTS.limited}`] as TcpFact).addresses[0]!;
    expect(limited).toMatchObject({ connect: 'open', attempts: LIMIT_BURST + 1, succeeded: LIMIT_BURST, error: { code: 'TIMEOUT' } });
    expect(limited.stopped).toEqual({ code: 'TIMEOUT', reason: `the 800 ms timeout ran out after ${LIMIT_BURST + 1} of ${SAMPLES} connects` });
    const result = rep.results.find((r) => r.id === 'limited')!;
    expect(result).toMatchObject({
      status: 'pass',
      actual: expect.stringContaining(`over ${LIMIT_BURST} connects (the 800 ms timeout ran out after ${LIMIT_BURST + 1} of ${SAMPLES} connects)`),
    });
  }, 60_000);

  it('addresses of a name go one at a time, and a silent one leaves the others judged', async () => {
    const rep = await audit('budget.yaml');
    const two = rep.facts!.probes![`tcp two.test:${PORTS.twoAddresses}`] as TcpFact;
    const by = Object.fromEntries(two.addresses.map((a) => [a.address, a]));
    expect(Object.keys(by).sort()).toEqual(['127.0.0.1', '::1']);
    expect(by['127.0.0.1']).toMatchObject({
      connect: 'filtered',
      attempts: 1,
      error: { code: 'TIMEOUT', reason: expect.stringContaining('share of the 1000 ms timeout') },
    });
    expect(by['::1']).toMatchObject({ connect: 'open', attempts: 3, succeeded: 3 });
    expect(by['::1']!.stopped).toBeUndefined();
  }, 60_000);
});

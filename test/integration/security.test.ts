// A policy is data, and so is what it makes plumbline fetch. End to end, through the built CLI (host and fleet
// modes) and the GitHub Action's bundle, all run inside a network-namespace test host:
// (a) an http check against a real server whose body and headers carry secrets: the reports and the facts
//     snapshot hold the body's outcome (the expectations it met, its size, its SHA-256) and no byte of it, and no
//     header but those a check names and the security headers; the verdicts are the expectations' own, and
//     `audit --facts` gives the same ones;
// (b) link-local and metadata targets (169.254.0.0/16, fe80::/10, fd00:ec2::254, an IPv4-mapped form, names that
//     dnsmasq resolves there, a DNS server there, a redirect there) are `error` results with reason
//     target-refused, at once and with nothing sent: the namespace routes those networks into a veth pair of its own,
//     behind an nft rule that counts and drops such packets, and the counters stay at zero. Admitting a network
//     (--allow-target, the Action's allow-targets) is shown against the namespace's own 198.18.176.0/24 only;
//     a bad network is a usage error.
// Traffic goes only to 198.18.176.0/24; nothing can leave the namespace towards 169.254.0.0/16 or fd00:ec2::/64.
import { execFileSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason, withBindMounts } from './harness/netns.js';
import { dnsmasqArgv } from './harness/probe-servers.js';
import type { ExecResult } from './harness/netns.js';
import type { Report, ReportResult } from '../../src/report/model.js';
import type { FactsSnapshot } from '../../src/facts/model.js';
import type { HttpFact } from '../../src/probes/net-model.js';
import type { FleetReport } from '../../src/report/fleet/model.js';

const why = netnsSkipReason();
if (why) console.log(`skipping security integration tests: ${why}`);

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { main: string } };
const NS = '198.18.176.2';
const PORT = 8080;

// Letters no hex digest, base64 of these reports or English word is made of: a window of them in an output can
// only have come from the body.
const SECRET = Array.from({ length: 48 }, () => 'ghjkmnpqrstvwxyz'[randomInt(16)]).join('');
const BODY = `BODYSTART ${SECRET}\n`;
const HEADER_SECRETS = { server: 'srvsecret-zzqqxx', token: 'hdrsecret-qqzzkk' };

/** Every 8-character window of the secret: none may appear anywhere a report or snapshot goes. */
function expectNoSecret(text: string, where: string): void {
  for (let i = 0; i + 8 <= SECRET.length; i++) expect(text.includes(SECRET.slice(i, i + 8)), `${where} holds part of the body`).toBe(false);
  for (const h of Object.values(HEADER_SECRETS)) expect(text.includes(h), `${where} holds an unnamed header's value`).toBe(false);
}

const SERVER_JS = `
const http = require('node:http');
const [addr, port, body, server, token] = process.argv.slice(2);
http.createServer((req, res) => {
  if (req.url === '/secret') {
    res.writeHead(200, {
      'Server': server,
      'X-Amz-Security-Token': token,
      'Content-Security-Policy': "default-src 'self'",
      'X-Frame-Options': 'DENY',
      'X-Custom': 'named-value',
      'Content-Type': 'text/plain',
    });
    return res.end(body);
  }
  const to = { '/to-metadata': 'http://169.254.169.254/latest/meta-data/', '/to-metadata-name': 'http://metadata.test/' }[req.url];
  if (to) {
    res.writeHead(301, { Location: to });
    return res.end();
  }
  res.writeHead(404);
  res.end();
}).listen(Number(port), addr);
`;

function policy(name: string, checks: string[]): string {
  return `apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: ${name}\ndefaults:\n  timeout: 5s\nchecks:\n${checks.map((c) => `  - ${c}`).join('\n')}\n`;
}

const BASE = `http://${NS}:${PORT}`;
const BODY_POLICY = policy('bodies', [
  `{ id: body.match, title: t, severity: high, http: { url: "${BASE}/secret" }, expect: { status: 200, body: { match: "^BODYSTART [a-z]+$" } } }`,
  `{ id: body.contains-miss, title: t, severity: low, http: { url: "${BASE}/secret" }, expect: { body: { contains: absent-needle } } }`,
  `{ id: body.eq, title: t, severity: low, http: { url: "${BASE}/secret" }, expect: { body: nope } }`,
  `{ id: header.named, title: t, severity: low, http: { url: "${BASE}/secret" }, expect: { headers: { X-Custom: named-value } } }`,
  `{ id: header.csp, title: t, severity: low, http: { url: "${BASE}/secret" }, expect: { headers: { Content-Security-Policy: { contains: "default-src" } } } }`,
]);
const BODY_VERDICTS = { 'body.match': 'pass', 'body.contains-miss': 'fail', 'body.eq': 'fail', 'header.named': 'pass', 'header.csp': 'pass' };

const REFUSED_POLICY = policy('refused', [
  '{ id: tcp.meta, title: t, severity: high, tcp: { host: 169.254.169.254, port: 80 }, expect: { connect: open } }',
  '{ id: tcp.mapped, title: t, severity: high, tcp: { host: "::ffff:169.254.169.254", port: 80 }, expect: { connect: open } }',
  '{ id: tcp.link-local6, title: t, severity: high, tcp: { host: "fe80::1", port: 80 }, expect: { connect: open } }',
  '{ id: tcp.imds6, title: t, severity: high, tcp: { host: "fd00:ec2::254", port: 80 }, expect: { connect: open } }',
  '{ id: http.gcp, title: t, severity: high, http: { url: "http://169.254.169.254/computeMetadata/v1/", headers: { Metadata-Flavor: Google } }, expect: { status: 200 } }',
  '{ id: http.name, title: t, severity: high, http: { url: "http://metadata.test/latest/meta-data/" }, expect: { status: 200 } }',
  '{ id: tls.name6, title: t, severity: high, tls: { host: metadata6.test, port: 443 }, expect: { versions: { refuse: [TLSv1] } } }',
  '{ id: dns.server, title: t, severity: high, dns: { name: app.test, server: "169.254.169.253" }, expect: { resolves: true } }',
  // Pings from the audited host are refused the same way: no echo request, no don't-fragment probe goes there.
  '{ id: icmp.meta, title: t, severity: high, icmp: { host: 169.254.169.254 }, expect: { reachable: true } }',
  '{ id: mtu.meta, title: t, severity: high, mtu: { host: 169.254.169.254 }, expect: { passes: true } }',
  `{ id: http.redirect, title: t, severity: high, http: { url: "${BASE}/to-metadata" }, expect: { hsts: { maxAge: { gte: 1 } } } }`,
  `{ id: http.redirect-name, title: t, severity: high, http: { url: "${BASE}/to-metadata-name" }, expect: { hsts: { maxAge: { gte: 1 } } } }`,
  // Beside them, what is no metadata target is probed as ever; reading DNS names that point there is no dial.
  `{ id: tcp.ok, title: t, severity: low, tcp: { host: ${NS}, port: ${PORT} }, expect: { connect: open } }`,
  `{ id: dns.ok, title: t, severity: low, dns: { name: metadata.test, server: "${NS}" }, expect: { answers: ["169.254.169.254"] } }`,
]);
const REFUSED_IDS = [
  'tcp.meta',
  'tcp.mapped',
  'tcp.link-local6',
  'tcp.imds6',
  'http.gcp',
  'http.name',
  'tls.name6',
  'dns.server',
  'icmp.meta',
  'mtu.meta',
  'http.redirect',
  'http.redirect-name',
];
const REFUSED_ADDRESS: Record<string, [string, string, string?]> = {
  'tcp.meta': ['169.254.169.254', '169.254.0.0/16'],
  'tcp.mapped': ['::ffff:169.254.169.254', '169.254.0.0/16'],
  'tcp.link-local6': ['fe80::1', 'fe80::/10'],
  'tcp.imds6': ['fd00:ec2::254', 'fd00:ec2::254/128'],
  'http.gcp': ['169.254.169.254', '169.254.0.0/16'],
  'http.name': ['169.254.169.254', '169.254.0.0/16', 'metadata.test'],
  'tls.name6': ['fd00:ec2::254', 'fd00:ec2::254/128', 'metadata6.test'],
  'dns.server': ['169.254.169.253', '169.254.0.0/16'],
  'icmp.meta': ['169.254.169.254', '169.254.0.0/16'],
  'mtu.meta': ['169.254.169.254', '169.254.0.0/16'],
  'http.redirect': ['169.254.169.254', '169.254.0.0/16'],
  'http.redirect-name': ['169.254.169.254', '169.254.0.0/16', 'metadata.test'],
};

describe.skipIf(why !== null)('policies from anyone: what the probes keep and where they connect', () => {
  let host: TestHost;
  let dir: string;
  let resolvConf: string;

  /** Runs argv inside the namespace, with the namespace's dnsmasq as the resolver (a private mount of resolv.conf). */
  function inNs(argv: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<ExecResult & { ms: number }> {
    const [cmd, args] = withBindMounts([[resolvConf, '/etc/resolv.conf']], argv);
    const start = performance.now();
    return host.exec(cmd, args, { env, timeoutMs }).then((r) => ({ ...r, ms: performance.now() - start }));
  }

  const cli = (args: string[], env?: NodeJS.ProcessEnv) => inNs([process.execPath, CLI, ...args], env);

  /** The Action as a runner starts it, inside the namespace: INPUT_* for every input (its default unless given). */
  async function action(inputs: Record<string, string>, name: string): Promise<ExecResult & { ws: string; summary: string }> {
    const ws = join(dir, `ws-${name}`);
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'bodies.yaml'), BODY_POLICY);
    writeFileSync(join(ws, 'refused.yaml'), REFUSED_POLICY);
    const output = join(ws, 'output');
    const summary = join(ws, 'summary.md');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const env: Record<string, string> = { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_WORKSPACE: ws, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
    for (const [k, v] of Object.entries(ACTION.inputs)) env[`INPUT_${k.toUpperCase()}`] = v.default ?? '';
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    // Given to env(1) as arguments: the shell that makes the mounts would drop names with a hyphen (INPUT_FAIL-UNDER).
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const r = await inNs(['env', '-i', `PATH=${process.env.PATH ?? ''}`, ...vars, process.execPath, join(ROOT, ACTION.runs.main)]);
    return { ...r, ws, summary: readFileSync(summary, 'utf8') };
  }

  /** Packets the namespace sent that an nft counter saw: `refused` (towards the refused networks, dropped) or `control`. */
  async function packets(counter: 'refused' | 'control'): Promise<number> {
    const r = await host.exec('nft', ['list', 'counter', 'inet', 'plsecurity', counter]);
    expect(r.exitCode, r.stderr).toBe(0);
    return Number(/packets (\d+)/.exec(r.stdout)![1]);
  }
  const packetsToRefused = () => packets('refused');

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 180_000 });
    dir = mkdtempSync(join(tmpdir(), 'pl-security-'));
    chmodSync(dir, 0o755);
    host = await TestHost.create({
      name: 'security',
      veth: { hostAddr: '198.18.176.1/24', nsAddr: `${NS}/24` },
      // Were a probe to send anything towards a refused network, it would be counted here and dropped.
      // The control counter shows that these counters see what a probe sends.
      nft: `table inet plsecurity {
  counter refused {}
  counter control {}
  chain output {
    type filter hook output priority 0; policy accept;
    meta l4proto { tcp, udp, icmp } ip daddr 169.254.0.0/16 counter name "refused" drop
    meta l4proto { tcp, udp } ip6 daddr { fe80::/10, fd00:ec2::/64 } counter name "refused" drop
    ip daddr 198.18.176.1 tcp dport 9 counter name "control"
  }
}`,
      // Routes to the refused networks lead into a veth pair both of whose ends are in this namespace: a connect
      // there would reach the counters above, and nothing could leave the namespace.
      commands: [
        ['ip', 'link', 'add', 'pl-meta0', 'type', 'veth', 'peer', 'name', 'pl-meta1'],
        ['ip', 'link', 'set', 'pl-meta0', 'up'],
        ['ip', 'link', 'set', 'pl-meta1', 'up'],
        ['ip', 'route', 'add', '169.254.0.0/16', 'dev', 'pl-meta0'],
        ['ip', '-6', 'route', 'add', 'fd00:ec2::/64', 'dev', 'pl-meta0'],
      ],
    });
    writeFileSync(join(dir, 'server.js'), SERVER_JS);
    await host.startServer([process.execPath, join(dir, 'server.js'), NS, String(PORT), BODY, HEADER_SECRETS.server, HEADER_SECRETS.token], PORT);
    await host.startServer(
      dnsmasqArgv(dir, NS, ['--address=/metadata.test/169.254.169.254', '--address=/metadata6.test/fd00:ec2::254', `--address=/app.test/${NS}`]),
      53,
    );
    resolvConf = join(dir, 'resolv.conf');
    writeFileSync(resolvConf, `nameserver ${NS}\n`);
    writeFileSync(join(dir, 'bodies.yaml'), BODY_POLICY);
    writeFileSync(join(dir, 'refused.yaml'), REFUSED_POLICY);
    writeFileSync(
      join(dir, 'control.yaml'),
      policy('control', ['{ id: control, title: t, severity: low, tcp: { host: 198.18.176.1, port: 9 }, expect: { connect: [refused, filtered] } }']),
    );
    writeFileSync(join(dir, 'inventory.ini'), `[web]\nweb1 ansible_host=${NS}\n`);
  }, 240_000);

  afterAll(async () => {
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const statuses = (rs: ReportResult[]) => Object.fromEntries(rs.filter((r) => r.impliedBy === undefined).map((r) => [r.id, r.status]));

  describe('(a) a body is judged, never kept; headers only where a check names them', () => {
    it('the CLI: every report format and the snapshot hold the outcome, size and digest, and no byte of the body', async () => {
      const out = (f: string) => join(dir, `a.${f}`);
      const facts = await cli(['facts', '-p', join(dir, 'bodies.yaml'), '-o', out('facts.json')]);
      expect(facts.exitCode, facts.stderr).toBe(0);
      const audit = await cli([
        'audit',
        '-p',
        join(dir, 'bodies.yaml'),
        ...['json', 'html', 'sarif', 'junit', 'markdown', 'prometheus'].flatMap((f) => ['--format', `${f}=${out(f)}`]),
      ]);
      expect(audit.exitCode, audit.stderr).toBe(1);
      for (const f of ['facts.json', 'json', 'html', 'sarif', 'junit', 'markdown', 'prometheus']) expectNoSecret(readFileSync(out(f), 'utf8'), f);
      expectNoSecret(audit.stdout + audit.stderr, 'the terminal report');

      const report = JSON.parse(readFileSync(out('json'), 'utf8')) as Report;
      expect(statuses(report.results)).toEqual(BODY_VERDICTS);
      expect(report.results.find((r) => r.id === 'body.eq')!.message).toBe(`GET ${BASE}/secret: body is not nope`);
      expect(report.results.find((r) => r.id === 'body.contains-miss')!.message).toBe(`GET ${BASE}/secret: body does not contain absent-needle`);

      for (const snapshot of [JSON.parse(readFileSync(out('facts.json'), 'utf8')) as FactsSnapshot, report.facts!]) {
        const http = snapshot.probes![`http GET ${BASE}/secret`] as HttpFact;
        expect(http.body).toEqual({
          size: Buffer.byteLength(BODY),
          sha256: createHash('sha256').update(BODY).digest('hex'),
          judged: [
            { matcher: { match: '^BODYSTART [a-z]+$' }, failures: [] },
            { matcher: { contains: 'absent-needle' }, failures: [{ code: 'not-contained', needle: 'absent-needle' }] },
            { matcher: 'nope', failures: [{ code: 'not-equal', expected: 'nope' }] },
          ],
        });
        // Named by a check, or a security header; Server and the token header are neither.
        expect(http.headers).toEqual({ 'content-security-policy': "default-src 'self'", 'x-custom': 'named-value', 'x-frame-options': 'DENY' });
        expect(http.headersKept).toContain('x-custom');
        expect(http.headersKept).not.toContain('server');
      }
    });

    it('audit --facts with the same policy gives the same verdicts and words', async () => {
      const live = await cli(['audit', '-p', join(dir, 'bodies.yaml'), '--format', 'json']);
      const saved = await cli(['audit', '-p', join(dir, 'bodies.yaml'), '--facts', join(dir, 'a.facts.json'), '--format', 'json']);
      expect(saved.exitCode, saved.stderr).toBe(1);
      // Word for word, but for the implied TCP check's connect time, which each live run measures anew.
      const [l, s] = [live, saved].map((r) =>
        (JSON.parse(r.stdout) as Report).results.map((x) => [x.id, x.status, x.impliedBy === undefined ? x.message : x.reason?.code]),
      );
      expect(s).toEqual(l);
      expect(statuses((JSON.parse(saved.stdout) as Report).results)).toEqual(BODY_VERDICTS);
    });

    it('the Action: the job summary, outputs and report files hold no byte of the body', async () => {
      const r = await action({ policy: 'bodies.yaml', json: 'out/r.json', html: 'out/r.html', sarif: 'out/r.sarif', markdown: 'out/r.md' }, 'bodies');
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      for (const f of ['r.json', 'r.html', 'r.sarif', 'r.md']) expectNoSecret(readFileSync(join(r.ws, 'out', f), 'utf8'), f);
      expectNoSecret(r.summary + r.stdout + r.stderr, 'the job page');
      expect(statuses((JSON.parse(readFileSync(join(r.ws, 'out/r.json'), 'utf8')) as Report).results)).toEqual(BODY_VERDICTS);
    });
  });

  describe('(b) link-local and metadata targets are refused before anything is sent', () => {
    function expectRefused(results: ReportResult[]): void {
      for (const id of REFUSED_IDS) {
        const r = results.find((x) => x.id === id)!;
        const [address, network, name] = REFUSED_ADDRESS[id]!;
        expect(r, id).toMatchObject({ status: 'error', reason: { code: 'target-refused', address, network, ...(name ? { host: name } : {}) } });
        // The words for the range, and the --allow-target value that would admit it.
        const words = network.includes(':') && !network.startsWith('fe80') ? 'a cloud metadata address' : 'link-local, where cloud metadata services answer';
        expect(r.message, id).toContain(` (${words}): not connected to, nothing sent; --allow-target ${network} (the Action's allow-targets) admits it`);
        expect(r.message.endsWith('admits it'), id).toBe(true);
      }
      expect(results.find((x) => x.id === 'tcp.ok')!.status).toBe('pass');
      expect(results.find((x) => x.id === 'dns.ok')!.status).toBe('pass');
    }

    it('the counters see what a probe sends (a connect to the veth peer, port 9)', async () => {
      const r = await cli(['audit', '-p', join(dir, 'control.yaml'), '--format', 'json']);
      expect(statuses((JSON.parse(r.stdout) as Report).results)).toEqual({ control: 'pass' });
      expect(await packets('control')).toBeGreaterThan(0);
    });

    it('the CLI: each is an error with reason target-refused, at once, and no packet went towards them', async () => {
      const before = await packetsToRefused();
      const r = await cli(['audit', '-p', join(dir, 'refused.yaml'), '--format', 'json']);
      expect(r.exitCode, r.stderr).toBe(1);
      expectRefused((JSON.parse(r.stdout) as Report).results);
      // Every check has a 5 s timeout: a refusal waits for nothing.
      expect(r.ms).toBeLessThan(4000);
      expect(await packetsToRefused()).toBe(before);
      expect(before).toBe(0);
    });

    it('a snapshot keeps the refusals, and audit --facts judges them the same', async () => {
      const snap = join(dir, 'b.facts.json');
      expect((await cli(['facts', '-p', join(dir, 'refused.yaml'), '-o', snap])).exitCode).toBe(0);
      const r = await cli(['audit', '-p', join(dir, 'refused.yaml'), '--facts', snap, '--format', 'json']);
      expectRefused((JSON.parse(r.stdout) as Report).results);
      expect(await packetsToRefused()).toBe(0);
    });

    it('--allow-target of other networks admits them and leaves the refusals standing', async () => {
      const r = await cli([
        'audit',
        '-p',
        join(dir, 'refused.yaml'),
        '--allow-target',
        '198.18.176.0/24',
        '--allow-target',
        '169.254.170.2/32',
        '--format',
        'json',
      ]);
      expectRefused((JSON.parse(r.stdout) as Report).results);
      expect(await packetsToRefused()).toBe(0);
    });

    it('a bad --allow-target is a usage error (exit 2) that says why, before anything is probed', async () => {
      for (const [given, words] of [
        ['169.254.0.0/33', '--allow-target: 169.254.0.0/33: /33 is longer than an IPv4 address (32 bits)'],
        ['metadata', '--allow-target: "metadata" is not an IP address'],
        ['169.254.1.0/16', '--allow-target: 169.254.1.0/16 has bits set past the /16: the network is 169.254.0.0/16'],
      ]) {
        const r = await cli(['audit', '-p', join(dir, 'refused.yaml'), '--allow-target', given!]);
        expect(r.exitCode, r.stderr).toBe(2);
        expect(r.stderr).toContain(`plumbline: ${words}`);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    });

    it('fleet mode (--inventory): the host reports carry the same refusals', async () => {
      const out = join(dir, 'fleet.json');
      const r = await cli(['audit', '--inventory', join(dir, 'inventory.ini'), '-p', join(dir, 'refused.yaml'), '--format', `json=${out}`], {
        ...process.env,
        // Stands in for ssh: the remote program runs here, so the audited host is this namespace.
        PLUMBLINE_SSH: join(ROOT, 'test/helpers/fake-ssh.sh'),
      });
      expect(r.exitCode, r.stderr).toBe(1);
      const fleet = JSON.parse(readFileSync(out, 'utf8')) as FleetReport;
      expectRefused(fleet.hosts[0]!.report!.results);
      expect(await packetsToRefused()).toBe(0);
    });

    it('the Action: refused the same, allow-targets of other networks changes nothing, a bad one fails the step', async () => {
      const r = await action({ policy: 'refused.yaml', json: 'r.json', 'allow-targets': '198.18.176.0/24, 10.0.0.0/8\n192.0.2.0/24' }, 'refused');
      expect(r.exitCode, r.stdout).toBe(1);
      expectRefused((JSON.parse(readFileSync(join(r.ws, 'r.json'), 'utf8')) as Report).results);
      expect(await packetsToRefused()).toBe(0);

      const bad = await action({ policy: 'refused.yaml', 'allow-targets': '169.254.169.254/33' }, 'bad-allow');
      expect(bad.exitCode).toBe(1);
      const errors = bad.stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(errors).toEqual([expect.stringContaining('input allow-targets: 169.254.169.254/33: /33 is longer than an IPv4 address')]);
      expect(bad.stdout + bad.stderr).not.toMatch(/\n\s+at /);
    });
  });
});

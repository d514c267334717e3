// `plumbline init --from-host` on real test hosts. A network namespace with its own sysctls, an nftables ruleset
// that drops inbound and forwarded traffic, listeners with their owners and open-file limits, and an
// `openssl s_server` that refuses TLS 1.0 and 1.1: the built CLI captures it from inside, the policy validates and
// passes there, openssl s_client agrees with the versions it wrote down, and after the host is changed (a sysctl
// lowered, a new listener, the firewall opened, TLS 1.1 switched on) exactly those checks fail. Then the same
// over SSH against a namespace host running its own sshd: captured remotely, audited remotely and locally there.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TestHost, netnsSkipReason, run } from './harness/netns.js';
import { byId, report } from './harness/audit.js';
import { sshFleetSkipReason, startSshFleet } from './harness/ssh-hosts.js';
import type { SshFleet } from './harness/ssh-hosts.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const CERTS = join(ROOT, 'fixtures/certs');
const why = netnsSkipReason();
if (why) console.log(`skipping init --from-host integration tests: ${why}`);
const sshWhy = sshFleetSkipReason();
if (!why && sshWhy) console.log(`skipping init --from-host over SSH: ${sshWhy}`);

const NFT = `table inet filter {
  chain input { type filter hook input priority 0; policy drop; iif lo accept; }
  chain forward { type filter hook forward priority 0; policy drop; }
}
`;

const sServer = (accept: string, ...args: string[]): string[] => [
  'openssl',
  's_server',
  '-accept',
  accept,
  '-cert',
  join(CERTS, 'leaf.crt'),
  '-key',
  join(CERTS, 'leaf.key'),
  '-cert_chain',
  join(CERTS, 'intermediate-ca.crt'),
  '-www',
  '-quiet',
  ...args,
];

interface CapturedFile {
  metadata: { name: string };
  checks: Array<{ id: string; expect: unknown; [k: string]: unknown }>;
}

describe.skipIf(why !== null)('init --from-host captures a host known to be right', () => {
  let host: TestHost;
  let dir: string;
  let file: string;
  let captured: CapturedFile;
  let tlsPid: number;
  const cli = (args: string[]) => host.exec(process.execPath, [CLI, ...args], { timeoutMs: 90_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-init-'));
    file = join(dir, 'captured.yaml');
    host = await TestHost.create({
      name: 'init',
      sysctls: { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '1' },
      nft: NFT,
      listeners: [
        { address: '127.0.0.1', port: 6379, name: 'redis-server', nofile: { soft: 4096, hard: 8192 } },
        { address: '0.0.0.0', port: 8080, name: 'web', nofile: { soft: 16384, hard: 16384 } },
      ],
    });
    tlsPid = await host.startServer(sServer('127.0.0.1:8443', '-no_tls1', '-no_tls1_1'), 8443);
    const r = await cli(['init', '--from-host', '-o', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^plumbline: captured \d+ checks from .* into .*captured\.yaml; review it, then: plumbline validate /m);
    captured = parse(readFileSync(file, 'utf8')) as CapturedFile;
  }, 120_000);

  afterAll(async () => {
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const check = (id: string) => {
    const c = captured.checks.find((x) => x.id === id);
    if (!c) throw new Error(`no captured check ${id}: ${captured.checks.map((x) => x.id).join(', ')}`);
    return c;
  };

  it('writes what the host has: the baseline bar it meets, its own value where it does not, listeners, limits, firewall, TLS', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    // somaxconn 1024 is short of the baseline's 4096: held at the host's value, and said so.
    expect(check('kernel.somaxconn')).toMatchObject({ sysctl: 'net.core.somaxconn', expect: { gte: 1024 } });
    expect(text).toMatch(/# this host's value: short of the baseline's bar for "Listen backlog absorbs connection bursts"\n {2}- id: kernel\.somaxconn/);
    expect(check('kernel.syncookies')).toMatchObject({ expect: { in: [1, 2] } });
    expect(check('listen.tcp-allow-list')).toMatchObject({
      listeners: { protocol: 'tcp' },
      expect: { only: ['0.0.0.0:8080', '127.0.0.1:6379', '127.0.0.1:8443'] },
    });
    expect(check('listen.tcp-6379')).toMatchObject({
      listener: { port: 6379, protocol: 'tcp' },
      expect: { bind: ['127.0.0.1'], process: 'redis-server', user: 'root' },
    });
    expect(check('listen.tcp-8080')).toMatchObject({ expect: { bind: ['0.0.0.0'], process: 'web' } });
    expect(check('limits.redis-server-nofile')).toMatchObject({ limits: { port: 6379, item: 'nofile' }, expect: { soft: { gte: 4096 } } });
    expect(check('limits.web-nofile')).toMatchObject({ expect: { soft: { gte: 16384 } } });
    // Today's verdict or a stricter one: a host that denies more still passes.
    expect(check('firewall.input')).toMatchObject({ firewall: { chain: 'input', family: 'inet' }, expect: { policy: ['drop', 'reject'] } });
    expect(check('firewall.forward')).toMatchObject({ expect: { policy: ['drop', 'reject'] } });
    expect(check('firewall.output')).toMatchObject({ expect: { policy: ['accept', 'drop', 'reject'] } });
    expect(check('tls.listener-8443')).toMatchObject({
      tlsListeners: { ports: [8443] },
      expect: {
        versions: { accept: ['TLSv1.2', 'TLSv1.3'], refuse: ['SSLv3', 'TLSv1', 'TLSv1.1'] },
        certificate: { daysLeft: { gte: 14 }, notYetValid: false },
      },
    });
  });

  it('agrees with openssl s_client on the versions it wrote down', async () => {
    const hello = (flag: string) => host.exec('openssl', ['s_client', '-connect', '127.0.0.1:8443', flag], { input: '', timeoutMs: 15_000 });
    expect((await hello('-tls1_2')).stdout).toMatch(/Protocol *: TLSv1\.2/);
    expect((await hello('-tls1_1')).exitCode).not.toBe(0);
  });

  it('validates, and passes on the host it came from', async () => {
    const v = await cli(['validate', file]);
    expect([v.exitCode, v.stdout]).toEqual([0, `${file}: ok (${captured.checks.length} checks from 1 source)\n`]);
    const rep = report(await cli(['audit', '-p', file, '--format', 'json']));
    const bad = rep.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status} ${r.message}`);
    expect(bad).toEqual([]);
    expect(rep.ready).toBe(true);
  });

  it('keeps an existing file unless --force', async () => {
    const before = readFileSync(file, 'utf8');
    const r = await cli(['init', '--from-host', '-o', file]);
    expect([r.exitCode, r.stderr]).toEqual([2, `plumbline: ${file} exists; --force writes over it\n`]);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('still passes a host set better than the one captured', async () => {
    expect((await host.exec('sysctl', ['-qw', 'net.core.somaxconn=8192'])).exitCode).toBe(0);
    // Outbound denied but on loopback, where the TLS listener is probed.
    const outbound = 'table inet filter {\n  chain output { type filter hook output priority 0; policy drop; oif lo accept; }\n}\n';
    const added = await host.exec('nft', ['-f', '-'], { input: outbound });
    expect(added.exitCode, added.stderr).toBe(0);
    try {
      const rep = report(await cli(['audit', '-p', file, '--format', 'json']));
      expect(rep.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    } finally {
      expect((await host.exec('nft', ['delete', 'chain', 'inet', 'filter', 'output'])).exitCode).toBe(0);
    }
  });

  it('fails what changed on the host, and only that', async () => {
    expect((await host.exec('sysctl', ['-qw', 'net.core.somaxconn=512'])).exitCode).toBe(0);
    expect((await host.exec('nft', ['add', 'chain', 'inet', 'filter', 'input', '{ policy accept; }'])).exitCode).toBe(0);
    await host.startServer(['python3', '-m', 'http.server', '9090', '--bind', '127.0.0.1'], 9090);
    process.kill(tlsPid, 'SIGTERM');
    await host.startServer(sServer('127.0.0.1:8443', '-tls1_1', '-cipher', 'ALL:@SECLEVEL=0'), 8443);
    const rep = report(await cli(['audit', '-p', file, '--format', 'json']));
    const r = byId(rep);
    const failing = rep.results.filter((x) => x.status !== 'pass').map((x) => [x.id, x.status]);
    expect(failing.sort()).toEqual(
      [
        ['firewall.input', 'fail'],
        ['kernel.somaxconn', 'fail'],
        ['listen.tcp-allow-list', 'fail'],
        ['tls.listener-8443', 'fail'],
      ].sort(),
    );
    expect(r['listen.tcp-allow-list']!.message).toContain('127.0.0.1:9090');
    expect(r['tls.listener-8443']!.details![0]!.actual).toMatch(/TLSv1\.1 is accepted/);
  });
});

describe.skipIf(why !== null || sshWhy !== null)('init --from-host over SSH', () => {
  let fleet: SshFleet;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-init-ssh-'));
    fleet = await startSshFleet({
      hosts: [
        {
          name: 'cap1',
          sysctls: { 'net.core.somaxconn': '2048' },
          // Its sshd must stay reachable: inbound is dropped but for loopback and port 22.
          nft: NFT.replace('iif lo accept;', 'iif lo accept; tcp dport 22 accept;'),
          listeners: [{ address: '127.0.0.1', port: 5432, name: 'postgres', nofile: { soft: 8192, hard: 8192 } }],
          tls: [{ port: 8443, args: ['-no_tls1', '-no_tls1_1'] }],
        },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await fleet?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('captures the host through its sshd; the policy passes there, audited over SSH and locally on it', async () => {
    const h = fleet.host('cap1');
    const file = join(dir, 'cap1.yaml');
    const target = ['--target', `ssh://${h.address}`, '--ssh-config', fleet.sshConfig];
    const r = await run(process.execPath, [CLI, 'init', '--from-host', ...target, '-o', file], { timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    const captured = parse(readFileSync(file, 'utf8')) as CapturedFile;
    const ids = captured.checks.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['kernel.somaxconn', 'listen.tcp-allow-list', 'listen.tcp-5432', 'firewall.input', 'tls.listener-8443']));
    expect(captured.checks.find((c) => c.id === 'kernel.somaxconn')!.expect).toEqual({ gte: 2048 });
    const out = join(dir, 'fleet.json');
    const remote = await run(process.execPath, [CLI, 'audit', '-p', file, ...target, '--format', `json=${out}`], { timeoutMs: 90_000 });
    expect(remote.exitCode, remote.stdout).toBe(0);
    const fleetReport = JSON.parse(readFileSync(out, 'utf8')) as { hosts: Array<{ report?: { results: Array<{ id: string; status: string }> } }> };
    expect(fleetReport.hosts[0]!.report!.results.filter((x) => x.status !== 'pass')).toEqual([]);
    // The same file judged by plumbline on the host itself: the same verdict.
    writeFileSync(join(dir, 'local.yaml'), readFileSync(file, 'utf8'));
    const local = report(await h.test.exec(process.execPath, [CLI, 'audit', '-p', join(dir, 'local.yaml'), '--format', 'json'], { timeoutMs: 90_000 }));
    expect(local.results.filter((x) => x.status !== 'pass').map((x) => `${x.id}: ${x.message}`)).toEqual([]);
  }, 150_000);
});

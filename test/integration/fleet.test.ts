// A fleet audit over SSH, held to the kernel: every good host gets the verdict a local audit inside that host
// gives, check by check; every faulty host gets its fault class, while the others are audited in full and the run
// ends inside its deadline. Hosts are network namespaces running Debian's sshd (harness/ssh-hosts.ts) on
// 198.19.200.0-198.19.254.255 veths; the auditor runs in the root namespace with the fleet's own ssh_config.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FleetReport } from '../../src/report/fleet/model.js';
import type { Report } from '../../src/report/model.js';
import { runCleanups } from './harness/audit.js';
import { run } from './harness/netns.js';
import { NONROOT_USER, sshFleetSkipReason, startSshFleet } from './harness/ssh-hosts.js';
import type { SshFleet, SshHostSpec } from './harness/ssh-hosts.js';

const why = sshFleetSkipReason();
if (why) console.log(`skipping fleet audit tests: ${why}`);

const CLI = join(import.meta.dirname, '../../bin/plumbline.js');
const TLS_PORT = 443;

// Hosts set up unlike each other, so a verdict mixed up between hosts shows.
const GOOD: SshHostSpec[] = [
  {
    name: 'web1',
    sysctls: { 'net.core.somaxconn': '4096', 'net.ipv4.tcp_syncookies': '1', 'net.ipv4.conf.all.rp_filter': '1' },
    tls: [{ port: TLS_PORT }],
    nft: 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    ct state established,related accept\n    iif lo accept\n    tcp dport 22 accept\n  }\n}\n',
  },
  {
    name: 'db1',
    sysctls: { 'net.core.somaxconn': '128', 'net.ipv4.tcp_syncookies': '0' },
    listeners: [{ address: '0.0.0.0', port: 6379, name: 'redis-server' }],
  },
  { name: 'banner', fault: 'banner', sysctls: { 'net.core.somaxconn': '1024' } },
  { name: 'sudo', fault: 'nonroot-sudo', sysctls: { 'net.ipv4.ip_forward': '1' } },
];
const FAULTY: Array<SshHostSpec & { expect: string }> = [
  { name: 'stopped', fault: 'stopped', expect: 'unreachable' },
  { name: 'filtered', fault: 'filtered', expect: 'unreachable' },
  { name: 'hostkey', fault: 'hostkey-changed', expect: 'hostkey' },
  { name: 'newkey', fault: 'hostkey-unknown', expect: 'hostkey' },
  { name: 'silent', fault: 'silent', expect: 'timeout' },
  { name: 'nosudo', fault: 'nonroot-nosudo', expect: 'sudo' },
  // Cut off after the kernel's settings and tables (the program sends them first), in the processes' files.
  { name: 'drops', fault: 'drops', dropAfterBytes: 16_000, expect: 'partial' },
  { name: 'drops-all', fault: 'drops', dropAfterBytes: 0, expect: 'dropped' },
  { name: 'authfail', fault: 'auth-refused', expect: 'auth' },
];
/** 2,000 one-byte echoes over 127.0.0.1, then exit 0 (exit 1 if they take over 30 s). */
const LOOPBACK_TRAFFIC = `const net = require('node:net');
const timer = setTimeout(() => process.exit(1), 30000);
const server = net.createServer((c) => c.on('data', (d) => c.write(d))).listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setNoDelay(true);
  let n = 0;
  c.on('connect', () => c.write('x'));
  c.on('data', () => { if (++n < 2000) c.write('x'); else { c.destroy(); server.close(); clearTimeout(timer); } });
});`;
const HOST_DEADLINE_S = 25;
const RUN_DEADLINE_S = 90;

describe.skipIf(why !== null)('fleet audit over SSH', () => {
  let fleet: SshFleet;
  let dir: string;
  let report: FleetReport;
  let exitCode: number;
  let elapsedMs: number;
  /** ssh processes of the run still there when it has ended. */
  let lingering: string[];
  /** Every ssh call of the run: "HOST KIND". */
  let sshCalls: string[];
  /** TCP connections each faulty host's own kernel accepted during the run (its Tcp PassiveOpens). */
  let faultyOpens: Record<string, number>;
  const tcpOpens = async (names: string[]): Promise<Record<string, number>> => {
    const opens: Record<string, number> = {};
    for (const name of names) {
      const [head, values] = (await fleet.host(name).test.exec('cat', ['/proc/net/snmp'])).stdout.split('\n').filter((l) => l.startsWith('Tcp:'));
      opens[name] = Number(values!.split(/\s+/)[head!.split(/\s+/).indexOf('PassiveOpens')]);
    }
    return opens;
  };
  const cleanup: Array<() => unknown> = [];

  /** `plumbline audit ARGS --ssh-config (the fleet's) --format json=OUT`: its exit status and fleet report. */
  async function fleetAudit(args: string[], out: string, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
    const r = await run('node', [CLI, 'audit', ...args, '--ssh-config', fleet.sshConfig, '--format', `json=${out}`], { timeoutMs: 120_000, ...opts });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    return { exitCode: r.exitCode, report: JSON.parse(readFileSync(out, 'utf8')) as FleetReport };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-fleet-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    fleet = await startSshFleet({ hosts: [...GOOD, ...FAULTY] });
    cleanup.push(() => fleet.destroy());
    // A new namespace has sent almost no TCP segments, so a retransmit or two of a loaded machine's ssh handshake
    // moves its retransmit ratio past the check's bound between the fleet run and the local one. A real host has
    // sent millions; each good host first sends a few thousand on its own loopback (a bounded echo exchange).
    for (const h of GOOD) {
      const r = await fleet.host(h.name).test.exec('node', ['-e', LOOPBACK_TRAFFIC], { timeoutMs: 60_000 });
      expect(r.exitCode).toBe(0);
    }
    // The non-root logins read as root through sudo -n; the inventory says so, as Ansible's would.
    const lines = ['[good]'];
    for (const h of GOOD)
      lines.push(
        `${h.name} ansible_host=${fleet.host(h.name).address}${h.fault?.startsWith('nonroot') ? ` ansible_user=${NONROOT_USER} ansible_become=true` : ''}`,
      );
    lines.push('[faulty]');
    for (const h of FAULTY)
      lines.push(
        `${h.name} ansible_host=${fleet.host(h.name).address}${h.fault?.startsWith('nonroot') ? ` ansible_user=${NONROOT_USER} ansible_become=true` : ''}`,
      );
    lines.push('[faulty:children]', 'nowhere', '[nowhere]', 'noaddress ansible_host=""');
    writeFileSync(join(dir, 'hosts.ini'), `${lines.join('\n')}\n`);
    // Its own temporary directory: the control sockets (and any master left running) are this run's alone.
    const ownTmp = join(dir, 'tmp');
    mkdirSync(ownTmp);
    // The system ssh behind a wrapper that notes each call's host and kind (a master, a session beside one, or a
    // control command such as a forward), so what plumbline asked of ssh is counted outside plumbline.
    const sshLog = join(dir, 'ssh-calls');
    const wrapper = join(dir, 'counting-ssh');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nkind=session; host=; after=\nfor a; do\n  if [ -n "$after" ]; then host=$a; break; fi\n  case $a in ControlMaster=yes) kind=master ;; -O) kind=control ;; --) after=1 ;; esac\ndone\necho "$host $kind" >> ${sshLog}\nexec ssh "$@"\n`,
      { mode: 0o755 },
    );
    const opensBefore = await tcpOpens(FAULTY.map((h) => h.name));
    const started = Date.now();
    const r = await fleetAudit(
      ['--inventory', join(dir, 'hosts.ini'), '--host-deadline', `${HOST_DEADLINE_S}s`, '--deadline', `${RUN_DEADLINE_S}s`],
      join(dir, 'fleet.json'),
      { timeoutMs: (RUN_DEADLINE_S + 30) * 1000, env: { ...process.env, TMPDIR: ownTmp, PLUMBLINE_SSH: wrapper } },
    );
    sshCalls = readFileSync(sshLog, 'utf8').split('\n').filter(Boolean);
    const opensAfter = await tcpOpens(FAULTY.map((h) => h.name));
    faultyOpens = Object.fromEntries(FAULTY.map((h) => [h.name, opensAfter[h.name]! - opensBefore[h.name]!]));
    elapsedMs = Date.now() - started;
    exitCode = r.exitCode;
    report = r.report;
    lingering = (await run('ps', ['-eo', 'args'])).stdout.split('\n').filter((l) => l.includes(ownTmp));
  }, 240_000);

  afterAll(() => runCleanups(cleanup), 60_000);

  it('ends inside its deadline, and says the fleet is not ready', () => {
    expect(elapsedMs).toBeLessThan((RUN_DEADLINE_S + 10) * 1000);
    expect(exitCode).toBe(1);
    expect(report.ready).toBe(false);
    expect(report.summary.hosts).toBe(GOOD.length + FAULTY.length + 1);
  });

  it.each(GOOD.map((h) => h.name))('gives %s the verdict a local audit inside it gives, check by check', async (name) => {
    const host = report.hosts.find((h) => h.name === name)!;
    expect(host.fault).toBeUndefined();
    const remote = host.report!;
    const localFile = join(dir, `${name}.local.json`);
    await fleet.host(name).test.exec('node', [CLI, 'audit', '--format', `json=${localFile}`], { timeoutMs: 120_000 });
    const local: Report = JSON.parse(readFileSync(localFile, 'utf8'));
    const byId = new Map(local.results.map((r) => [r.id, r]));
    expect(remote.results.map((r) => r.id).sort()).toEqual([...byId.keys()].sort());
    for (const r of remote.results) {
      const l = byId.get(r.id)!;
      expect({ id: r.id, status: r.status, reason: r.reason?.code }).toEqual({ id: l.id, status: l.status, reason: l.reason?.code });
    }
    expect(remote.ready).toBe(local.ready);
    expect(remote.host.hostname).toBe(local.host.hostname);
    expect(remote.host.transport).toMatch(/^ssh:\/\//);
  });

  it("reaches the TLS listener on a host's loopback through the master connection", () => {
    const r = report.hosts.find((h) => h.name === 'web1')!.report!.results.find((x) => x.id === 'tls.listener-versions')!;
    expect(r.status).toBe('pass');
    expect(r.details?.map((d) => d.subject)).toEqual([expect.stringContaining(`127.0.0.1:${TLS_PORT}`)]);
  });

  it('opens one ssh connection a host, whose own session answers the batch; the listeners are forwarded through it', () => {
    const calls = (name: string, kind: string): number => sshCalls.filter((c) => c === `${fleet.host(name).address} ${kind}`).length;
    for (const h of GOOD)
      expect({ host: h.name, masters: calls(h.name, 'master'), sessions: calls(h.name, 'session') }).toEqual({ host: h.name, masters: 1, sessions: 0 });
    // A faulty host too is one connection attempt: no retry. A host cut off half-way is asked nothing more (a
    // session beside its master, which is gone, would log in anew), and its own kernel saw one connection at most.
    for (const h of FAULTY) {
      expect({ host: h.name, masters: calls(h.name, 'master'), sessions: calls(h.name, 'session') }).toEqual({ host: h.name, masters: 1, sessions: 0 });
      expect(faultyOpens[h.name], `connections ${h.name} accepted`).toBeLessThanOrEqual(1);
    }
    expect(faultyOpens.drops).toBe(1);
    // web1's TLS listener was reached (the test above) through a forward of that one master, after its batch.
    expect(calls('web1', 'control')).toBeGreaterThanOrEqual(1);
  });

  it.each(FAULTY.map((h) => [h.name, h.expect]))("gives %s the fault class %s with ssh's reason", (name, cls) => {
    const host = report.hosts.find((h) => h.name === name)!;
    expect(host.fault?.class).toBe(cls);
    expect(host.fault?.detail.length).toBeGreaterThan(0);
    if (cls === 'partial') expect(host.report).toBeDefined();
    else expect(host.report).toBeUndefined();
  });

  it('judges a host cut off half-way on the kernel settings it sent first, as a local audit there judges them', async () => {
    const cut = report.hosts.find((h) => h.name === 'drops')!.report!;
    const kernel = cut.results.filter((r) => r.id.startsWith('kernel.') && (r.status === 'pass' || r.status === 'fail'));
    expect(kernel.length).toBeGreaterThan(5);
    // Sent after the cut: the processes' files, so the limits of listening services are not judged.
    expect(cut.results.find((r) => r.id === 'limits.listeners-nofile')?.status).toBe('error');
    const localFile = join(dir, 'drops.local.json');
    await fleet.host('drops').test.exec('node', [CLI, 'audit', '--format', `json=${localFile}`], { timeoutMs: 120_000 });
    const local = new Map((JSON.parse(readFileSync(localFile, 'utf8')) as Report).results.map((r) => [r.id, r.status]));
    for (const r of kernel) expect({ id: r.id, status: r.status }).toEqual({ id: r.id, status: local.get(r.id) });
  });

  it('audits an ansible_connection=local host on the auditing machine as `plumbline audit` there does, and refuses connections it does not make', async () => {
    const web1 = fleet.host('web1');
    // Run from inside web1: there, the inventory's "local" host is web1 itself. The other two are refused before
    // any connection (a Windows host, and escalation through su).
    const inv = join(dir, 'connections.ini');
    writeFileSync(
      inv,
      `[control]\nself ansible_connection=local ansible_host=controller.invalid\nas-nobody ansible_connection=local ansible_become=yes ansible_become_user=nobody\n[far]\nwinbox ansible_connection=winrm ansible_host=${fleet.host('db1').address}\nsu-host ansible_host=${fleet.host('db1').address} ansible_become=true ansible_become_method=su\n`,
    );
    const fleetOut = join(dir, 'connections.json');
    const localOut = join(dir, 'web1.local-again.json');
    const opensBefore = await tcpOpens(['db1']);
    await web1.test.exec('node', [CLI, 'audit', '--inventory', inv, '--format', `json=${fleetOut}`], { timeoutMs: 120_000 });
    await web1.test.exec('node', [CLI, 'audit', '--format', `json=${localOut}`], { timeoutMs: 120_000 });
    const viaFleet: FleetReport = JSON.parse(readFileSync(fleetOut, 'utf8'));
    const local: Report = JSON.parse(readFileSync(localOut, 'utf8'));
    const self = viaFleet.hosts.find((h) => h.name === 'self')!;
    expect(self.fault).toBeUndefined();
    expect(self.report!.host.transport).toBe('local');
    expect(self.report!.host.hostname).toBe(local.host.hostname);
    const byId = new Map(local.results.map((r) => [r.id, r]));
    expect(self.report!.results.map((r) => r.id).sort()).toEqual([...byId.keys()].sort());
    for (const r of self.report!.results)
      expect({ id: r.id, status: r.status, reason: r.reason?.code }).toEqual({
        id: r.id,
        status: byId.get(r.id)!.status,
        reason: byId.get(r.id)!.reason?.code,
      });
    expect(viaFleet.hosts.find((h) => h.name === 'winbox')).toMatchObject({
      state: 'unaudited',
      fault: { class: 'unreachable', detail: expect.stringContaining('ansible_connection = "winrm"') },
    });
    expect(viaFleet.hosts.find((h) => h.name === 'su-host')).toMatchObject({
      state: 'unaudited',
      fault: { class: 'sudo', detail: expect.stringContaining('ansible_become_method = "su"') },
    });
    // No sudo runs on the auditing machine: another user there is a run of plumbline as that user.
    expect(viaFleet.hosts.find((h) => h.name === 'as-nobody')).toMatchObject({
      state: 'unaudited',
      fault: { class: 'sudo', detail: expect.stringContaining('run plumbline as nobody') },
    });
    // The address the refused hosts gave was never connected to: db1's own kernel accepted nothing.
    expect((await tcpOpens(['db1'])).db1).toBe(opensBefore.db1);
    // validate resolves a policy with the vars of the hosts an audit reaches (the winrm host, without an address
    // an audit would use, is left out), and the local host's probes have this machine's layers under them.
    const probes = join(dir, 'connections-policy.yaml');
    writeFileSync(
      probes,
      `apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: connections }\nchecks:\n  - id: peer.ssh\n    title: the peer's sshd answers\n    severity: high\n    tcp: { host: "198.18.250.1", port: "\${host.port}" }\n    expect: { connect: open }\n`,
    );
    const v = await run('node', [CLI, 'validate', '--inventory', inv, probes]);
    expect([v.exitCode, v.stderr, v.stdout]).toEqual([
      0,
      '',
      `${probes}: ok (1 check from 1 source, and 3 implied lower checks (NEIGHBOUR, ROUTE, ICMP), with the vars of each of 2 hosts)\n`,
    ]);
  });

  it('tells a changed host key from one never seen: only the second is what --accept-new-host-keys is for', () => {
    expect(report.hosts.find((h) => h.name === 'hostkey')?.fault?.detail).toMatch(/has changed/);
    expect(report.hosts.find((h) => h.name === 'newkey')?.fault?.detail).toMatch(/No \S+ host key is known for/);
  });

  it('with --accept-new-host-keys audits the host never seen and still refuses the changed key', async () => {
    const { report: accepted } = await fleetAudit(
      ['--inventory', join(dir, 'hosts.ini'), '--limit', 'newkey,hostkey', '--accept-new-host-keys'],
      join(dir, 'accept-new.json'),
    );
    const newkey = accepted.hosts.find((h) => h.name === 'newkey')!;
    expect(newkey.fault).toBeUndefined();
    expect(newkey.report?.results.length).toBeGreaterThan(0);
    expect(accepted.hosts.find((h) => h.name === 'hostkey')?.fault?.class).toBe('hostkey');
    // accept-new wrote the key it met into the fleet's own known_hosts, and only that one.
    const known = readFileSync(fleet.knownHosts, 'utf8');
    expect(known).toContain(fleet.host('newkey').address);
    expect(known).toContain(fleet.host('newkey').hostKey!.split(' ')[1]);
  }, 150_000);

  it("makes a host whose own vars do not resolve the policy that host's `policy` fault, and audits the rest", async () => {
    // web1 says which port its sshd listens on; db1 does not: the policy resolves for web1 only.
    const inv = join(dir, 'vars.ini');
    writeFileSync(inv, `web1 ansible_host=${fleet.host('web1').address} ssh_port=22\ndb1 ansible_host=${fleet.host('db1').address}\n`);
    const policy = join(dir, 'ssh-port.yaml');
    writeFileSync(
      policy,
      `apiVersion: plumbline/v1
kind: Policy
metadata:
  name: ssh-port
checks:
  - id: ssh.reachable
    title: sshd answers on the port the inventory gives
    severity: high
    tcp: { host: "\${host.address}", port: "\${host.vars.ssh_port}" }
    expect: { connect: open }
`,
    );
    const { exitCode: code, report: got } = await fleetAudit(['--inventory', inv, '-p', policy], join(dir, 'vars.json'));
    expect(code).toBe(1);
    const web1 = got.hosts.find((h) => h.name === 'web1')!;
    expect(web1.fault).toBeUndefined();
    expect(web1.report?.results.map((x) => [x.id, x.status])).toEqual([['ssh.reachable', 'pass']]);
    expect(got.hosts.find((h) => h.name === 'db1')).toMatchObject({
      state: 'unaudited',
      fault: { class: 'policy', detail: expect.stringMatching(/ssh-port\.yaml:9:\d+: undefined variable \$\{host\.vars\.ssh_port\}/) },
    });
    expect(got.summary.byFault.policy).toBe(1);
    // validate says the same of the same inventory, without connecting to anything.
    const v = await run('node', [CLI, 'validate', '--inventory', inv, policy]);
    expect(v.exitCode).toBe(2);
    expect(v.stderr).toMatch(/ssh_port.*\(host db1\)$/m);
    expect(v.stderr).not.toContain('web1');
    const ok = await run('node', [CLI, 'validate', '--inventory', inv, '--limit', 'web1', policy]);
    expect([ok.exitCode, ok.stdout]).toEqual([0, `${policy}: ok (1 check from 1 source, with the vars of each of 1 host)\n`]);
    // A --limit naming no host or group is refused, not a smaller audit.
    const typo = await run('node', [CLI, 'audit', '--inventory', inv, '--limit', 'web1,wbe1', '-p', policy, '--ssh-config', fleet.sshConfig]);
    expect([typo.exitCode, typo.stderr]).toEqual([2, expect.stringContaining('"wbe1" names no host or group')]);
  }, 150_000);

  it("implies no checks of a host's own route or neighbours under probes sent from the auditing machine", async () => {
    // A policy naming no host var is resolved once for the fleet; its probe of web1's sshd leaves from here, so
    // web1's route table and neighbours say nothing of it (a plain audit would add them: the probe is its own).
    const policy = join(dir, 'probe-from-here.yaml');
    writeFileSync(
      policy,
      `apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: probe-from-here }\nchecks:\n  - id: web1.ssh\n    title: web1's sshd answers\n    severity: high\n    tcp: { host: "${fleet.host('web1').address}", port: 22 }\n    expect: { connect: open }\n`,
    );
    const inv = join(dir, 'web1-only.ini');
    writeFileSync(inv, `web1 ansible_host=${fleet.host('web1').address}\n`);
    const { report: got } = await fleetAudit(['--inventory', inv, '-p', policy], join(dir, 'probe-from-here.json'));
    expect(got.hosts[0]!.report?.results.map((r) => [r.id, r.status])).toEqual([['web1.ssh', 'pass']]);
    const plain = await run('node', [CLI, 'validate', policy]);
    expect(plain.stdout).toContain('implied lower check');
  });

  it("a waivers file's waivers apply on the hosts they name, each host's report says what each did", async () => {
    const inv = join(dir, 'waivers.ini');
    writeFileSync(inv, `web1 ansible_host=${fleet.host('web1').address}\ndb1 ansible_host=${fleet.host('db1').address}\n`);
    const policy = join(dir, 'waived.yaml');
    writeFileSync(
      policy,
      `apiVersion: plumbline/v1
kind: Policy
metadata: { name: waived }
checks:
  - { id: ssh.reachable, title: t, severity: high, tcp: { host: "\${host.address}", port: 22 }, expect: { connect: open } }
  - { id: app.port, title: t, severity: high, tcp: { host: "\${host.address}", port: 1 }, expect: { connect: open } }
`,
    );
    const waivers = join(dir, 'fleet-waivers.yaml');
    writeFileSync(
      waivers,
      `apiVersion: plumbline/v1
kind: Waivers
waivers:
  - { check: app.port, justification: no app on the db hosts yet, owner: db, expires: 2999-01-01, hosts: [db*] }
  - { check: ssh.reachable, justification: checked elsewhere, owner: ops, expires: 2999-01-01, hosts: [web1], run: false }
`,
    );
    const { report: got } = await fleetAudit(['--inventory', inv, '-p', policy, '--waivers', waivers], join(dir, 'waivers.json'));
    const statuses = (name: string) => got.hosts.find((h) => h.name === name)!.report!.results.map((x) => [x.id, x.status, x.waiver?.status]);
    expect(statuses('db1')).toEqual([
      ['ssh.reachable', 'pass', undefined],
      ['app.port', 'waived', 'fail'],
    ]);
    expect(statuses('web1')).toEqual([
      ['ssh.reachable', 'waived', 'skip'],
      ['app.port', 'fail', undefined],
    ]);
    expect(got.hosts.find((h) => h.name === 'web1')!.report!.waivers!.map((u) => u.state)).toEqual(['other-hosts', 'applied']);
    expect(got.hosts.find((h) => h.name === 'db1')!.report!.waivers!.map((u) => u.state)).toEqual(['applied', 'other-hosts']);
  }, 150_000);

  it('says a host with no address is unreachable, and why', () => {
    const host = report.hosts.find((h) => h.name === 'noaddress')!;
    expect(host.fault).toEqual({ class: 'unreachable', detail: expect.stringContaining('no address') });
  });

  it('leaves no master connection behind when it ends', () => {
    expect(lingering).toEqual([]);
  });
});

describe.skipIf(why !== null)('host names and vars stay data', () => {
  let fleet: SshFleet;
  let dir: string;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-fleet-inj-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    fleet = await startSshFleet({ hosts: [{ name: 'plain' }] });
    cleanup.push(() => fleet.destroy());
  }, 120_000);
  afterAll(() => runCleanups(cleanup), 60_000);

  it('never hands a name or value to a shell, here or on the host', async () => {
    const marker = join(dir, 'RAN');
    const evil = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `' ; touch ${marker} ; '`, `" ; touch ${marker} ; "`, `x\ntouch ${marker}`];
    const addr = fleet.host('plain').address;
    // YAML carries every one of them, newline included, as host names and as vars a policy uses.
    const hosts = evil.map((v, i) => `    ${JSON.stringify(v)}:\n      ansible_host: ${JSON.stringify(i === 0 ? addr : v)}\n      path: ${JSON.stringify(v)}`);
    writeFileSync(join(dir, 'hosts.yml'), `all:\n  hosts:\n${hosts.join('\n')}\n`);
    writeFileSync(
      join(dir, 'policy.yaml'),
      [
        'apiVersion: plumbline/v1',
        'kind: Policy',
        'metadata: { name: evil-vars }',
        'checks:',
        '  - id: evil.path',
        '    title: a path made of a host var',
        '    certificate: { path: "/tmp/${host.vars.path}" }',
        '    expect: { daysLeft: { gte: 1 } }',
      ].join('\n'),
    );
    const r = await run(
      'node',
      [
        CLI,
        'audit',
        '-p',
        join(dir, 'policy.yaml'),
        '--inventory',
        join(dir, 'hosts.yml'),
        '--ssh-config',
        fleet.sshConfig,
        '--host-deadline',
        '20s',
        '--format',
        'json',
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const report: FleetReport = JSON.parse(r.stdout);
    expect(report.hosts).toHaveLength(evil.length);
    // The one host with a real address was audited; the others' addresses are refused before ssh sees them.
    expect(report.hosts.filter((h) => h.report).length).toBe(1);
    for (const h of report.hosts.filter((x) => !x.report)) expect(h.fault?.class).toBe('unreachable');
    expect(existsSync(marker)).toBe(false);
  });
});

describe.skipIf(why !== null)('the GitHub Action audits a fleet', () => {
  let fleet: SshFleet;
  let ws: string;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    ws = mkdtempSync(join(tmpdir(), 'pl-fleet-action-'));
    cleanup.push(() => rmSync(ws, { recursive: true, force: true }));
    fleet = await startSshFleet({ hosts: [{ name: 'one' }, { name: 'gone', fault: 'stopped' }] });
    cleanup.push(() => fleet.destroy());
  }, 120_000);
  afterAll(() => runCleanups(cleanup), 60_000);

  it('takes targets, writes the fleet reports and summary, and fails the step unless every host is ready', async () => {
    const output = join(ws, 'output');
    const summary = join(ws, 'summary.md');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const action = parse(readFileSync(join(import.meta.dirname, '../../action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const env: Record<string, string> = { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_WORKSPACE: ws, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
    for (const [k, v] of Object.entries(action.inputs)) env[`INPUT_${k.toUpperCase()}`] = v.default ?? '';
    env.INPUT_TARGETS = fleet.hosts.map((h) => `ssh://${h.address}`).join('\n');
    env['INPUT_SSH-CONFIG'] = fleet.sshConfig;
    env.INPUT_JSON = 'out/fleet.json';
    const r = await run(process.execPath, [join(import.meta.dirname, '../../dist/action.js')], { env, timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const report: FleetReport = JSON.parse(readFileSync(join(ws, 'out/fleet.json'), 'utf8'));
    expect(report.summary).toMatchObject({ hosts: 2, unaudited: 1 });
    expect(report.hosts.find((h) => h.address === fleet.host('gone').address)?.fault?.class).toBe('unreachable');
    const outputs = readFileSync(output, 'utf8');
    expect(outputs).toMatch(/hosts<<[^\n]*\n2\n/);
    expect(outputs).toMatch(/ready<<[^\n]*\nfalse\n/);
    expect(readFileSync(summary, 'utf8')).toMatch(/unreachable/);
    expect(r.stdout).toMatch(/^::warning title=plumbline%3A host not audited in full::.*unreachable/m);
  });
});

describe.skipIf(why !== null)('deadlines and interrupts', () => {
  let fleet: SshFleet;
  let dir: string;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-fleet-deadline-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    fleet = await startSshFleet({ hosts: [{ name: 'quick' }, { name: 'slow', fault: 'silent' }, { name: 'partway', fault: 'drops', dropAfterBytes: 3000 }] });
    cleanup.push(() => fleet.destroy());
    writeFileSync(join(dir, 'hosts.ini'), `${fleet.hosts.map((h) => `${h.name} ansible_host=${h.address}`).join('\n')}\n`);
  }, 120_000);
  afterAll(() => runCleanups(cleanup), 60_000);

  it('a host that has not answered by the deadline is `timeout`, never a verdict on nothing', async () => {
    const r = await run(
      'node',
      [CLI, 'audit', '--inventory', join(dir, 'hosts.ini'), '--ssh-config', fleet.sshConfig, '--deadline', '3s', '--format', 'json'],
      { timeoutMs: 60_000 },
    );
    const report: FleetReport = JSON.parse(r.stdout);
    expect(report.hosts.find((h) => h.name === 'slow')).toMatchObject({ state: 'unaudited', fault: { class: 'timeout' } });
    // Cut off before anything it sent could be judged (or, on a loaded machine, not reached by the deadline).
    const partway = report.hosts.find((h) => h.name === 'partway')!;
    expect({ state: partway.state, report: partway.report, fault: partway.fault?.class }).toEqual({
      state: 'unaudited',
      report: undefined,
      fault: expect.stringMatching(/^(?:partial|timeout)$/),
    });
    // Whatever the load, a host is either judged on what it answered or says why it was not.
    for (const h of report.hosts) {
      if (!h.report) expect(h.fault).toBeDefined();
      else expect(h.report.results.every((x) => x.status === 'error' || x.status === 'skip')).toBe(false);
    }
  });

  it('an interrupted run ends its ssh processes and removes its sockets', async () => {
    const ownTmp = join(dir, 'tmp');
    mkdirSync(ownTmp);
    const child = spawn('node', [CLI, 'audit', '--inventory', join(dir, 'hosts.ini'), '--ssh-config', fleet.sshConfig, '--format', 'json'], {
      env: { ...process.env, TMPDIR: ownTmp },
      stdio: 'ignore',
    });
    // Interrupted once its masters are up: their sockets are in its own directory.
    const deadline = Date.now() + 30_000;
    const controlDir = (): string | undefined => readdirSync(ownTmp).find((f) => f.startsWith('plumbline-ssh-'));
    while (Date.now() < deadline && !(controlDir() && readdirSync(join(ownTmp, controlDir()!)).length > 0)) await new Promise((r) => setTimeout(r, 50));
    expect(controlDir()).toBeDefined();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    const ps = (await run('ps', ['-eo', 'args'])).stdout.split('\n').filter((l) => l.includes(ownTmp));
    expect(ps).toEqual([]);
    expect(readdirSync(ownTmp)).toEqual([]);
  });
});

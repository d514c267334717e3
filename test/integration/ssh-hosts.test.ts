// The SSH test fleet holds to what it claims, seen by the plain OpenSSH client alone (`ssh -F` the fleet's
// ssh_config, argument arrays, bounded by timeouts): good hosts log root in and show their own sysctls and a TLS
// listener on their loopback through `ssh -W`; each faulty host fails as its kind says; a fleet of twenty starts
// and answers in one go; and teardown leaves nothing behind. Traffic goes only to 198.19.200.0-198.19.254.255
// on the fleet's veths and to loopback inside the hosts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFromPeer, isGoneOrZombie, run } from './harness/netns.js';
import type { ExecResult } from './harness/netns.js';
import { runCleanups } from './harness/audit.js';
import { BANNER, NONROOT_USER, SSH_FAULTS, SUBNET_CLAIM_DIR, sshFleetSkipReason, startSshFleet } from './harness/ssh-hosts.js';
import type { SshFault, SshFleet, SshHost, SshHostSpec } from './harness/ssh-hosts.js';

const why = sshFleetSkipReason();
if (why) console.log(`skipping SSH fleet harness tests: ${why}`);

const TLS_PORT = 8443;
const DROP_AFTER = 300;
/** Long enough for a real handshake on a loaded machine, short enough to keep the filtered and silent cases quick. */
const CONNECT_TIMEOUT_S = 3;

const GOOD: SshHostSpec[] = [
  { name: 'good-a', sysctls: { 'net.core.somaxconn': '4101' }, tls: [{ port: TLS_PORT }] },
  { name: 'good-b', sysctls: { 'net.core.somaxconn': '4102' }, listeners: [{ address: '127.0.0.1', port: 6379, name: 'pl-redis' }] },
];
const FAULTY: SshHostSpec[] = [
  { name: 'stopped', fault: 'stopped' },
  { name: 'filtered', fault: 'filtered' },
  { name: 'hostkey', fault: 'hostkey-changed' },
  { name: 'hostkey-new', fault: 'hostkey-unknown' },
  { name: 'silent', fault: 'silent' },
  { name: 'banner', fault: 'banner', sysctls: { 'net.core.somaxconn': '4103' } },
  { name: 'sudo', fault: 'nonroot-sudo' },
  { name: 'nosudo', fault: 'nonroot-nosudo' },
  { name: 'drops', fault: 'drops', dropAfterBytes: DROP_AFTER },
  { name: 'drops-all', fault: 'drops', dropAfterBytes: 0 },
  { name: 'authfail', fault: 'auth-refused' },
];

function ssh(fleet: SshFleet, host: SshHost, command: string[], timeoutMs = 20_000): Promise<ExecResult> {
  return run('ssh', fleet.sshArgs(host, command, ['-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`]), { timeoutMs });
}

/** What the machine's own account and sudo files hold: the fleet must leave them as they were. */
function machineFiles(): string {
  const h = createHash('sha256');
  for (const f of ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/sudoers']) h.update(existsSync(f) ? readFileSync(f) : `no ${f}`);
  for (const f of readdirSync('/etc/sudoers.d').sort()) h.update(f).update(readFileSync(`/etc/sudoers.d/${f}`));
  for (const f of existsSync('/etc/ssh') ? readdirSync('/etc/ssh').sort() : []) h.update(f);
  return h.digest('hex');
}

/** TLS through `ssh -W ADDR:PORT`, the way the fleet audit reaches a host's own listeners. */
async function tlsThroughSsh(fleet: SshFleet, host: SshHost, port: number): Promise<{ cn: string; protocol: string | null }> {
  const child = spawn('ssh', ['-F', fleet.sshConfig, '-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`, '-W', `127.0.0.1:${port}`, host.address], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const socket = Duplex.from({ readable: child.stdout, writable: child.stdin });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`TLS through ssh -W timed out: ${Buffer.concat(stderr).toString()}`)), 15_000);
      const tls = tlsConnect({ socket, rejectUnauthorized: false, servername: host.name }, () => {
        clearTimeout(timer);
        const cn = tls.getPeerCertificate().subject?.CN;
        resolve({ cn: Array.isArray(cn) ? cn.join(',') : (cn ?? ''), protocol: tls.getProtocol() });
        tls.end();
      });
      tls.on('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`${e.message}: ${Buffer.concat(stderr).toString()}`));
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
}

(why ? describe.skip : describe)('SSH test fleet: each host as the plain ssh client finds it', () => {
  const cleanup: Array<() => unknown> = [];
  let fleet: SshFleet;
  let before = '';
  /** The two cases that wait out ConnectTimeout, started together. */
  let filtered: Promise<{ r: ExecResult; ms: number }>;
  let silent: Promise<{ r: ExecResult; ms: number }>;

  beforeAll(async () => {
    before = machineFiles();
    fleet = await startSshFleet({ hosts: [...GOOD, ...FAULTY] });
    cleanup.push(() => fleet.destroy());
    console.log(`SSH test fleet: ${fleet.hosts.length} hosts started in ${fleet.startMs} ms`);
    const timed = async (name: string) => {
      const began = Date.now();
      const r = await ssh(fleet, fleet.host(name), ['true']);
      return { r, ms: Date.now() - began };
    };
    filtered = timed('filtered');
    silent = timed('silent');
  }, 120_000);

  afterAll(() => runCleanups(cleanup));

  it('every kind of fault has its host here', () => {
    const here = new Set(FAULTY.map((f) => f.fault).filter((f): f is SshFault => f !== undefined));
    expect([...here].sort()).toEqual([...SSH_FAULTS].sort());
  });

  it('the ssh_config is the only configuration ssh uses, and it names only the fleet files', async () => {
    const r = await run('ssh', ['-F', fleet.sshConfig, '-G', fleet.host('good-a').address]);
    expect(r.exitCode).toBe(0);
    const opt = (k: string): string[] =>
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith(`${k} `))
        .map((l) => l.slice(k.length + 1));
    expect(opt('user')).toEqual(['root']);
    expect(opt('identityfile')).toEqual([fleet.identityFile]);
    expect(opt('identitiesonly')).toEqual(['yes']);
    expect(opt('identityagent')).toEqual(['none']);
    expect(opt('userknownhostsfile')).toEqual([fleet.knownHosts]);
    expect(opt('globalknownhostsfile')).toEqual(['/dev/null']);
    expect(opt('stricthostkeychecking')).toEqual(['true']);
    expect(opt('batchmode')).toEqual(['yes']);
    const nonroot = await run('ssh', ['-F', fleet.sshConfig, '-G', fleet.host('sudo').address]);
    expect(nonroot.stdout).toContain(`\nuser ${NONROOT_USER}\n`);
  });

  it('good hosts: root logs in, and each host shows its own somaxconn', async () => {
    const got = await Promise.all(
      GOOD.map(async (g) => {
        const h = fleet.host(g.name);
        const [id, somaxconn] = await Promise.all([ssh(fleet, h, ['id', '-u']), ssh(fleet, h, ['cat', '/proc/sys/net/core/somaxconn'])]);
        return [g.name, id.exitCode, id.stdout, somaxconn.stdout, id.stderr + somaxconn.stderr];
      }),
    );
    expect(got).toEqual([
      ['good-a', 0, '0\n', '4101\n', ''],
      ['good-b', 0, '0\n', '4102\n', ''],
    ]);
  });

  it('good hosts: the listeners of the spec run inside the host, on its loopback', async () => {
    const r = await ssh(fleet, fleet.host('good-b'), ['cat', '/proc/net/tcp']);
    // 0100007F:18EB is 127.0.0.1:6379, state 0A is LISTEN.
    expect(r.stdout).toMatch(/ 0100007F:18EB 00000000:0000 0A /);
    expect(await connectFromPeer(fleet.host('good-b').address, 6379)).toBe('refused');
  });

  it('good hosts: a TLS listener on loopback answers through ssh -W, and not from outside the host', async () => {
    const h = fleet.host('good-a');
    const tls = await tlsThroughSsh(fleet, h, TLS_PORT);
    expect(tls.cn).toBe('good-a');
    expect(tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(await connectFromPeer(h.address, TLS_PORT)).toBe('refused');
    expect(await connectFromPeer(h.address, 22)).toBe('open');
  });

  it('stopped: the namespace answers, nothing listens on 22: connection refused', async () => {
    const h = fleet.host('stopped');
    expect(h.sshdPid).toBeNull();
    const r = await ssh(fleet, h, ['true']);
    expect([r.exitCode, r.stdout]).toEqual([255, '']);
    expect(r.stderr).toContain(`connect to host ${h.address} port 22: Connection refused`);
  });

  it('filtered: sshd listens, nft drops port 22: the connection times out', async () => {
    const h = fleet.host('filtered');
    const listening = await h.test.exec('ss', ['-Hltnp', 'sport', '=', ':22']);
    expect(listening.stdout).toContain(`${h.address}:22`);
    expect(listening.stdout).toContain(`pid=${h.sshdPid},`);
    const { r, ms } = await filtered;
    expect([r.exitCode, r.stdout]).toEqual([255, '']);
    expect(r.stderr).toContain(`connect to host ${h.address} port 22: Connection timed out`);
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_S * 1000 - 100);
  });

  it('hostkey-changed: known_hosts holds another key: host key verification fails, no command runs', async () => {
    const h = fleet.host('hostkey');
    const r = await ssh(fleet, h, ['id', '-u']);
    expect([r.exitCode, r.stdout]).toEqual([255, '']);
    expect(r.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(r.stderr).toContain('Host key verification failed.');
    // The host itself is sound: with its real key known, root logs in.
    const known = readFileSync(fleet.knownHosts, 'utf8');
    expect(known).not.toContain(h.hostKey);
    const ok = await run(
      'ssh',
      fleet.sshArgs(h, ['id', '-u'], ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR']),
    );
    expect([ok.exitCode, ok.stdout]).toEqual([0, '0\n']);
  });

  it('hostkey-unknown: known_hosts holds no key for the host: strict checking refuses it, no command runs', async () => {
    const h = fleet.host('hostkey-new');
    const r = await ssh(fleet, h, ['id', '-u']);
    expect([r.exitCode, r.stdout]).toEqual([255, '']);
    expect(r.stderr).toMatch(new RegExp(`No \\S+ host key is known for ${h.address.replaceAll('.', '\\.')}`));
    // The address as a whole known_hosts name: 198.19.219.2 must not match a line for 198.19.219.22.
    const names = readFileSync(fleet.knownHosts, 'utf8')
      .split('\n')
      .flatMap((line) => (line.split(' ')[0] ?? '').split(','));
    expect(names).not.toContain(h.address);
    const ok = await run(
      'ssh',
      fleet.sshArgs(h, ['id', '-u'], ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR']),
    );
    expect([ok.exitCode, ok.stdout]).toEqual([0, '0\n']);
  });

  it('silent: the port accepts and never speaks: ssh times out in the banner exchange', async () => {
    const h = fleet.host('silent');
    expect(await connectFromPeer(h.address, 22)).toBe('open');
    const { r, ms } = await silent;
    expect([r.exitCode, r.stdout]).toEqual([255, '']);
    expect(r.stderr).toContain(`Connection timed out during banner exchange`);
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_S * 1000 - 100);
  });

  it('banner: the login shell prints the banner on stdout before the command runs, as root', async () => {
    const h = fleet.host('banner');
    const r = await ssh(fleet, h, ['id', '-u']);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, `${BANNER}0\n`, '']);
    const sysctl = await ssh(fleet, h, ['cat', '/proc/sys/net/core/somaxconn']);
    expect(sysctl.stdout).toBe(`${BANNER}4103\n`);
    // Root's read rights: a file only root may read.
    const shadow = await ssh(fleet, h, ['head', '-c', '5', '/etc/shadow']);
    expect([shadow.exitCode, shadow.stdout]).toEqual([0, `${BANNER}root:`]);
  });

  it('nonroot-sudo: a non-root login whose sudo -n runs anything as root', async () => {
    const h = fleet.host('sudo');
    const id = await ssh(fleet, h, ['id', '-un']);
    expect([id.exitCode, id.stdout]).toEqual([0, `${NONROOT_USER}\n`]);
    const uid = await ssh(fleet, h, ['id', '-u']);
    expect(uid.stdout).not.toBe('0\n');
    const sudo = await ssh(fleet, h, ['sudo', '-n', 'id', '-u']);
    expect([sudo.exitCode, sudo.stdout]).toEqual([0, '0\n']);
    expect((await ssh(fleet, h, ['sudo', '-n', 'true'])).exitCode).toBe(0);
  });

  it('nonroot-nosudo: the same login without a sudo rule: sudo -n refuses at once, never prompts', async () => {
    const h = fleet.host('nosudo');
    const id = await ssh(fleet, h, ['id', '-un']);
    expect([id.exitCode, id.stdout]).toEqual([0, `${NONROOT_USER}\n`]);
    const sudo = await ssh(fleet, h, ['sudo', '-n', 'true'], 10_000);
    expect(sudo.timedOut).toBe(false);
    expect(sudo.exitCode).toBe(1);
    expect(sudo.stderr).toContain('a password is required');
    // Root's files stay closed to this login.
    expect((await ssh(fleet, h, ['cat', '/etc/shadow'])).exitCode).not.toBe(0);
  });

  it('drops: the answer stops after its first bytes and the session ends with no exit status', async () => {
    const h = fleet.host('drops');
    const line = 'plumbline facts line\n';
    const r = await ssh(fleet, h, ['yes', 'plumbline facts line']);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(255);
    expect(r.stdout).toBe(line.repeat(Math.ceil(DROP_AFTER / line.length)).slice(0, DROP_AFTER));
    // Cut before the first byte: nothing at all, still no exit status.
    const none = await ssh(fleet, fleet.host('drops-all'), ['yes', 'plumbline facts line']);
    expect([none.exitCode, none.stdout, none.timedOut]).toEqual([255, '', false]);
  });

  it('auth-refused: authorized_keys lacks the client key: permission denied, once, no prompt', async () => {
    const r = await ssh(fleet, fleet.host('authfail'), ['true']);
    expect([r.exitCode, r.stdout]).toEqual([255, '']);
    expect(r.stderr).toContain('Permission denied (publickey)');
  });

  it('teardown: no process, namespace, veth, claim or file is left, and the machine files are as they were', async () => {
    const pids = fleet.hosts.flatMap((h) => [h.sshdPid, ...h.tlsPids, ...h.test.pids]).filter((p): p is number => p !== null);
    expect(pids.length).toBeGreaterThan(10);
    const vethNames = fleet.hosts.map((h) => h.test.vethHost!);
    await fleet.destroy();
    expect(pids.filter((p) => !isGoneOrZombie(p))).toEqual([]);
    const netns = await run('ip', ['netns', 'list']);
    expect(netns.stdout).not.toContain(`pl-${fleet.nsPrefix}-`);
    const links = await run('ip', ['-o', 'link', 'show']);
    expect(vethNames.filter((v) => links.stdout.includes(`${v}@`))).toEqual([]);
    expect(existsSync(fleet.sshConfig)).toBe(false);
    const claims = readdirSync(SUBNET_CLAIM_DIR).filter((f) => readFileSync(join(SUBNET_CLAIM_DIR, f), 'utf8') === String(process.pid));
    expect(claims).toEqual([]);
    expect(existsSync(`/run/sudo/ts/${NONROOT_USER}`)).toBe(false);
    expect(machineFiles()).toBe(before);
  });
});

(why ? describe.skip : describe)('SSH test fleet at scale', () => {
  const cleanup: Array<() => unknown> = [];
  afterAll(() => runCleanups(cleanup));

  it('twenty hosts start in one go, each answers ssh, and all go away', async () => {
    const fleet = await startSshFleet({
      hosts: Array.from({ length: 20 }, (_, i) => ({ name: `h${i}`, sysctls: { 'net.core.somaxconn': String(5000 + i) } })),
    });
    cleanup.push(() => fleet.destroy());
    const t0 = Date.now();
    const answers = await Promise.all(fleet.hosts.map((h) => ssh(fleet, h, ['cat', '/proc/sys/net/core/somaxconn'])));
    const sshMs = Date.now() - t0;
    expect(answers.map((a) => [a.exitCode, a.stdout])).toEqual(fleet.hosts.map((_, i) => [0, `${5000 + i}\n`]));
    const t1 = Date.now();
    await fleet.destroy();
    const destroyMs = Date.now() - t1;
    console.log(
      `SSH test fleet of 20: start ${fleet.startMs} ms (${(fleet.startMs / 20).toFixed(0)} ms a host at 16 in parallel), ` +
        `ssh to all at once ${sshMs} ms, teardown ${destroyMs} ms`,
    );
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(`pl-${fleet.nsPrefix}-`);
  }, 180_000);
});

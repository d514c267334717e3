// SSH test fleets: network-namespace test hosts (TestHost) each running Debian's own sshd on its veth address,
// with its own host key and this run's client key authorized, plus hosts that fail the way real fleets do. The
// client side is one private ssh_config (`ssh -F FILE`) with a private known_hosts and identity: nothing in
// ~/.ssh or /etc/ssh is read or written, and nothing on this machine changes beyond the test's own files.
//
// Each sshd runs in a private mount namespace with its own copy of /etc/passwd bind-mounted over the machine's:
// root's home is the host's own, and the faulty logins (a banner, a cut session, a non-root user with or without
// sudo, with its own /etc/shadow and /etc/sudoers.d) exist only there, so no user is added and no sudo rule is
// installed on this machine; the sessions inherit the namespace, so `sudo` in them sees the same files.
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestHost, isAlive, netnsSkipReason, run, withBindMounts } from './netns.js';
import type { HostSpec, ListenerSpec } from './netns.js';
import { selfSigned } from './probe-servers.js';
import { sServerArgv } from './tls-servers.js';

/**
 * How a host fails, one per host:
 * - `stopped`: the namespace is up, no sshd: a connection is refused.
 * - `filtered`: sshd runs, nft drops its port: a connection times out.
 * - `hostkey-changed`: known_hosts holds another key under the host's address.
 * - `hostkey-unknown`: known_hosts holds no key for the host (a host never seen before).
 * - `silent`: a TCP server on port 22 accepts and never sends a byte.
 * - `banner`: root's login shell prints BANNER on stdout before every command.
 * - `nonroot-sudo`, `nonroot-nosudo`: the login is NONROOT_USER, with and without a NOPASSWD rule for all commands.
 * - `drops`: root's login shell passes the first `dropAfterBytes` bytes of the command's output, then is
 *   killed: the client gets a partial answer, then the session ends with no exit status.
 * - `auth-refused`: the host's authorized_keys holds another key than the client's.
 */
export type SshFault =
  | 'stopped'
  | 'filtered'
  | 'hostkey-changed'
  | 'hostkey-unknown'
  | 'silent'
  | 'banner'
  | 'nonroot-sudo'
  | 'nonroot-nosudo'
  | 'drops'
  | 'auth-refused';

export const SSH_FAULTS: readonly SshFault[] = [
  'stopped',
  'filtered',
  'hostkey-changed',
  'hostkey-unknown',
  'silent',
  'banner',
  'nonroot-sudo',
  'nonroot-nosudo',
  'drops',
  'auth-refused',
];

/** What the `banner` host's login shell prints before every command: a motd, and lines that look like framing. */
export const BANNER = [
  '*** Authorized use only. This host is monitored. ***',
  'Last login: Mon Dec  7 05:16:38 2026 from 198.19.200.1',
  '==> plumbline <==',
  // Shaped like the remote program's frames (TAG STATUS PATHLEN DATALEN, then the bytes), the final one too.
  'F - 11 5',
  '/etc/passwdroot:',
  'Z - 0 0',
  '{"facts": [], "end": true}',
  'SSH-2.0-OpenSSH_9.2p1',
  '',
].join('\n');

/** The login of the `nonroot-*` hosts (set as that host's User in the ssh_config). */
export const NONROOT_USER = 'pl-audit';

/** A TLS server (openssl s_server, a self-signed certificate for the host's name) inside the host. */
interface SshTlsListener {
  port: number;
  /** Default 127.0.0.1: reachable only from inside the host, as through `ssh -W`. */
  address?: string;
  /** Further s_server options (`-tls1_3`, ...). */
  args?: string[];
}

export interface SshHostSpec extends Omit<HostSpec, 'name' | 'veth'> {
  /** 1-12 of [a-z0-9-], unique in the fleet. */
  name: string;
  fault?: SshFault;
  tls?: SshTlsListener[];
  /** For `drops`: how many bytes of the answer get through (default 512; 0 cuts before the first byte). */
  dropAfterBytes?: number;
  /**
   * `[file, over]`: files bind-mounted over the machine's in the host's private mount namespace, so its sshd and
   * every login see them (a ping copied without its file capability over /usr/bin/ping, say).
   */
  binds?: [string, string][];
}

export interface SshFleetSpec {
  hosts: SshHostSpec[];
  /** Hosts set up at once (default 16): each is a handful of `ip` calls, an ssh-keygen and an sshd start. */
  parallel?: number;
  /**
   * Give each host's sshd (and so its logins) a process table of its own, with this many idle processes beside
   * sshd, as a real host has one: by default every host shares this machine's, so what a host's /proc shows grows
   * with the number of hosts. A host's other servers (`tls`, `listeners`) stay outside it: for benches of
   * plain hosts, not for verdicts on listeners.
   */
  ownProcessTable?: number;
}

export interface SshHost {
  readonly name: string;
  readonly fault: SshFault | null;
  /** The namespace end of the veth: what ssh connects to, port 22. */
  readonly address: string;
  /** The root-namespace end of the veth (the host's gateway; nothing listens there). */
  readonly gateway: string;
  /** The login the ssh_config names for this host. */
  readonly user: string;
  readonly test: TestHost;
  /** null for `stopped` and `silent`. */
  readonly sshdPid: number | null;
  /** The public host key sshd serves (`ssh-ed25519 AAAA...`), null when no sshd runs. */
  readonly hostKey: string | null;
  /** The pids of the TLS servers, in spec order. */
  readonly tlsPids: number[];
}

/** Why SSH fleet tests should be skipped here, or null if they must run (always under CI=true). */
export function sshFleetSkipReason(): string | null {
  const why = netnsSkipReason();
  if (why || process.env.CI === 'true') return why;
  for (const [path, pkg] of [
    ['/usr/sbin/sshd', 'openssh-server'],
    ['/usr/bin/ssh', 'openssh-client'],
    ['/usr/bin/ssh-keygen', 'openssh-client'],
    ['/usr/bin/sudo', 'sudo'],
  ] as const) {
    if (!existsSync(path)) return `${path} is not installed (Debian package ${pkg})`;
  }
  return null;
}

// Test links take /30s of 198.19.200.0-198.19.254.255, which no other test uses. A claim file per subnet
// (created exclusively, holding the owner's pid) keeps fleets of parallel test workers apart.
export const SUBNET_CLAIM_DIR = existsSync('/run') ? '/run/plumbline-test-ssh-subnets' : join(tmpdir(), 'plumbline-test-ssh-subnets');
const FIRST_SUBNET = (((198 * 256 + 19) * 256 + 200) * 256) / 4;
const SUBNET_COUNT = (55 * 256) / 4;
const SSHD = '/usr/sbin/sshd';

function subnetAddrs(index: number): { gateway: string; address: string } {
  const base = (FIRST_SUBNET + index) * 4;
  const ip = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  return { gateway: ip(base + 1), address: ip(base + 2) };
}

/** Claims `count` free subnets, starting at a random one; a claim whose owner is gone is taken over. */
function claimSubnets(count: number): number[] {
  mkdirSync(SUBNET_CLAIM_DIR, { recursive: true });
  const got: number[] = [];
  const start = randomInt(SUBNET_COUNT);
  for (let k = 0; k < SUBNET_COUNT && got.length < count; k++) {
    const i = (start + k) % SUBNET_COUNT;
    const path = join(SUBNET_CLAIM_DIR, String(i));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx' });
        got.push(i);
        break;
      } catch {
        const owner = Number(readFileSync(path, 'utf8') || '0');
        if (owner > 0 && isAlive(owner)) break;
        rmSync(path, { force: true });
      }
    }
  }
  if (got.length < count) {
    releaseSubnets(got);
    throw new Error(`only ${got.length} of ${count} test subnets of 198.19.200.0-198.19.254.255 are free`);
  }
  return got;
}

function releaseSubnets(indexes: readonly number[]): void {
  for (const i of indexes) rmSync(join(SUBNET_CLAIM_DIR, String(i)), { force: true });
}

async function keygen(path: string, comment: string): Promise<string> {
  const r = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  if (r.exitCode !== 0) throw new Error(`ssh-keygen ${path}: ${r.stderr.trim()}`);
  // `TYPE BASE64 COMMENT`: known_hosts and authorized_keys want the first two.
  return readFileSync(`${path}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
}

function sshdConfig(dir: string, address: string): string {
  return `# sshd of one plumbline test host: every file it names is in ${dir}
ListenAddress ${address}:22
HostKey ${join(dir, 'ssh_host_ed25519_key')}
PidFile ${join(dir, 'sshd.pid')}
AuthorizedKeysFile ${join(dir, 'authorized_keys')}
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding yes
MaxSessions 64
MaxStartups 200:30:400
Subsystem sftp internal-sftp
`;
}

/** A uid no account of this machine has (the non-root login exists only in the passwd its sshd sees). */
function freeUid(passwd: string): number {
  const used = new Set(passwd.split('\n').map((l) => Number(l.split(':')[2])));
  for (let uid = 61_000; uid < 65_000; uid++) if (!used.has(uid)) return uid;
  throw new Error('no free uid in 61000-64999');
}

/** The login shells that make the `banner` and `drops` hosts: each ends by running the command with /bin/sh. */
function loginShell(fault: 'banner' | 'drops', dropAfterBytes: number): string {
  if (fault === 'banner') return `#!/bin/sh\ncat <<'PLUMBLINE_BANNER'\n${BANNER}PLUMBLINE_BANNER\nexec /bin/sh "$@"\n`;
  // The connection drops: once the bytes have passed, the session's whole process group is killed, the command
  // with it, as when the link goes (the command is not waited for: it may be waiting on its input).
  return `#!/bin/sh\n/bin/sh "$@" | { head -c ${dropAfterBytes}; kill -KILL 0; }\n`;
}

interface Built {
  host: SshHost;
  subnet: number;
}

export class SshFleet {
  /** `ssh -F` this file. */
  readonly sshConfig: string;
  readonly knownHosts: string;
  /** The client's private key (its public half is `${identityFile}.pub`). */
  readonly identityFile: string;
  readonly hosts: SshHost[];
  /** Every namespace of this fleet is named `pl-${nsPrefix}-...`. */
  readonly nsPrefix: string;
  /** Wall-clock milliseconds start() took. */
  readonly startMs: number;

  private readonly dir: string;
  private readonly subnets: number[];
  private destroyed: Promise<void> | null = null;

  private constructor(o: { dir: string; hosts: SshHost[]; subnets: number[]; nsPrefix: string; startMs: number }) {
    this.dir = o.dir;
    this.hosts = o.hosts;
    this.subnets = o.subnets;
    this.nsPrefix = o.nsPrefix;
    this.startMs = o.startMs;
    this.sshConfig = join(o.dir, 'ssh_config');
    this.knownHosts = join(o.dir, 'known_hosts');
    this.identityFile = join(o.dir, 'client_ed25519');
  }

  host(name: string): SshHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name} in this fleet`);
    return h;
  }

  /** `ssh -F CONFIG [extra] ADDRESS -- command...`: the argument list of a plain ssh to one host. */
  sshArgs(host: SshHost, command: readonly string[], extra: readonly string[] = []): string[] {
    return ['-F', this.sshConfig, ...extra, host.address, '--', ...command];
  }

  static async start(spec: SshFleetSpec): Promise<SshFleet> {
    const began = Date.now();
    validate(spec);
    const tag = randomBytes(2).toString('hex');
    const nsPrefix = `ssh${tag}`;
    const dir = mkdtempSync(join(tmpdir(), 'pl-sshfleet-'));
    // Non-root logins read their authorized_keys and run their shell from here.
    chmodSync(dir, 0o755);
    const subnets = claimSubnets(spec.hosts.length);
    liveDirs.set(dir, subnets);
    installExitHook();
    // sshd's privilege separation chroots there; Debian's ssh.service creates it at boot. Left in place after.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const built: Built[] = [];
    try {
      const clientPub = await keygen(join(dir, 'client_ed25519'), `plumbline-test-client-${tag}`);
      // A key nobody uses: the wrong host key of `hostkey-changed`, the only authorized key of `auth-refused`.
      const strangerPub = await keygen(join(dir, 'stranger_ed25519'), `plumbline-test-stranger-${tag}`);
      const queue = spec.hosts.map((h, i) => ({ h, subnet: subnets[i]! }));
      const failures: unknown[] = [];
      const worker = async (): Promise<void> => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          try {
            built.push(await startHost(next.h, { dir, nsPrefix, subnet: next.subnet, clientPub, strangerPub, ownProcessTable: spec.ownProcessTable }));
          } catch (e) {
            failures.push(e);
            queue.length = 0;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(spec.parallel ?? 16, spec.hosts.length) }, worker));
      if (failures.length > 0) throw failures[0];
      const hosts = spec.hosts.map((h) => built.find((b) => b.host.name === h.name)!.host);
      writeFileSync(join(dir, 'known_hosts'), knownHostsText(hosts, strangerPub));
      writeFileSync(join(dir, 'ssh_config'), sshConfigText(dir, tag, hosts));
      return new SshFleet({ dir, hosts, subnets, nsPrefix, startMs: Date.now() - began });
    } catch (e) {
      await Promise.allSettled(built.map((b) => b.host.test.destroy()));
      rmSync(dir, { recursive: true, force: true });
      releaseSubnets(subnets);
      liveDirs.delete(dir);
      throw e;
    }
  }

  /** Stops every process (by pid, with its host), deletes namespaces, veths, subnet claims and files. Idempotent. */
  destroy(): Promise<void> {
    this.destroyed ??= this.doDestroy();
    return this.destroyed;
  }

  private async doDestroy(): Promise<void> {
    const settled = await Promise.allSettled(this.hosts.map((h) => h.test.destroy()));
    rmSync(this.dir, { recursive: true, force: true });
    releaseSubnets(this.subnets);
    liveDirs.delete(this.dir);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

export function startSshFleet(spec: SshFleetSpec): Promise<SshFleet> {
  return SshFleet.start(spec);
}

// Hosts clean themselves up at exit (netns.ts); the fleet's own files and claims are done here.
const liveDirs = new Map<string, number[]>();
let exitHooked = false;

function installExitHook(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const [dir, subnets] of liveDirs) {
      rmSync(dir, { recursive: true, force: true });
      releaseSubnets(subnets);
    }
  });
}

function validate(spec: SshFleetSpec): void {
  const names = new Set<string>();
  for (const h of spec.hosts) {
    if (!/^[a-z0-9][a-z0-9-]{0,11}$/.test(h.name)) throw new Error(`ssh host name ${JSON.stringify(h.name)}: use 1-12 of [a-z0-9-]`);
    if (names.has(h.name)) throw new Error(`ssh host name ${h.name} is used twice`);
    names.add(h.name);
    if (h.dropAfterBytes !== undefined && h.fault !== 'drops') throw new Error(`${h.name}: dropAfterBytes is for fault 'drops'`);
    if (h.dropAfterBytes !== undefined && !(Number.isInteger(h.dropAfterBytes) && h.dropAfterBytes >= 0))
      throw new Error(`${h.name}: dropAfterBytes must be an integer >= 0`);
    if (h.fault === 'silent' || h.fault === 'stopped') {
      if (h.binds?.length) throw new Error(`${h.name}: a ${h.fault} host has no sshd to see its bind mounts`);
      if (h.tls?.length) throw new Error(`${h.name}: a ${h.fault} host has no sshd to reach its TLS listeners through`);
    }
  }
}

interface HostContext {
  dir: string;
  nsPrefix: string;
  subnet: number;
  clientPub: string;
  strangerPub: string;
  ownProcessTable?: number | undefined;
}

async function startHost(spec: SshHostSpec, ctx: HostContext): Promise<Built> {
  const { gateway, address } = subnetAddrs(ctx.subnet);
  const fault = spec.fault ?? null;
  const dir = join(ctx.dir, spec.name);
  mkdirSync(dir, { mode: 0o755 });
  const runsSshd = fault !== 'stopped' && fault !== 'silent';
  const hostKey = runsSshd ? await keygen(join(dir, 'ssh_host_ed25519_key'), `plumbline-test-host-${spec.name}`) : null;
  writeFileSync(join(dir, 'authorized_keys'), `${fault === 'auth-refused' ? ctx.strangerPub : ctx.clientPub}\n`, { mode: 0o644 });
  writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, address));

  const extraNft =
    fault === 'filtered'
      ? 'table inet plumbline_ssh_filtered {\n  chain input {\n    type filter hook input priority -10; policy accept;\n    tcp dport 22 drop\n  }\n}\n'
      : '';
  const silent: ListenerSpec[] = fault === 'silent' ? [{ address, port: 22, name: 'pl-silent' }] : [];
  const { name: _name, fault: _fault, tls: _tls, dropAfterBytes: _drop, binds: _binds, ...hostSpec } = spec;
  const test = await TestHost.create({
    ...hostSpec,
    name: `${ctx.nsPrefix}-${spec.name}`,
    veth: { hostAddr: `${gateway}/30`, nsAddr: `${address}/30` },
    ...(hostSpec.nft !== undefined || extraNft ? { nft: `${hostSpec.nft ?? ''}\n${extraNft}` } : {}),
    listeners: [...(hostSpec.listeners ?? []), ...silent],
  });
  try {
    let sshdPid: number | null = null;
    let user = 'root';
    if (runsSshd) {
      const sshd = [SSHD, '-D', '-e', '-f', join(dir, 'sshd_config')];
      const login = privateLogin(fault, dir, spec.dropAfterBytes ?? 512);
      user = login.user;
      const [cmd, args] = withBindMounts([...login.binds, ...(spec.binds ?? [])], sshd);
      sshdPid = await test.startServer(ctx.ownProcessTable === undefined ? [cmd, ...args] : ownProcessTable(ctx.ownProcessTable, [cmd, ...args]), 22);
    }
    const tlsPids: number[] = [];
    for (const [i, t] of (spec.tls ?? []).entries()) {
      const certDir = join(dir, `tls-${i}`);
      mkdirSync(certDir);
      const { cert, key } = await selfSigned(certDir, spec.name, `DNS:${spec.name},IP:${address}`);
      // sServerArgv takes certificates as `<name>.crt` and `<name>.key` of one directory.
      renameSync(cert, join(certDir, 'host.crt'));
      renameSync(key, join(certDir, 'host.key'));
      tlsPids.push(await test.startServer(sServerArgv(certDir, t.address ?? '127.0.0.1', t.port, { cert: 'host', args: t.args ?? [] }), t.port));
    }
    return { host: { name: spec.name, fault, address, gateway, user, test, sshdPid, hostKey, tlsPids }, subnet: ctx.subnet };
  } catch (e) {
    await test.destroy();
    throw e;
  }
}

/**
 * argv run as the first process of a PID namespace of its own, with /proc mounted for it and `idle` sleeping
 * processes beside it; the namespace (and everything in it) ends with the unshare that holds it.
 */
function ownProcessTable(idle: number, argv: string[]): string[] {
  const script = 'i=0; while [ "$i" -lt "$1" ]; do sleep 86400 & i=$((i + 1)); done; shift; exec "$@"';
  return ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--', '/bin/sh', '-c', script, 'sh', String(idle), ...argv];
}

/**
 * The passwd (and for non-root logins shadow and sudoers.d) that host's sshd and its sessions see. Root's home is
 * an empty directory of the host's: this machine's /root dotfiles (a .bashrc that sets up pyenv, say) are not
 * the test host's, and would cost every login their start-up time.
 */
function privateLogin(fault: SshFault | null, dir: string, dropAfterBytes: number): { user: string; binds: [string, string][] } {
  const machine = readFileSync('/etc/passwd', 'utf8');
  const lines = machine.split('\n').filter((l) => l !== '');
  const binds: [string, string][] = [];
  const rootHome = join(dir, 'root');
  mkdirSync(rootHome, { mode: 0o700 });
  const root = lines.findIndex((l) => l.startsWith('root:'));
  const fields = lines[root]!.split(':');
  fields[5] = rootHome;
  let user = 'root';
  if (fault === 'banner' || fault === 'drops') {
    const shell = join(dir, `${fault}-shell`);
    writeFileSync(shell, loginShell(fault, dropAfterBytes), { mode: 0o755 });
    fields[6] = shell;
  } else if (fault === 'nonroot-sudo' || fault === 'nonroot-nosudo') {
    user = NONROOT_USER;
    const uid = freeUid(machine);
    const home = join(dir, 'home');
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, uid, uid);
    lines.push(`${user}:x:${uid}:${uid}:plumbline test login:${home}:/bin/sh`);
    const sudoers = join(dir, 'sudoers.d');
    mkdirSync(sudoers, { mode: 0o755 });
    // sudo reads sudoers.d files owned by root and not writable by others.
    if (fault === 'nonroot-sudo') writeFileSync(join(sudoers, 'pl-audit'), `${user} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    binds.push([sudoers, '/etc/sudoers.d']);
    // sudo's PAM account check wants a shadow entry (`*`: no password, not locked).
    const shadow = join(dir, 'shadow');
    const machineShadow = statSync('/etc/shadow');
    writeFileSync(shadow, `${readFileSync('/etc/shadow', 'utf8').trimEnd()}\n${user}:*:19000:0:99999:7:::\n`, { mode: 0o600 });
    chownSync(shadow, machineShadow.uid, machineShadow.gid);
    chmodSync(shadow, machineShadow.mode & 0o777);
    binds.push([shadow, '/etc/shadow']);
    // sudo keeps its per-user timestamps under /run/sudo: the test's go with the host. The mount point is what
    // sudo itself makes there, and stays, as /run/sshd does.
    const sudoRun = join(dir, 'run-sudo');
    mkdirSync(sudoRun, { mode: 0o711 });
    mkdirSync('/run/sudo', { recursive: true, mode: 0o711 });
    binds.push([sudoRun, '/run/sudo']);
  }
  lines[root] = fields.join(':');
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, `${lines.join('\n')}\n`, { mode: 0o644 });
  binds.unshift([passwd, '/etc/passwd']);
  return { user, binds };
}

function knownHostsText(hosts: readonly SshHost[], strangerPub: string): string {
  const lines: string[] = [];
  for (const h of hosts) {
    if (h.fault === 'hostkey-changed') lines.push(`${h.address} ${strangerPub}`);
    else if (h.fault === 'hostkey-unknown') continue;
    else if (h.hostKey) lines.push(`${h.address} ${h.hostKey}`);
  }
  return `${lines.join('\n')}\n`;
}

function sshConfigText(dir: string, tag: string, hosts: readonly SshHost[]): string {
  const perHost = hosts.filter((h) => h.user !== 'root').map((h) => `Host ${h.address}\n  User ${h.user}\n`);
  return `# plumbline test fleet ${tag}: use as \`ssh -F ${join(dir, 'ssh_config')}\`. Every file named here is private to the
# run; ssh reads no other configuration and no ~/.ssh file with -F, and the agent is not asked.
${perHost.join('')}Host *
  User root
  IdentityFile ${join(dir, 'client_ed25519')}
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile ${join(dir, 'known_hosts')}
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  UpdateHostKeys no
  BatchMode yes
  PasswordAuthentication no
  KbdInteractiveAuthentication no
`;
}

// Test hosts as Linux network namespaces: each TestHost is a fresh netns with its own sysctls, firewall
// ruleset and real listening server processes, so integration tests can audit something that looks like a
// production box without touching the machine the tests run on.
//
// Servers and clients are Python, not Node: Node raises its soft RLIMIT_NOFILE to the hard limit at startup,
// which would hide exactly the nofile values the tests want the auditor to see.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';

type Protocol = 'tcp' | 'udp';

export interface ListenerSpec {
  /** '127.0.0.1', '0.0.0.0', '::', '::1', or the namespace end of the veth. */
  address: string;
  /** 0 picks a free port; the chosen one is reported in RunningListener.port. */
  port: number;
  protocol?: Protocol;
  /** Only meaningful for IPv6 addresses; defaults to false (dual-stack), like most daemons. */
  v6only?: boolean;
  nofile?: { soft: number; hard: number };
  /** Executable name, hence /proc/PID/comm and what `ss -p` shows. At most 15 characters. */
  name?: string;
  /** listen(2) backlog; the kernel caps it at net.core.somaxconn. Defaults to 511 (redis, nginx). */
  backlog?: number;
  /** Run the server as this user (setpriv), as a service that dropped root would. Default: root. */
  user?: string;
}

export interface HostSpec {
  /** Short label that goes into the namespace name: pl-<name>-<pid>-<random>. */
  name: string;
  /** net.* keys only: anything else is not per-namespace and would change the real host. */
  sysctls?: Record<string, string>;
  /** nft script loaded with `nft -f -` inside the namespace. */
  nft?: string;
  /** Each entry is the argument list of one `iptables` call inside the namespace. */
  iptables?: string[][];
  /**
   * Further set-up, each entry one command and its arguments run inside the namespace after the firewall:
   * `['iptables-legacy', '-P', 'INPUT', 'DROP']`, `['ip', 'rule', 'add', ...]`, `['ip', 'link', 'set', ...]`.
   */
  commands?: string[][];
  listeners?: ListenerSpec[];
  /** Addresses in 198.18.0.0/15, optionally with a prefix length (default /24). */
  veth?: { hostAddr: string; nsAddr: string };
}

export interface RunningListener {
  address: string;
  port: number;
  protocol: Protocol;
  v6only: boolean;
  name: string;
  backlog: number;
  nofile: { soft: number; hard: number } | null;
  pid: number;
}

export interface ExecOptions {
  /** Default 15 s; the command is SIGKILLed when it expires. */
  timeoutMs?: number;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** 124 on timeout (as timeout(1) does), 128+N when killed by signal N. */
  exitCode: number;
  timedOut: boolean;
}

export interface OpenConnectionsOptions {
  port: number;
  /** Where the client connects; defaults to 127.0.0.1. */
  address?: string;
  count: number;
  /**
   * 'established': a client process keeps the connections open until destroy().
   * 'close_wait': the client closes its end and exits; our servers never close, so the server side of each
   * connection stays in CLOSE_WAIT — the classic leak signature.
   */
  state: 'established' | 'close_wait';
  timeoutMs?: number;
}

const DEFAULT_EXEC_TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
// Ceilings, not waits: each returns the moment its condition holds, and a loaded machine can take long to start a server.
const LISTENER_READY_TIMEOUT_MS = 60_000;
const TERM_GRACE_MS = 3_000;
const KILL_GRACE_MS = 2_000;
const POLL_MS = 50;

// Markers let a later run reap namespaces left behind by a test worker that was SIGKILLed (no 'exit' event).
const MARKER_DIR = existsSync('/run') ? '/run/plumbline-test-netns' : join(tmpdir(), 'plumbline-test-netns');

const SERVER_PY = String.raw`
import os, socket, sys, threading

def watch_parent():
    # EOF on stdin means the test process is gone: never outlive it, even if it was SIGKILLed.
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)

proto, addr, port, v6only, backlog = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == '1', int(sys.argv[5])
family = socket.AF_INET6 if ':' in addr else socket.AF_INET
kind = socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM
s = socket.socket(family, kind)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if family == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
s.bind((addr, port))
if kind == socket.SOCK_STREAM:
    s.listen(backlog)
threading.Thread(target=watch_parent, daemon=True).start()
print('READY %d' % s.getsockname()[1], flush=True)
held = []
if kind == socket.SOCK_STREAM:
    while True:
        # Never close accepted sockets: a peer that hangs up leaves us in CLOSE_WAIT on purpose.
        conn, _ = s.accept()
        held.append(conn)
else:
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)
`;

const CLIENT_PY = String.raw`
import os, socket, sys

addr, port, count, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
socks = [socket.create_connection((addr, port), timeout=5) for _ in range(count)]
if mode == 'close':
    for c in socks:
        c.close()
    print('DONE', flush=True)
    sys.exit(0)
print('READY', flush=True)
try:
    sys.stdin.buffer.read()
finally:
    os._exit(0)
`;

// ---------------------------------------------------------------------------------------------------------
// Running commands

/** Runs a command without a shell. A non-zero exit is reported, not thrown; failing to start is thrown. */
export function run(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let exitCode = code ?? 0;
      if (timedOut) exitCode = 124;
      else if (signal) exitCode = 128 + signalNumber(signal);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode, timedOut });
    });
    // A command that never reads stdin makes our write fail with EPIPE; that is not the command's failure.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The argument list that runs `argv` in a private mount namespace in which each `[file, over]` pair has `file`
 * bind-mounted over `over` (a file over a file, a directory over a directory). The mounts never propagate: this
 * machine's files stay as they are, and go back to being seen when the program exits.
 */
export function withBindMounts(mounts: readonly (readonly [string, string])[], argv: readonly string[]): [string, string[]] {
  const script = 'while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 125; shift 2; done; shift; exec "$@"';
  return ['unshare', ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', ...mounts.flat(), '--', ...argv]];
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 0;
}

async function runOk(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await run(cmd, args, opts);
  if (r.exitCode !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------------------
// Capability probe

let probeResult: { ok: true } | { ok: false; why: string } | undefined;

/** Whether this process can create network namespaces (root, iproute2 present, a probe netns works). */
export function canUseNetns(): { ok: true } | { ok: false; why: string } {
  if (probeResult) return probeResult;
  probeResult = probe();
  return probeResult;
}

function probe(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: `network namespaces need Linux (this is ${process.platform})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { ok: false, why: `network namespaces need root (uid is ${process.getuid?.() ?? 'unknown'})` };
  }
  const version = spawnSync('ip', ['-V'], { timeout: 5_000 });
  if (version.error || version.status !== 0)
    return { ok: false, why: `iproute2 'ip' is not usable: ${version.error?.message ?? version.stderr?.toString().trim()}` };
  // Being uid 0 is not enough inside some containers (no CAP_SYS_ADMIN, read-only /run): try it for real.
  const ns = `pl-probe-${process.pid}-${randomBytes(4).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', ns], { timeout: 5_000 });
  if (add.error || add.status !== 0) {
    return { ok: false, why: `'ip netns add' failed: ${add.error?.message ?? add.stderr?.toString().trim()}` };
  }
  try {
    const ex = spawnSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'show', 'lo'], { timeout: 5_000 });
    if (ex.error || ex.status !== 0) return { ok: false, why: `'ip netns exec' failed: ${ex.error?.message ?? ex.stderr?.toString().trim()}` };
  } finally {
    spawnSync('ip', ['netns', 'del', ns], { timeout: 5_000 });
  }
  const py = findPython();
  if (!py) return { ok: false, why: 'python3 is needed for the test servers and was not found' };
  // What test hosts are built with; .ci/run installs every one of them.
  for (const [tool, args, pkg] of TOOLS) {
    const r = spawnSync(tool, args, { timeout: 5_000, stdio: 'ignore' });
    if (r.error) return { ok: false, why: `${tool} is not installed (Debian package ${pkg})` };
  }
  return { ok: true };
}

const TOOLS: [string, string[], string][] = [
  ['nft', ['--version'], 'nftables'],
  ['iptables', ['--version'], 'iptables'],
  ['iptables-legacy', ['--version'], 'iptables'],
  ['sysctl', ['--version'], 'procps'],
  ['ss', ['--version'], 'iproute2'],
  ['prlimit', ['--version'], 'util-linux'],
  ['setpriv', ['--version'], 'util-linux'],
];

let pythonPath: string | null | undefined;

// The servers are started through a symlink named after the service, so the kernel sets comm from the link
// name; the link must point at the real interpreter binary, not at a wrapper script such as a pyenv shim.
function findPython(): string | null {
  if (pythonPath !== undefined) return pythonPath;
  pythonPath = null;
  const candidates = ['/usr/bin/python3'];
  const which = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { timeout: 10_000 });
  if (!which.error && which.status === 0) candidates.push(which.stdout.toString().trim());
  for (const c of candidates) {
    try {
      if (c && existsSync(c)) {
        pythonPath = realpathSync(c);
        break;
      }
    } catch {
      // try the next candidate
    }
  }
  return pythonPath;
}

// ---------------------------------------------------------------------------------------------------------
// Skip policy shared by every netns test file

/**
 * Why netns tests should be skipped here, or null if they must run. Under CI=true they always run, so a CI
 * machine that cannot create namespaces fails loudly instead of passing with everything skipped.
 */
export function netnsSkipReason(): string | null {
  const can = canUseNetns();
  if (can.ok || process.env.CI === 'true') return null;
  return can.why;
}

// ---------------------------------------------------------------------------------------------------------
// Emergency cleanup

interface Tracked {
  child: ChildProcess;
  exited: boolean;
}

const liveHosts = new Set<TestHost>();
let handlersInstalled = false;
let reaped = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      cleanupAllSync();
      // Adding a listener disables Node's default "die on this signal": restore it if nobody else decides.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

function cleanupAllSync(): void {
  for (const host of [...liveHosts]) host.destroySync();
}

/** Whether a process of this pid exists (a zombie counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Orphans killed in the namespace are reaped by PID 1, which may take its time; a zombie holds no sockets
// and no namespace reference, so for teardown it counts as gone.
export function isGoneOrZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

function nsPidsSync(ns: string): number[] {
  const r = spawnSync('ip', ['netns', 'pids', ns], { timeout: 5_000 });
  if (r.status !== 0) return [];
  return r.stdout
    .toString()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid);
}

interface Marker {
  ns: string;
  ownerPid: number;
  vethHost: string | null;
  tmpDir: string;
}

/** Removes namespaces (and their processes, veths, temp dirs) whose creating process no longer exists. */
function reapStaleHosts(): string[] {
  const removed: string[] = [];
  let files: string[];
  try {
    files = readdirSync(MARKER_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return removed;
  }
  for (const f of files.slice(0, 200)) {
    const path = join(MARKER_DIR, f);
    let m: Marker;
    try {
      m = JSON.parse(readFileSync(path, 'utf8')) as Marker;
    } catch {
      continue;
    }
    if (!/^pl-[A-Za-z0-9-]+-\d+-[0-9a-f]{8}$/.test(m.ns) || isAlive(m.ownerPid)) continue;
    for (const pid of nsPidsSync(m.ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('ip', ['netns', 'del', m.ns], { timeout: 5_000 });
    if (m.vethHost) spawnSync('ip', ['link', 'del', m.vethHost], { timeout: 5_000 });
    if (m.tmpDir.startsWith(join(tmpdir(), 'pl-harness-'))) rmSync(m.tmpDir, { recursive: true, force: true });
    rmSync(path, { force: true });
    removed.push(m.ns);
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------------------
// Address helpers

function parseTestNetAddr(s: string, what: string): { ip: string; prefix: number } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`${what} ${JSON.stringify(s)} is not an IPv4 address`);
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) throw new Error(`${what} ${s} is not an IPv4 address`);
  // Only the RFC 2544 benchmarking range may appear on test links: it can never collide with real traffic.
  if (octets[0] !== 198 || (octets[1] !== 18 && octets[1] !== 19)) throw new Error(`${what} ${s} must be in 198.18.0.0/15`);
  const prefix = m[5] === undefined ? 24 : Number(m[5]);
  if (prefix < 15 || prefix > 30) throw new Error(`${what} ${s}: prefix length must be between /15 and /30`);
  return { ip: octets.join('.'), prefix };
}

function parseVeth(veth: { hostAddr: string; nsAddr: string }): { h: { ip: string; prefix: number }; n: { ip: string; prefix: number } } {
  const h = parseTestNetAddr(veth.hostAddr, 'veth.hostAddr');
  const n = parseTestNetAddr(veth.nsAddr, 'veth.nsAddr');
  if (h.prefix !== n.prefix || !sameSubnet(h.ip, n.ip, h.prefix) || h.ip === n.ip) {
    throw new Error(`veth addresses ${veth.hostAddr} and ${veth.nsAddr} must be two addresses of one subnet`);
  }
  return { h, n };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function sameSubnet(a: string, b: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(ipToInt(a) / size) === Math.floor(ipToInt(b) / size);
}

// /proc/net/{tcp,udp}[6] list every socket of the namespace; local_address is HEX_IP:HEX_PORT.
interface ProcNetEntry {
  localPort: number;
  remotePort: number;
  state: number;
  inode: number;
}

function parseProcNet(text: string): ProcNetEntry[] {
  const rows: ProcNetEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const local = cols[1]?.split(':')[1];
    const remote = cols[2]?.split(':')[1];
    if (!local || !remote || !cols[3] || !cols[9]) continue;
    rows.push({ localPort: parseInt(local, 16), remotePort: parseInt(remote, 16), state: parseInt(cols[3], 16), inode: Number(cols[9]) });
  }
  return rows;
}

function readProcNetOf(pid: number, file: 'tcp' | 'tcp6' | 'udp' | 'udp6'): ProcNetEntry[] {
  try {
    // /proc/PID/net shows the namespace of PID, so the host can read the test host's tables directly.
    return parseProcNet(readFileSync(`/proc/${pid}/net/${file}`, 'utf8'));
  } catch {
    return [];
  }
}

const TCP_ESTABLISHED = 0x01;
const TCP_CLOSE_WAIT = 0x08;
const TCP_LISTEN = 0x0a;
const UDP_UNCONNECTED = 0x07;

// ---------------------------------------------------------------------------------------------------------
// What a peer sees

export type ConnectOutcome = 'open' | 'refused' | 'timeout';

/**
 * One TCP connection attempt from this (the root) namespace to a test host's veth address: what the kernel
 * really does with the SYN. `open` when the handshake completes, `refused` on a RST or an ICMP reject,
 * `timeout` when nothing answers (a drop). Only for addresses in 198.18.0.0/15 or loopback.
 */
export function connectFromPeer(address: string, port: number, timeoutMs = 1_500): Promise<ConnectOutcome> {
  if (!/^198\.(18|19)\.\d+\.\d+$/.test(address) && !/^127\./.test(address)) {
    return Promise.reject(new Error(`connectFromPeer: ${address} is not a test-host address (198.18.0.0/15) or loopback`));
  }
  return new Promise((resolve) => {
    const sock = netConnect({ host: address, port, autoSelectFamily: false });
    const done = (o: ConnectOutcome): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    sock.once('connect', () => done('open'));
    sock.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ETIMEDOUT' ? 'timeout' : 'refused'));
  });
}

// ---------------------------------------------------------------------------------------------------------
// TestHost

export class TestHost {
  /** Network namespace name, usable with `ip netns exec`. */
  readonly ns: string;
  /** Host-side veth name, if the spec asked for one. */
  readonly vethHost: string | null;
  /** Namespace-side veth name, if the spec asked for one. */
  readonly vethNs: string | null;
  readonly listeners: RunningListener[] = [];

  private readonly tmpDir: string;
  private readonly tracked: Tracked[] = [];
  private destroyed: Promise<void> | null = null;
  private syncDestroyed = false;

  private constructor(ns: string, tmpDir: string, veth: boolean) {
    this.ns = ns;
    this.tmpDir = tmpDir;
    const tag = randomBytes(4).toString('hex');
    this.vethHost = veth ? `plh${tag}` : null;
    this.vethNs = veth ? `pln${tag}` : null;
  }

  /** Server pids, one per listener, in spec order. */
  get pids(): number[] {
    return this.listeners.map((l) => l.pid);
  }

  /** Every process this host started that has not exited yet (servers and held clients). */
  get livePids(): number[] {
    return this.tracked.filter((t) => !t.exited && t.child.pid !== undefined).map((t) => t.child.pid as number);
  }

  static async create(spec: HostSpec): Promise<TestHost> {
    validateSpec(spec);
    const can = canUseNetns();
    if (!can.ok) throw new Error(`cannot create test host: ${can.why}`);
    const python = findPython();
    if (!python) throw new Error('cannot create test host: python3 not found');
    if (!reaped) {
      reaped = true;
      reapStaleHosts();
    }
    installHandlers();

    const ns = `pl-${spec.name}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmpDir = mkdtempSync(join(tmpdir(), 'pl-harness-'));
    // Servers may run as an unprivileged user: they must be able to reach the script and the named link.
    chmodSync(tmpDir, 0o755);
    const host = new TestHost(ns, tmpDir, spec.veth !== undefined);
    liveHosts.add(host);
    try {
      host.writeMarker();
      writeFileSync(join(tmpDir, 'server.py'), SERVER_PY);
      writeFileSync(join(tmpDir, 'client.py'), CLIENT_PY);
      await runOk('ip', ['netns', 'add', ns]);
      await runOk('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      if (spec.veth) await host.setupVeth(spec.veth);
      for (const [key, value] of Object.entries(spec.sysctls ?? {})) await host.setSysctl(key, value);
      if (spec.nft !== undefined) await host.nsOk('nft', ['-f', '-'], { input: spec.nft });
      for (const args of spec.iptables ?? []) await host.nsOk('iptables', args);
      for (const [cmd, ...args] of spec.commands ?? []) await host.nsOk(cmd!, args);
      const started = (spec.listeners ?? []).map((l) => host.startListener(python, l));
      // Wait for all of them even if one fails, so none is still starting while destroy() runs.
      const settled = await Promise.allSettled(started);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      return host;
    } catch (e) {
      await host.destroy();
      throw e;
    }
  }

  /** `ip netns exec NS cmd ...args`, no shell. Non-zero exit is returned, not thrown. */
  exec(cmd: string, args: readonly string[] = [], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.destroyed || this.syncDestroyed) return Promise.reject(new Error(`test host ${this.ns} is destroyed`));
    return run('ip', ['netns', 'exec', this.ns, cmd, ...args], opts);
  }

  /** The listener with this process name or port. */
  listener(nameOrPort: string | number): RunningListener {
    const l = this.listeners.find((x) => (typeof nameOrPort === 'number' ? x.port === nameOrPort : x.name === nameOrPort));
    if (!l) throw new Error(`no listener ${String(nameOrPort)} on ${this.ns}`);
    return l;
  }

  /**
   * Opens `count` TCP connections from inside the namespace to one of this host's listeners and waits until
   * the server side shows them in the requested state. Returns the pid of the holding client, if any.
   */
  async openConnections(opts: OpenConnectionsOptions): Promise<{ clientPid: number | null }> {
    const target = this.listeners.find((l) => l.port === opts.port && l.protocol === 'tcp');
    if (!target) throw new Error(`openConnections: no TCP listener on port ${opts.port}`);
    if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 1000) throw new Error('openConnections: count must be 1..1000');
    const python = findPython();
    if (!python) throw new Error('python3 not found');
    const address = opts.address ?? '127.0.0.1';
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const before = this.countServerSockets(target.pid, target.port, opts.state === 'close_wait' ? TCP_CLOSE_WAIT : TCP_ESTABLISHED);
    const exe = this.linkExecutable(python, 'pl-client');
    const mode = opts.state === 'close_wait' ? 'close' : 'hold';
    const { child, tracked } = this.spawnInNs([exe, join(this.tmpDir, 'client.py'), address, String(opts.port), String(opts.count), mode]);
    const line = await waitForLine(child, mode === 'close' ? /^DONE$/ : /^READY$/, timeoutMs);
    if (line === null) {
      const why = tracked.exited ? `client exited: ${childStderr(child)}` : 'timed out';
      throw new Error(`openConnections to ${address}:${opts.port} failed: ${why}`);
    }
    const wanted = before + opts.count;
    const state = opts.state === 'close_wait' ? TCP_CLOSE_WAIT : TCP_ESTABLISHED;
    const deadline = Date.now() + timeoutMs;
    while (this.countServerSockets(target.pid, target.port, state) < wanted) {
      if (Date.now() > deadline) throw new Error(`openConnections: server side did not reach ${opts.state} x${opts.count} in ${timeoutMs} ms`);
      await sleep(POLL_MS);
    }
    return { clientPid: mode === 'hold' ? (child.pid ?? null) : null };
  }

  /**
   * Starts a long-running program inside the namespace (`openssl s_server ...`, say) and resolves with its pid
   * once it listens on TCP `port`. It is stopped with the host, or earlier by the test through the pid.
   */
  async startServer(argv: string[], port: number, timeoutMs = LISTENER_READY_TIMEOUT_MS): Promise<number> {
    if (this.destroyed || this.syncDestroyed) throw new Error(`test host ${this.ns} is destroyed`);
    const { child, tracked } = this.spawnInNs(argv);
    // A chatty server must never block on a full pipe.
    child.stdout?.resume();
    const pid = child.pid;
    const listening = (): boolean =>
      pid !== undefined &&
      (tracked.exited || [...readProcNetOf(pid, 'tcp'), ...readProcNetOf(pid, 'tcp6')].some((e) => e.localPort === port && e.state === TCP_LISTEN));
    await waitUntil(listening, timeoutMs);
    if (pid === undefined || tracked.exited || !listening()) {
      throw new Error(`server ${argv.join(' ')} did not listen on ${port}: ${tracked.exited ? childStderr(child).trim() || 'exited' : 'timed out'}`);
    }
    return pid;
  }

  /** Stops every process started here, deletes the namespace, veth and temp dir. Safe to call repeatedly. */
  destroy(): Promise<void> {
    this.destroyed ??= this.doDestroy();
    return this.destroyed;
  }

  private async doDestroy(): Promise<void> {
    const errors: string[] = [];
    const live = () => this.tracked.filter((t) => !t.exited);
    for (const t of live()) t.child.kill('SIGTERM');
    await waitUntil(() => live().length === 0, TERM_GRACE_MS);
    for (const t of live()) t.child.kill('SIGKILL');
    await waitUntil(() => live().length === 0, KILL_GRACE_MS);
    if (live().length > 0)
      errors.push(
        `pids still alive after SIGKILL: ${live()
          .map((t) => t.child.pid)
          .join(', ')}`,
      );

    // Anything else in the namespace was started through exec(): it belongs to this host too.
    if (existsSync(`/run/netns/${this.ns}`)) {
      const strays = (await run('ip', ['netns', 'pids', this.ns])).stdout.split(/\s+/).filter(Boolean).map(Number);
      for (const pid of strays) {
        if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await waitUntil(() => strays.every(isGoneOrZombie), KILL_GRACE_MS);
      const del = await run('ip', ['netns', 'del', this.ns]);
      if (del.exitCode !== 0) errors.push(`ip netns del ${this.ns}: ${del.stderr.trim()}`);
    }
    if (this.vethHost) {
      // Deleting the namespace normally takes the pair with it; this covers a veth that never moved in.
      const show = await run('ip', ['link', 'show', this.vethHost]);
      if (show.exitCode === 0) await run('ip', ['link', 'del', this.vethHost]);
    }
    rmSync(this.tmpDir, { recursive: true, force: true });
    rmSync(markerPath(this.ns), { force: true });
    liveHosts.delete(this);
    if (errors.length > 0) throw new Error(`destroy ${this.ns}: ${errors.join('; ')}`);
  }

  /** Best-effort synchronous teardown for process exit, where no async work can run. */
  destroySync(): void {
    if (this.syncDestroyed) return;
    this.syncDestroyed = true;
    for (const t of this.tracked) {
      if (!t.exited && t.child.pid !== undefined) {
        try {
          process.kill(t.child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const pid of nsPidsSync(this.ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('ip', ['netns', 'del', this.ns], { timeout: 5_000 });
    if (this.vethHost) spawnSync('ip', ['link', 'del', this.vethHost], { timeout: 5_000, stdio: 'ignore' });
    rmSync(this.tmpDir, { recursive: true, force: true });
    rmSync(markerPath(this.ns), { force: true });
    liveHosts.delete(this);
  }

  // -------------------------------------------------------------------------------------------------------

  private writeMarker(): void {
    mkdirSync(MARKER_DIR, { recursive: true });
    const marker: Marker = { ns: this.ns, ownerPid: process.pid, vethHost: this.vethHost, tmpDir: this.tmpDir };
    writeFileSync(markerPath(this.ns), JSON.stringify(marker));
  }

  private async nsOk(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return runOk('ip', ['netns', 'exec', this.ns, cmd, ...args], opts);
  }

  private async setupVeth(veth: { hostAddr: string; nsAddr: string }): Promise<void> {
    const { h, n } = parseVeth(veth);
    // Two hosts on one subnet would give the real host two routes for it, and traffic would go to whichever wins.
    const inUse = await run('ip', ['-4', '-o', 'addr', 'show', 'to', `${h.ip}/${h.prefix}`]);
    if (inUse.stdout.trim() !== '') throw new Error(`subnet of ${veth.hostAddr} is already used on this machine: ${inUse.stdout.trim()}`);
    const vh = this.vethHost as string;
    const vn = this.vethNs as string;
    await runOk('ip', ['link', 'add', vh, 'type', 'veth', 'peer', 'name', vn, 'netns', this.ns]);
    await runOk('ip', ['addr', 'add', `${h.ip}/${h.prefix}`, 'dev', vh]);
    await runOk('ip', ['link', 'set', vh, 'up']);
    await runOk('ip', ['-n', this.ns, 'addr', 'add', `${n.ip}/${n.prefix}`, 'dev', vn]);
    await runOk('ip', ['-n', this.ns, 'link', 'set', vn, 'up']);
    await runOk('ip', ['-n', this.ns, 'route', 'add', 'default', 'via', h.ip, 'dev', vn]);
  }

  private async setSysctl(key: string, value: string): Promise<void> {
    const hostPath = `/proc/sys/${key.replace(/\./g, '/')}`;
    const hostBefore = readOrNull(hostPath);
    await this.nsOk('sysctl', ['-w', `${key}=${value}`]);
    // Some net.* keys are global on some kernels; writing one "inside" the namespace would change the real host.
    const hostAfter = readOrNull(hostPath);
    if (hostBefore !== hostAfter) {
      if (hostBefore !== null) {
        try {
          writeFileSync(hostPath, hostBefore);
        } catch {
          // reported below either way
        }
      }
      throw new Error(`sysctl ${key} is not namespaced on this kernel (the host value changed; restored it)`);
    }
    const back = await this.nsOk('sysctl', ['-n', key]);
    if (back.stdout.trim().split(/\s+/).join(' ') !== value.trim().split(/\s+/).join(' ')) {
      throw new Error(`sysctl ${key}: wrote ${JSON.stringify(value)} but reads back ${JSON.stringify(back.stdout.trim())}`);
    }
  }

  private linkExecutable(target: string, name: string): string {
    const dir = join(this.tmpDir, 'bin');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    if (!existsSync(path)) symlinkSync(target, path);
    chmodSync(dir, 0o755);
    return path;
  }

  private spawnInNs(argv: string[], nofile?: { soft: number; hard: number }, user?: string): { child: ChildProcess; tracked: Tracked } {
    const prefix = nofile ? ['prlimit', `--nofile=${nofile.soft}:${nofile.hard}`, '--'] : [];
    if (user) prefix.push('setpriv', `--reuid=${user}`, `--regid=${primaryGid(user)}`, '--clear-groups', '--');
    // ip, prlimit and the interpreter each exec() the next, so child.pid ends up being the server's own pid.
    const child = spawn('ip', ['netns', 'exec', this.ns, ...prefix, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    const tracked: Tracked = { child, exited: false };
    this.tracked.push(tracked);
    child.on('exit', () => {
      tracked.exited = true;
    });
    child.on('error', () => {
      tracked.exited = true;
    });
    child.stdin?.on('error', () => {});
    collectStderr(child);
    // A test that forgets destroy() must not keep its worker alive forever; the 'exit' hook cleans up then.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
    return { child, tracked };
  }

  private async startListener(python: string, spec: ListenerSpec): Promise<void> {
    const protocol = spec.protocol ?? 'tcp';
    const name = spec.name ?? `pl-${protocol}${spec.port}`;
    const backlog = spec.backlog ?? 511;
    const v6only = spec.v6only ?? false;
    const exe = this.linkExecutable(python, name);
    const { child, tracked } = this.spawnInNs(
      [exe, join(this.tmpDir, 'server.py'), protocol, spec.address, String(spec.port), v6only ? '1' : '0', String(backlog)],
      spec.nofile,
      spec.user,
    );
    const what = `${name} on ${protocol} ${spec.address}:${spec.port}`;
    const line = await waitForLine(child, /^READY \d+$/, LISTENER_READY_TIMEOUT_MS);
    if (line === null || child.pid === undefined) {
      throw new Error(`listener ${what} did not start: ${tracked.exited ? childStderr(child).trim() || 'exited' : 'timed out'}`);
    }
    const port = Number(line.split(' ')[1]);
    const pid = child.pid;
    // READY is printed after listen(); confirm the kernel agrees before tests start auditing the host.
    const v6 = spec.address.includes(':');
    const file = `${protocol}${v6 ? '6' : ''}` as 'tcp' | 'tcp6' | 'udp' | 'udp6';
    const state = protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED;
    const ok = await waitUntil(() => readProcNetOf(pid, file).some((e) => e.localPort === port && e.state === state), 5_000);
    if (!ok) throw new Error(`listener ${what} reported ready but is not in /proc/${pid}/net/${file}`);
    this.listeners.push({ address: spec.address, port, protocol, v6only, name, backlog, nofile: spec.nofile ?? null, pid });
  }

  private countServerSockets(pid: number, port: number, state: number): number {
    return [...readProcNetOf(pid, 'tcp'), ...readProcNetOf(pid, 'tcp6')].filter((e) => e.localPort === port && e.state === state).length;
  }
}

// ---------------------------------------------------------------------------------------------------------

function primaryGid(user: string): number {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === user);
  const gid = line?.split(':')[3];
  if (gid === undefined) throw new Error(`listener user ${user}: not in /etc/passwd`);
  return Number(gid);
}

function validateSpec(spec: HostSpec): void {
  if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(spec.name)) throw new Error(`HostSpec.name ${JSON.stringify(spec.name)}: use 1-20 of [a-z0-9-]`);
  for (const key of Object.keys(spec.sysctls ?? {})) {
    if (!/^net\.[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`sysctl ${key}: only net.* keys are per-namespace; others would change the real host`);
  }
  for (const l of spec.listeners ?? []) {
    if (!Number.isInteger(l.port) || l.port < 0 || l.port > 65535) throw new Error(`listener port ${l.port} out of range`);
    if (l.name !== undefined && !/^[A-Za-z0-9._-]{1,15}$/.test(l.name)) {
      throw new Error(`listener name ${JSON.stringify(l.name)}: 1-15 of [A-Za-z0-9._-] (the kernel truncates comm at 15)`);
    }
    if (l.nofile && (!(l.nofile.soft > 0) || l.nofile.soft > l.nofile.hard))
      throw new Error(`listener nofile ${l.nofile.soft}:${l.nofile.hard}: need 0 < soft <= hard`);
  }
  if (spec.veth) parseVeth(spec.veth);
  const names = (spec.listeners ?? []).map((l) => l.name).filter((n): n is string => n !== undefined);
  if (new Set(names).size !== names.length) throw new Error('listener names must be unique within a host');
}

function markerPath(ns: string): string {
  return join(MARKER_DIR, `${ns}.json`);
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (cond()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

const stderrOf = new WeakMap<ChildProcess, string[]>();

function collectStderr(child: ChildProcess): void {
  const chunks: string[] = [];
  let size = 0;
  stderrOf.set(child, chunks);
  child.stderr?.on('data', (c: Buffer) => {
    size += c.length;
    if (size < 64 * 1024) chunks.push(c.toString('utf8'));
  });
}

function childStderr(child: ChildProcess): string {
  return (stderrOf.get(child) ?? []).join('');
}

/** Resolves with the first stdout line matching `re`, or null when the child exits or time runs out. */
function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const finish = (v: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining so a chatty child can never block on a full pipe.
      child.stdout?.resume();
      resolve(v);
    };
    const onData = (c: Buffer): void => {
      buf += c.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (re.test(l.trim())) return finish(l.trim());
      if (buf.length > 64 * 1024) buf = '';
    };
    // 'exit' can fire before the last stdout data; give the stream a moment to deliver it.
    const onExit = (): void => {
      setTimeout(() => finish(null), 100);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit();
  });
}

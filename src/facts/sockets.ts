// Listening sockets, their owners and TCP state counts, read from /proc/net/{tcp,tcp6,udp,udp6}.
// /proc is read instead of running `ss -p` because it needs no tool on the host and one read per
// file is cheap; `ss` is consulted only for the one thing /proc hides: a v6 socket's IPV6_V6ONLY flag.

import type { Listener, SocketOwner, SocketsFact } from './model.js';
import type { RawView } from '../transport/raw.js';
import type { RawRequest } from '../transport/types.js';
import { isFailure } from '../transport/types.js';
import type { FamilyModule } from './family.js';
import { canonical, fromBytes, wildcardFamily } from '../lib/address.js';
import { PASSWD_NEED, usersOf } from './passwd.js';

export interface ProcNetRow {
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel socket state code (0x0A is TCP LISTEN, 0x07 is TCP_CLOSE, i.e. an unconnected UDP socket). */
  state: number;
  uid: number;
  inode: number;
}

/** Names for the kernel's TCP state codes (include/net/tcp_states.h). */
const TCP_STATE_NAMES: Readonly<Record<number, string>> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECV',
  0x04: 'FIN_WAIT1',
  0x05: 'FIN_WAIT2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSE',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  0x0c: 'NEW_SYN_RECV',
};

const TCP_LISTEN = 0x0a;
const TCP_CLOSE = 0x07;

function hexBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

/**
 * Decode a /proc/net address. The kernel prints each 32-bit word of the address as it sits in memory
 * read as a host integer, so on little-endian hosts every 4-byte group is reversed.
 */
export function decodeProcAddress(hex: string, family: 4 | 6, littleEndian = true): string {
  const want = family === 4 ? 8 : 32;
  if (hex.length !== want || !/^[0-9A-Fa-f]+$/.test(hex)) throw new Error(`bad IPv${family} address "${hex}"`);
  const bytes: number[] = [];
  for (let w = 0; w < want; w += 8) {
    const word = hexBytes(hex.slice(w, w + 8));
    bytes.push(...(littleEndian ? word.reverse() : word));
  }
  return fromBytes(bytes);
}

// One regex per line is several times faster than splitting: busy hosts have 100k+ rows here.
const ROW = /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+):([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+\S+\s+\S+\s+\S+\s+(\d+)\s+\S+\s+(\d+)/;

interface RawRow {
  localHex: string;
  localPort: number;
  remoteHex: string;
  remotePort: number;
  state: number;
  uid: number;
  inode: number;
}

function* rawRows(text: string): Generator<RawRow> {
  for (const line of text.split('\n')) {
    // Header ("sl local_address ...") and blank lines do not match.
    const m = ROW.exec(line);
    if (!m) continue;
    yield {
      localHex: m[1] as string,
      localPort: parseInt(m[2] as string, 16),
      remoteHex: m[3] as string,
      remotePort: parseInt(m[4] as string, 16),
      state: parseInt(m[5] as string, 16),
      uid: Number(m[6]),
      inode: Number(m[7]),
    };
  }
}

function decodeRow(r: RawRow, protocol: 'tcp' | 'udp', family: 4 | 6, littleEndian: boolean): ProcNetRow {
  return {
    protocol,
    family,
    localAddress: decodeProcAddress(r.localHex, family, littleEndian),
    localPort: r.localPort,
    remoteAddress: decodeProcAddress(r.remoteHex, family, littleEndian),
    remotePort: r.remotePort,
    state: r.state,
    uid: r.uid,
    inode: r.inode,
  };
}

export function parseProcNet(text: string, protocol: 'tcp' | 'udp', family: 4 | 6, littleEndian = true): ProcNetRow[] {
  const rows: ProcNetRow[] = [];
  for (const r of rawRows(text)) rows.push(decodeRow(r, protocol, family, littleEndian));
  return rows;
}

const ZERO_ADDR = /^0+$/;

/** Decided on the raw row, so only listeners' addresses are decoded: established rows are the bulk of the file. */
function isListening(r: RawRow, protocol: 'tcp' | 'udp'): boolean {
  if (protocol === 'tcp') return r.state === TCP_LISTEN;
  // A connected UDP socket only talks to its peer; only unconnected ones (no peer at all) receive from anyone.
  return r.state === TCP_CLOSE && r.remotePort === 0 && ZERO_ADDR.test(r.remoteHex);
}

function tcpStateName(state: number): string {
  // Newer kernels may add states; count them under their code rather than lose them.
  return TCP_STATE_NAMES[state] ?? `STATE_${state.toString(16).toUpperCase().padStart(2, '0')}`;
}

function emptyTcpStates(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of Object.values(TCP_STATE_NAMES)) counts[name] = 0;
  return counts;
}

export interface SsV6Socket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  inode?: number;
  /** undefined when this ss version prints neither the v6only field nor the "*" wildcard form. */
  v6only?: boolean;
}

/** Parse `ss -Hlntue -f inet6` output (Netid State Recv-Q Send-Q Local Peer [ino:N ... v6only:B]). */
export function parseSsInet6(text: string): SsV6Socket[] {
  const out: SsV6Socket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const protocol = f[0];
    const local = f[4];
    if ((protocol !== 'tcp' && protocol !== 'udp') || !local) continue;
    const m = /^(.*):(\d+|\*)$/.exec(local);
    if (!m || m[2] === '*') continue;
    const rawAddr = m[1] as string;
    const port = Number(m[2]);
    const ino = line.match(/\bino:(\d+)/);
    const flag = line.match(/\bv6only:([01])\b/);
    // Without the explicit field, ss still encodes the flag: "*" for a dual-stack wildcard, "[::]" for a v6only one.
    let v6only: boolean | undefined;
    if (flag) v6only = flag[1] === '1';
    else if (rawAddr === '*') v6only = false;
    else if (rawAddr === '[::]') v6only = true;
    // Canonical like the /proc addresses they are matched with ("[::ffff:127.0.0.1]", "[fe80::1%eth0]").
    const address = rawAddr === '*' ? '::' : canonical(rawAddr);
    out.push({ protocol, address, port, ...(ino ? { inode: Number(ino[1]) } : {}), ...(v6only === undefined ? {} : { v6only }) });
  }
  return out;
}

const SS_ARGS = ['-Hlntue', '-f', 'inet6'];

const PROC_NET = ['tcp', 'tcp6', 'udp', 'udp6'] as const;
const BINDV6ONLY = '/proc/sys/net/ipv6/bindv6only';
const SS_ARGV = ['ss', ...SS_ARGS];
const FD_LINKS = '/proc/[0-9]*/fd/*';
const COMMS = '/proc/[0-9]*/comm';
const STATUSES = '/proc/[0-9]*/status';

function procNet(raw: RawView, name: (typeof PROC_NET)[number]): string {
  const path = `/proc/net/${name}`;
  const v = raw.read(path);
  if (typeof v === 'string') return v;
  // Booting with ipv6.disable=1 removes tcp6/udp6 entirely; that is a host without v6 sockets, not a failure.
  if (name.endsWith('6') && v.error === 'ENOENT') return '';
  throw new Error(`cannot read ${path}: ${v.message}`);
}

/** ss's view of the v6 sockets, or why there is none (the paired/sysctl fallbacks still give an answer). */
export type SsAnswer = { sockets: SsV6Socket[] } | { why: string };

function ssV6Flags(raw: RawView): SsAnswer {
  const r = raw.run(SS_ARGV);
  if (isFailure(r)) return { why: r.error === 'ETIMEDOUT' ? 'ss timed out' : 'ss was not available' };
  if (r.exitCode !== 0) return { why: `ss failed (exit ${r.exitCode})` };
  return { sockets: parseSsInet6(r.stdout) };
}

/** undefined when unreadable: the caller then assumes the kernel default, and says so. */
function bindV6Only(raw: RawView): boolean | undefined {
  const v = raw.read(BINDV6ONLY);
  return typeof v === 'string' ? v.trim() === '1' : undefined;
}

const vanishedCode = (code: string): boolean => code === 'ENOENT' || code === 'ESRCH';

/** pid -> the socket inodes it holds open, from the /proc/PID/fd/* links; incomplete when some could not be read. */
function socketsByPid(raw: RawView): { held: Map<number, Set<number>>; complete: boolean } {
  const held = new Map<number, Set<number>>();
  const g = raw.glob(FD_LINKS, 'link');
  if (isFailure(g)) return { held, complete: false };
  // A process that exits mid-scan is simply gone; anything else (another user's fds without root) means we could not look.
  let complete = !Object.values(g.unlisted).some((code) => !vanishedCode(code));
  for (const [path, target] of Object.entries(g.found)) {
    if (typeof target !== 'string') {
      if (!vanishedCode(target.error)) complete = false;
      continue;
    }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (!m) continue;
    const pid = Number(path.split('/')[2]);
    let set = held.get(pid);
    if (!set) held.set(pid, (set = new Set()));
    set.add(Number(m[1]));
  }
  return { held, complete };
}

/** The requests that find which processes own which sockets (shared with the families that select by owner). */
export const OWNER_NEEDS: readonly RawRequest[] = [
  ...PROC_NET.map((n) => ({ op: 'read' as const, path: `/proc/net/${n}` })),
  PASSWD_NEED,
  { op: 'glob', pattern: FD_LINKS, take: 'link' },
];

function ownerInfo(raw: RawView, pid: number, users: Map<number, string>): SocketOwner | undefined {
  const comm = raw.glob(COMMS, 'read');
  const status = raw.glob(STATUSES, 'read');
  const c = isFailure(comm) ? undefined : comm.found[`/proc/${pid}/comm`];
  const st = isFailure(status) ? undefined : status.found[`/proc/${pid}/status`];
  // Exited after we saw its fd: no longer an owner.
  if (typeof c !== 'string' || typeof st !== 'string') return undefined;
  const m = /^Uid:\s+(\d+)/m.exec(st);
  const uid = m ? Number(m[1]) : undefined;
  const user = uid === undefined ? undefined : users.get(uid);
  return { pid, comm: c.replace(/\n$/, ''), ...(uid !== undefined ? { uid } : {}), ...(user !== undefined ? { user } : {}) };
}

/** Which processes hold each listener's socket open. */
function owners(raw: RawView, listeners: Listener[], users: Map<number, string>): OwnerScan {
  const wanted = new Set(listeners.map((l) => l.inode).filter((i) => i !== 0));
  const out = new Map<number, SocketOwner[]>();
  if (wanted.size === 0) return { owners: out, complete: true };
  const { held, complete } = socketsByPid(raw);
  for (const pid of [...held.keys()].sort((a, b) => a - b)) {
    const inodes = [...held.get(pid)!].filter((i) => wanted.has(i));
    if (inodes.length === 0) continue;
    const info = ownerInfo(raw, pid, users);
    if (!info) continue;
    for (const inode of inodes) {
      let list = out.get(inode);
      if (!list) out.set(inode, (list = []));
      list.push(info);
    }
  }
  return { owners: out, complete };
}

interface OwnerScan {
  owners: Map<number, SocketOwner[]>;
  complete: boolean;
}

/** The /proc/net tables read once per run's answers: busy hosts have 100k+ rows, and two families need them. */
const tables = new WeakMap<RawView, ReturnType<typeof buildSockets>>();

function socketTable(raw: RawView): ReturnType<typeof buildSockets> {
  let table = tables.get(raw);
  if (!table) {
    table = buildSockets({ tcp: procNet(raw, 'tcp'), tcp6: procNet(raw, 'tcp6'), udp: procNet(raw, 'udp'), udp6: procNet(raw, 'udp6') }, usersOf(raw));
    tables.set(raw, table);
  }
  return table;
}

/** The pids that hold a listening socket open, from OWNER_NEEDS' answers (for limits "of the listening processes"). */
export function listenerOwnerPids(raw: RawView): number[] {
  const { listeners } = socketTable(raw);
  const listening = new Set(listeners.map((l) => l.inode).filter((i) => i !== 0));
  const { held } = socketsByPid(raw);
  return [...held].filter(([, inodes]) => [...inodes].some((i) => listening.has(i))).map(([pid]) => pid);
}

/** Why ss did not give this socket's IPV6_V6ONLY flag. */
function ssSilence(ss: SsAnswer | undefined, found: SsV6Socket | undefined): string {
  if (ss === undefined) return 'ss was not run';
  if ('why' in ss) return ss.why;
  return found ? "ss did not show the socket's IPV6_V6ONLY flag" : 'ss did not list the socket';
}

/**
 * Decide dual-stack for each IPv6 wildcard listener, in order of trust: the socket's own flag from ss;
 * an IPv4 wildcard on the same port, `::ffff:0.0.0.0` included (the kernel would refuse that bind to a
 * dual-stack socket); the net.ipv6.bindv6only default, which is only an assumption and says why it was made.
 */
export function decideDualStack(listeners: Listener[], ss: SsAnswer | undefined, bindV6Only: boolean | undefined): void {
  const byInode = new Map<number, SsV6Socket>();
  const byPort = new Map<string, SsV6Socket[]>();
  for (const s of ss && 'sockets' in ss ? ss.sockets : []) {
    if (s.inode !== undefined) byInode.set(s.inode, s);
    const k = `${s.protocol}/${s.port}`;
    byPort.set(k, [...(byPort.get(k) ?? []), s]);
  }
  const v4Wild = new Set(listeners.filter((l) => wildcardFamily(l.address) === 4).map((l) => `${l.protocol}/${l.port}`));
  for (const l of listeners) {
    if (l.family !== 6 || wildcardFamily(l.address) !== 6) continue;
    let s = byInode.get(l.inode);
    if (!s) {
      // Without inodes, a port match is only trustworthy when it is unambiguous.
      const cands = (byPort.get(`${l.protocol}/${l.port}`) ?? []).filter((c) => c.inode === undefined && wildcardFamily(c.address) === 6);
      if (cands.length === 1) s = cands[0];
    }
    if (s?.v6only !== undefined) {
      l.dualStack = !s.v6only;
      l.dualStackSource = 'socket';
    } else if (v4Wild.has(`${l.protocol}/${l.port}`)) {
      l.dualStack = false;
      l.dualStackSource = 'paired';
    } else {
      l.dualStack = !(bindV6Only ?? false);
      l.dualStackSource = 'sysctl';
      const unread = bindV6Only === undefined ? '; net.ipv6.bindv6only could not be read, 0 is the kernel default' : '';
      l.dualStackAssumedBecause = `${ssSilence(ss, s)}${unread}`;
    }
  }
}

/** Pure part of collectSockets: listeners (without owners) and state counts from the four /proc/net texts. */
export function buildSockets(
  texts: { tcp: string; tcp6: string; udp: string; udp6: string },
  users: Map<number, string> = new Map(),
): { listeners: Listener[]; tcpStates: Record<string, number> } {
  const tcpStates = emptyTcpStates();
  const rows: ProcNetRow[] = [];
  const sources: [string, 'tcp' | 'udp', 4 | 6][] = [
    [texts.tcp, 'tcp', 4],
    [texts.tcp6, 'tcp', 6],
    [texts.udp, 'udp', 4],
    [texts.udp6, 'udp', 6],
  ];
  for (const [text, protocol, family] of sources) {
    for (const r of rawRows(text)) {
      if (protocol === 'tcp') {
        const name = tcpStateName(r.state);
        tcpStates[name] = (tcpStates[name] ?? 0) + 1;
      }
      if (isListening(r, protocol)) rows.push(decodeRow(r, protocol, family, true));
    }
  }
  const listeners: Listener[] = rows.map((r) => {
    const user = users.get(r.uid);
    return {
      protocol: r.protocol,
      family: r.family,
      address: r.localAddress,
      port: r.localPort,
      dualStack: false,
      uid: r.uid,
      ...(user !== undefined ? { user } : {}),
      inode: r.inode,
      owners: [],
    };
  });
  listeners.sort(
    (a, b) =>
      a.protocol.localeCompare(b.protocol) || a.port - b.port || a.family - b.family || a.address.localeCompare(b.address) || a.inode - b.inode,
  );
  return { listeners, tcpStates };
}

/** Listeners (with their owners and dual-stack state) and TCP state counts, read in one batch. */
export const socketsFamily: FamilyModule<{ timeoutMs: number }, SocketsFact> = {
  name: 'sockets',
  needs: ({ timeoutMs }) => [
    ...OWNER_NEEDS,
    { op: 'glob', pattern: COMMS, take: 'read' },
    { op: 'glob', pattern: STATUSES, take: 'read' },
    // Only an IPv6 wildcard listener needs these, but asking now saves a round trip on the hosts that have one.
    { op: 'run', argv: SS_ARGV, timeoutMs },
    { op: 'read', path: BINDV6ONLY },
  ],
  parse: (_, raw) => {
    const users = usersOf(raw);
    const { listeners, tcpStates } = socketTable(raw);
    const needDual = listeners.some((l) => l.family === 6 && wildcardFamily(l.address) === 6);
    const scan = owners(raw, listeners, users);
    decideDualStack(listeners, needDual ? ssV6Flags(raw) : undefined, needDual ? bindV6Only(raw) : undefined);
    for (const l of listeners) l.owners = scan.owners.get(l.inode) ?? [];
    return { listeners, tcpStates, ownersComplete: scan.complete };
  },
};

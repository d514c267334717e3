// The kernel's socket tables (/proc/net/{tcp,tcp6,udp,udp6}) and which processes hold which sockets
// (/proc/PID/fd/* -> socket:[INODE]): what the sockets family reports, and what the processes family needs to
// select "the processes that listen". Read once per run's answers.
import type { Listener, SocketsFact } from './model.js';
import type { RawView } from '../transport/raw.js';
import type { LinkFilter, RawRequest } from '../transport/types.js';
import { isFailure } from '../transport/types.js';
import { fromBytes } from '../lib/address.js';
import type { PILING_STATES } from './readings/tcp.js';
import { onKey, towardKey } from './readings/tcp.js';
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
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

const TCP_LISTEN = 0x0a;
const TCP_PILING: Readonly<Record<number, (typeof PILING_STATES)[number]>> = { 2: 'SYN_SENT', 8: 'CLOSE_WAIT' };
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

type Piling = NonNullable<SocketsFact['tcpPiling']>;

/**
 * SYN_SENT and CLOSE_WAIT sockets by whom: a socket whose local port a TCP listener holds under that port (a
 * service's accepted connections), any other under its remote end (the connects of a client). One group per
 * service or peer, never one per socket, so the fact stays small however many pile up.
 */
function pilingOf(rows: ProcNetRow[], listeners: Listener[]): Piling {
  const listening = new Set(listeners.filter((l) => l.protocol === 'tcp').map((l) => l.port));
  const piling: Piling = { SYN_SENT: {}, CLOSE_WAIT: {} };
  for (const r of rows) {
    const state = TCP_PILING[r.state]!;
    const key = listening.has(r.localPort) ? onKey(r.localPort) : towardKey(r.remoteAddress, r.remotePort);
    piling[state][key] = (piling[state][key] ?? 0) + 1;
  }
  return piling;
}

/** Listeners (without owners), state counts and the piling states by whom, from the four /proc/net texts. */
export function buildSockets(
  texts: { tcp: string; tcp6: string; udp: string; udp6: string },
  users: Map<number, string> = new Map(),
): { listeners: Listener[]; tcpStates: Record<string, number>; tcpPiling: Piling } {
  const tcpStates = emptyTcpStates();
  const rows: ProcNetRow[] = [];
  const piling: ProcNetRow[] = [];
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
        // Only the piling states' addresses are decoded: established rows are the bulk of the file.
        if (TCP_PILING[r.state] !== undefined) piling.push(decodeRow(r, protocol, family, true));
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
    (a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port || a.family - b.family || a.address.localeCompare(b.address) || a.inode - b.inode,
  );
  return { listeners, tcpStates, tcpPiling: pilingOf(piling, listeners) };
}

const PROC_NET = ['tcp', 'tcp6', 'udp', 'udp6'] as const;
const FD_LINKS = '/proc/[0-9]*/fd/*';

/** A glob filter for the processes that hold a socket open: the only ones that can own a listener. */
export const SOCKET_HOLDERS: LinkFilter = { links: 'fd/*', startsWith: 'socket:' };

function procNet(raw: RawView, name: (typeof PROC_NET)[number]): string {
  const path = `/proc/net/${name}`;
  const v = raw.read(path);
  if (typeof v === 'string') return v;
  // Booting with ipv6.disable=1 removes tcp6/udp6 entirely; that is a host without v6 sockets, not a failure.
  if (name.endsWith('6') && v.error === 'ENOENT') return '';
  throw new Error(`cannot read ${path}: ${v.message}`);
}

const vanishedCode = (code: string): boolean => code === 'ENOENT' || code === 'ESRCH';

/** pid -> the socket inodes it holds open, from the /proc/PID/fd/* links; incomplete when some could not be read. */
type Held = { held: Map<number, Set<number>>; complete: boolean };
/** Every fd link read once per run's answers: two families ask, and a host has thousands. */
const heldBy = new WeakMap<RawView, Held>();

export function socketsByPid(raw: RawView): Held {
  let known = heldBy.get(raw);
  if (!known) heldBy.set(raw, (known = readHeld(raw)));
  return known;
}

function readHeld(raw: RawView): Held {
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

/** The /proc/net tables read once per run's answers: busy hosts have 100k+ rows, and two families need them. */
const tables = new WeakMap<RawView, ReturnType<typeof buildSockets>>();

export function socketTable(raw: RawView): ReturnType<typeof buildSockets> {
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

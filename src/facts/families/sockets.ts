// The sockets family: listening sockets with their owners and dual-stack state, and TCP state counts.
// /proc is read instead of running `ss -p` because it needs no tool on the host and one read per
// file is cheap; `ss` is consulted only for the one thing /proc hides: a v6 socket's IPV6_V6ONLY flag.
import type { Listener, SocketOwner, SocketsFact } from '../model.js';
import type { RawView } from '../../transport/raw.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { canonical, wildcardFamily } from '../../lib/address.js';
import { usersOf } from '../passwd.js';
import { OWNER_NEEDS, SOCKET_HOLDERS, socketTable, socketsByPid } from '../socket-table.js';

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
const BINDV6ONLY = '/proc/sys/net/ipv6/bindv6only';
const SS_ARGV = ['ss', ...SS_ARGS];
const COMMS = '/proc/[0-9]*/comm';
const STATUSES = '/proc/[0-9]*/status';

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

function ownerInfo(raw: RawView, pid: number, users: Map<number, string>): SocketOwner | undefined {
  const comm = raw.glob(COMMS, 'read', SOCKET_HOLDERS);
  const status = raw.glob(STATUSES, 'read', SOCKET_HOLDERS);
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

const needsDualStack = (listeners: Listener[]): boolean => listeners.some((l) => l.family === 6 && wildcardFamily(l.address) === 6);

/** Listeners (with their owners and dual-stack state) and TCP state counts, read in one batch. */
export const socketsFamily: FamilyModule<{ timeoutMs: number }, SocketsFact> = {
  name: 'sockets',
  needs: () => [
    ...OWNER_NEEDS,
    { op: 'glob', pattern: COMMS, take: 'read', where: SOCKET_HOLDERS },
    { op: 'glob', pattern: STATUSES, take: 'read', where: SOCKET_HOLDERS },
    { op: 'read', path: BINDV6ONLY },
  ],
  // Only an IPv6 wildcard listener needs ss, and only the socket tables say whether one listens.
  next: ({ timeoutMs }, raw) => (needsDualStack(socketTable(raw).listeners) ? [{ op: 'run', argv: SS_ARGV, timeoutMs }] : []),
  parse: (_, raw) => {
    const users = usersOf(raw);
    const { listeners, tcpStates, tcpPiling } = socketTable(raw);
    const needDual = needsDualStack(listeners);
    const scan = owners(raw, listeners, users);
    decideDualStack(listeners, needDual ? ssV6Flags(raw) : undefined, needDual ? bindV6Only(raw) : undefined);
    for (const l of listeners) l.owners = scan.owners.get(l.inode) ?? [];
    return { listeners, tcpStates, tcpPiling, ownersComplete: scan.complete };
  },
};

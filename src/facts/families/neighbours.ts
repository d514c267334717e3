// Neighbour facts: the kernel's ARP and NDP table from `ip -j neigh show` (an argument array through the
// transport), and the links that resolve no neighbours at all (point-to-point and NOARP links, from the flags
// word of /sys/class/net/*/flags), so that a check can tell "never resolved here" from "not resolved".
// Without a usable `ip`, /proc/net/arp (read in the same batch) stands in: IPv4 only, and in its flags word only
// what net/ipv4/arp.c's arp_state_to_flags() keeps of the NUD state, which the fact says.
import type { RawView } from '../../transport/raw.js';
import type { RawRequest } from '../../transport/types.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { NeighbourFact, NeighboursFact, NoNeighboursFlag, ProcArpState } from '../model.js';
import { parseAddress } from '../../lib/address.js';
import { isObject } from '../../lib/is-object.js';

const NEIGH = ['ip', '-j', 'neigh', 'show'];
const PROC_ARP = '/proc/net/arp';
const SYS_NET = '/sys/class/net';
const FLAGS = `${SYS_NET}/*/flags`;
// include/uapi/linux/if.h
const IFF_POINTOPOINT = 0x10;
const IFF_NOARP = 0x80;

/** `ip -j neigh show`: one entry per neighbour; entries without an address or a link are not neighbours. */
export function parseIpNeigh(json: string): NeighbourFact[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error(`${NEIGH.join(' ')}: expected a JSON array`);
  const entries: NeighbourFact[] = [];
  for (const e of data) {
    if (!isObject(e) || typeof e.dst !== 'string' || typeof e.dev !== 'string') continue;
    const a = parseAddress(e.dst);
    if (!a) continue;
    const state = Array.isArray(e.state) ? e.state.filter((s): s is string => typeof s === 'string') : typeof e.state === 'string' ? [e.state] : [];
    const n: NeighbourFact = { family: a.family, address: a.text, dev: e.dev, state };
    if (typeof e.lladdr === 'string') n.lladdr = e.lladdr;
    // ip(8) prints the router flag as a key with a null value.
    if (Object.hasOwn(e, 'router')) n.router = true;
    entries.push(n);
  }
  return entries;
}

// include/uapi/linux/if_arp.h
const ATF_COM = 0x02;
const ATF_PERM = 0x04;
const ATF_PUBL = 0x08;

/**
 * The state /proc/net/arp's flags word can tell. arp_state_to_flags() writes ATF_PERM|ATF_COM for NUD_PERMANENT,
 * ATF_COM for the other valid states (REACHABLE, STALE, DELAY, PROBE: which one, it does not keep) and 0 for
 * the rest (INCOMPLETE, FAILED, or NONE), whose hardware address is then no resolved one.
 */
function arpState(flags: number): ProcArpState {
  if (flags & ATF_PERM) return 'PERMANENT';
  return flags & ATF_COM ? 'COMPLETE' : 'UNRESOLVED';
}

/**
 * /proc/net/arp (net/ipv4/arp.c, arp_seq_show): the IPv4 neighbour table. The kernel leaves out NOARP entries;
 * proxy-ARP entries (ATF_PUBL) are addresses the host answers for, not neighbours, and are left out here.
 */
export function parseProcArp(text: string): NeighbourFact[] {
  const entries: NeighbourFact[] = [];
  for (const line of text.split('\n').slice(1)) {
    // IP address, HW type, Flags, HW address (empty on a link without one), Mask, Device.
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const a = parseAddress(f[0]!);
    const flags = Number.parseInt(f[2]!, 16);
    if (a?.family !== 4 || Number.isNaN(flags) || flags & ATF_PUBL) continue;
    const state = arpState(flags);
    const n: NeighbourFact = { family: 4, address: a.text, dev: f[f.length - 1]!, state: [state] };
    if (state !== 'UNRESOLVED' && f.length === 6) n.lladdr = f[3]!;
    entries.push(n);
  }
  return entries;
}

/** The links whose flags word says they resolve no neighbours. */
function noNeighbourLinks(raw: RawView): Record<string, NoNeighboursFlag[]> {
  const g = raw.glob(FLAGS, 'read');
  if (isFailure(g)) throw new Error(readFailure(SYS_NET, g));
  const unlisted = g.unlisted[SYS_NET];
  if (unlisted !== undefined) throw new Error(`cannot list ${SYS_NET}: ${unlisted}`);
  const out: Record<string, NoNeighboursFlag[]> = {};
  for (const [path, v] of Object.entries(g.found).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // A link that vanished while it was read has no flags, and no neighbours either.
    if (typeof v !== 'string' || !/^\s*(0x)?[0-9a-f]+\s*$/i.test(v)) continue;
    const bits = Number.parseInt(v.trim(), 16);
    const flags: NoNeighboursFlag[] = [];
    if (bits & IFF_POINTOPOINT) flags.push('POINTOPOINT');
    if (bits & IFF_NOARP) flags.push('NOARP');
    if (flags.length) out[path.slice(SYS_NET.length + 1, -'/flags'.length)] = flags;
  }
  return out;
}

type Params = {
  timeoutMs: number;
  /**
   * The run pings from this host: the table is read in the second batch, which starts once the first (and its
   * pings) is complete, so a neighbour the policy pings has just been resolved.
   */
  afterPings: boolean;
};

/** The table, read together: `ip` and the file that stands in for it, so the fallback costs no round trip. */
const readTable = ({ timeoutMs }: Params): RawRequest[] => [
  { op: 'run', argv: NEIGH, timeoutMs },
  { op: 'read', path: PROC_ARP },
];

/** `ip`'s table, or why it gave none: a failure of the run itself (a timeout) is the family's. */
function ipTable(raw: RawView): { entries: NeighbourFact[] } | { why: string } {
  const r = raw.run(NEIGH);
  if (isFailure(r)) {
    if (r.error === 'ENOENT') return { why: '`ip` (iproute2) was not found' };
    throw new Error(`${NEIGH.join(' ')}: ${r.message}`);
  }
  if (r.exitCode !== 0) return { why: `${NEIGH.join(' ')} exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}` };
  try {
    return { entries: parseIpNeigh(r.stdout) };
  } catch (err) {
    return { why: `${NEIGH.join(' ')}: ${(err as Error).message}` };
  }
}

function fromProc(raw: RawView, why: string): Pick<NeighboursFact, 'entries' | 'source' | 'unreadable' | 'note'> {
  const text = raw.read(PROC_ARP);
  if (typeof text !== 'string') throw new Error(`${why}; and ${readFailure(PROC_ARP, text)}`);
  return {
    source: 'proc',
    entries: parseProcArp(text),
    unreadable: [6],
    note: `IPv6 neighbours are unknown: ${why}, and ${PROC_ARP}, read instead, holds IPv4 alone`,
  };
}

/** The neighbour table and the links without neighbours, in one run, one read and one glob. */
export const neighboursFamily: FamilyModule<Params, NeighboursFact> = {
  name: 'neighbours',
  needs: (p) => [...(p.afterPings ? [] : readTable(p)), { op: 'glob', pattern: FLAGS, take: 'read' }],
  next: (p) => (p.afterPings ? readTable(p) : []),
  parse: (_, raw) => {
    const ip = ipTable(raw);
    const table = 'entries' in ip ? { source: 'ip' as const, entries: ip.entries } : fromProc(raw, ip.why);
    return { ...table, noNeighbours: noNeighbourLinks(raw) };
  },
};

// Neighbour facts: the kernel's ARP and NDP table from `ip -j neigh show` (an argument array through the
// transport), and the links that resolve no neighbours at all (point-to-point and NOARP links, from the flags
// word of /sys/class/net/*/flags), so that a check can tell "never resolved here" from "not resolved".
import type { RawView } from '../../transport/raw.js';
import type { RawRequest } from '../../transport/types.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { NeighbourFact, NeighboursFact, NoNeighboursFlag } from '../model.js';
import { parseAddress } from '../../lib/address.js';
import { isObject } from '../../lib/is-object.js';

const NEIGH = ['ip', '-j', 'neigh', 'show'];
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

const readTable = ({ timeoutMs }: Params): RawRequest => ({ op: 'run', argv: NEIGH, timeoutMs });

/** The neighbour table and the links without neighbours, in one run and one glob. */
export const neighboursFamily: FamilyModule<Params, NeighboursFact> = {
  name: 'neighbours',
  needs: (p) => [...(p.afterPings ? [] : [readTable(p)]), { op: 'glob', pattern: FLAGS, take: 'read' }],
  next: (p) => (p.afterPings ? [readTable(p)] : []),
  parse: (_, raw) => {
    const r = raw.run(NEIGH);
    if (isFailure(r)) throw new Error(r.error === 'ENOENT' ? '`ip` (iproute2) was not found' : `${NEIGH.join(' ')}: ${r.message}`);
    if (r.exitCode !== 0) throw new Error(`${NEIGH.join(' ')} exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
    return { entries: parseIpNeigh(r.stdout), noNeighbours: noNeighbourLinks(raw) };
  },
};

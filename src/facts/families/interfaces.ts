// Interface facts straight from sysfs: one small file per attribute, no process per interface.
import type { RawView } from '../../transport/raw.js';
import type { RawFailure } from '../../transport/types.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { InterfaceFact } from '../model.js';

const SYS_NET = '/sys/class/net';
const ARPHRD_LOOPBACK = 772;
// include/uapi/linux/if.h
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

const ATTRIBUTES = ['operstate', 'carrier', 'mtu', 'flags', 'type'] as const;
const STATISTICS = `${SYS_NET}/*/statistics/*`;

/** IFF_UP from the flags word, or undefined when sysfs gave none. */
function adminUpOf(flags: string | undefined): boolean | undefined {
  if (flags === undefined || !/^(0x)?[0-9a-f]+$/i.test(flags)) return undefined;
  return (Number.parseInt(flags, 16) & IFF_UP) !== 0;
}

type Attribute = (typeof ATTRIBUTES)[number];

/** name -> attribute -> text or failure, from the glob answers. */
function byInterface(raw: RawView): Map<string, Partial<Record<Attribute, string | RawFailure>>> {
  const out = new Map<string, Partial<Record<Attribute, string | RawFailure>>>();
  for (const a of ATTRIBUTES) {
    const g = raw.glob(`${SYS_NET}/*/${a}`, 'read');
    if (isFailure(g)) throw new Error(readFailure(SYS_NET, g));
    const unlisted = g.unlisted[SYS_NET];
    if (unlisted !== undefined) throw new Error(`cannot list ${SYS_NET}: ${unlisted}`);
    for (const [path, v] of Object.entries(g.found)) {
      const name = path.slice(SYS_NET.length + 1, -(a.length + 1));
      let attrs = out.get(name);
      if (!attrs) out.set(name, (attrs = {}));
      attrs[a] = v;
    }
  }
  return out;
}

function statistics(raw: RawView): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const g = raw.glob(STATISTICS, 'read');
  if (isFailure(g)) return out;
  for (const [path, v] of Object.entries(g.found)) {
    const [name, , stat] = path.slice(SYS_NET.length + 1).split('/') as [string, string, string];
    const text = typeof v === 'string' ? v.trim() : undefined;
    let stats = out.get(name);
    if (!stats) out.set(name, (stats = {}));
    if (text !== undefined && /^\d+$/.test(text)) stats[stat] = Number(text);
  }
  return out;
}

function carrierOf(v: string | RawFailure | undefined): boolean | null {
  // The kernel answers EINVAL while the interface is not running (set down): no answer, not an error.
  if (v === undefined || typeof v !== 'string') return null;
  const t = v.trim();
  return t === '1' ? true : t === '0' ? false : null;
}

/** Every interface's sysfs attributes and statistics, in five globs and one. */
export const interfacesFamily: FamilyModule<true, Record<string, InterfaceFact>> = {
  name: 'interfaces',
  needs: () => [
    ...ATTRIBUTES.map((a) => ({ op: 'glob' as const, pattern: `${SYS_NET}/*/${a}`, take: 'read' as const })),
    { op: 'glob', pattern: STATISTICS, take: 'read' },
  ],
  parse: (_, raw) => {
    const stats = statistics(raw);
    const out: Record<string, InterfaceFact> = {};
    for (const [name, attrs] of [...byInterface(raw)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const operstate = attrs.operstate;
      // An interface without a readable operstate vanished while it was read: leave it out ("absent").
      if (typeof operstate !== 'string') continue;
      const text = (a: Attribute): string | undefined => {
        const v = attrs[a];
        return typeof v === 'string' ? v.trim() : undefined;
      };
      const flags = text('flags');
      const flagBits = flags ? Number.parseInt(flags, 16) : 0;
      const adminUp = adminUpOf(flags);
      const mtu = text('mtu');
      out[name] = {
        name,
        operstate: operstate.trim(),
        // A link set down carries nothing: the kernel's EINVAL for its carrier means "no carrier" here.
        carrier: adminUp === false ? false : carrierOf(attrs.carrier),
        ...(adminUp !== undefined ? { adminUp } : {}),
        mtu: mtu ? Number(mtu) : 0,
        loopback: Number(text('type')) === ARPHRD_LOOPBACK || (flagBits & IFF_LOOPBACK) !== 0,
        stats: stats.get(name) ?? {},
      };
    }
    return out;
  },
};

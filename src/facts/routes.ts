// Route facts from /proc/net/route (IPv4, main table) and /proc/net/ipv6_route (IPv6, every table).
// Only routes that can carry a packet somewhere are kept: reject, blackhole, local and multicast entries are not
// answers to "is there a route to X".
import type { Transport } from '../transport/types.js';
import type { RouteFact } from './model.js';
import { fromBytes } from '../lib/address.js';

// include/uapi/linux/route.h and include/uapi/linux/ipv6_route.h
const RTF_UP = 0x0001;
const RTF_REJECT = 0x0200;
const RTF_ANYCAST = 0x00100000;
const RTF_LOCAL = 0x80000000;

function popcount32(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

/** /proc/net/route prints addresses as the raw 32-bit word: little-endian on x86 and arm, so the first octet is the low byte. */
function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

export function parseProcRoute(text: string): RouteFact[] {
  const routes: RouteFact[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, destHex, gwHex, flagsHex, , , metric, maskHex] = f as [string, string, string, string, string, string, string, string];
    const flags = Number.parseInt(flagsHex, 16);
    if (!(flags & RTF_UP) || flags & RTF_REJECT) continue;
    // Blackhole and prohibit routes have no device; the kernel shows "*".
    if (iface === '*') continue;
    const dest = Number.parseInt(destHex, 16) >>> 0;
    const mask = Number.parseInt(maskHex, 16) >>> 0;
    const gw = Number.parseInt(gwHex, 16) >>> 0;
    const r: RouteFact = {
      family: 4,
      dest: dest === 0 && mask === 0 ? 'default' : `${hexToIpv4(destHex)}/${popcount32(mask)}`,
      dev: iface,
      metric: Number(metric),
    };
    if (gw !== 0) r.via = hexToIpv4(gwHex);
    routes.push(r);
  }
  return routes;
}

/** 32 hex digits in network order -> RFC 5952 text, the same form the sockets collector gives. */
export function hexToIpv6(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return fromBytes(bytes);
}

export function parseIpv6Route(text: string): RouteFact[] {
  const routes: RouteFact[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [destHex, plenHex, , , nextHopHex, metricHex, , , flagsHex, dev] = f as [
      string, string, string, string, string, string, string, string, string, string,
    ];
    if (destHex.length !== 32 || nextHopHex.length !== 32) continue;
    const flags = Number.parseInt(flagsHex, 16) >>> 0;
    if (!(flags & RTF_UP) || flags & RTF_REJECT || flags & RTF_LOCAL || flags & RTF_ANYCAST) continue;
    // ff00::/8 sits in the local table on every interface; it routes no unicast traffic.
    if (destHex.startsWith('ff')) continue;
    const plen = Number.parseInt(plenHex, 16);
    const isDefault = plen === 0 && /^0+$/.test(destHex);
    const r: RouteFact = {
      family: 6,
      dest: isDefault ? 'default' : `${hexToIpv6(destHex)}/${plen}`,
      dev,
      metric: Number.parseInt(metricHex, 16) >>> 0,
    };
    if (!/^0+$/.test(nextHopHex)) r.via = hexToIpv6(nextHopHex);
    routes.push(r);
  }
  return routes;
}

/** IPv4 and IPv6 routes; a kernel without IPv6 has no ipv6_route and simply contributes none. */
export async function collectRoutes(t: Transport): Promise<RouteFact[]> {
  const v4 = parseProcRoute(await t.readFile('/proc/net/route'));
  let v6: RouteFact[] = [];
  try {
    v6 = parseIpv6Route(await t.readFile('/proc/net/ipv6_route'));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  return [...v4, ...v6];
}

// IP addresses compared as addresses, never as strings. node:net parses and prints them (inet_pton/inet_ntop,
// so `0:0::1`, `0:0:0:0:0:0:0:1` and `::1` are one address and IPv6 text comes out in RFC 5952 form), and its
// BlockList matches addresses against networks.
//
// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is the IPv4 address it maps wherever something is judged: a
// v6 socket bound there accepts IPv4 connections to 127.0.0.1 only, and `::ffff:0.0.0.0` is the IPv4 wildcard.
// After unmapping, the families are kept apart: `::/0` is every IPv6 address, not every address (BlockList on its
// own would also match IPv4 addresses against it).
import { BlockList, SocketAddress } from 'node:net';

export type IpVersion = 4 | 6;

export interface Address {
  /** Canonical text: `127.0.0.1`, `::1`, `::ffff:127.0.0.1`. */
  text: string;
  family: IpVersion;
}

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

function blockFamily(f: IpVersion): 'ipv4' | 'ipv6' {
  return f === 4 ? 'ipv4' : 'ipv6';
}

/** Text without brackets or a zone index (`[fe80::1%eth0]` is `fe80::1`). */
function bare(s: string): string {
  let t = s.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  return zone >= 0 ? t.slice(0, zone) : t;
}

/** The canonical form of an address, or undefined when the text is not one. */
export function parseAddress(s: string): Address | undefined {
  const t = bare(s);
  // SocketAddress parses with inet_pton and throws on anything else: it is the validation (isIP would run a
  // large regular expression for the same answer).
  const family: IpVersion = t.includes(':') ? 6 : 4;
  try {
    return { text: new SocketAddress({ address: t, family: blockFamily(family) }).address, family };
  } catch {
    return undefined;
  }
}

/** Canonical text of an address, or the trimmed input when it is not an address. */
export function canonical(s: string): string {
  return parseAddress(s)?.text ?? s.trim();
}

/**
 * The address a socket bound here really accepts on: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is the
 * IPv4 address it maps (`::ffff:0.0.0.0` is the IPv4 wildcard); every other address is itself.
 */
export function unmapped(a: Address): Address {
  if (a.family !== 6) return a;
  const m = MAPPED.exec(a.text);
  return m ? { text: m[1]!, family: 4 } : a;
}

/** Address bytes in network order (4 or 16 of them), as canonical text. */
export function fromBytes(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new Error(`an address has 4 or 16 bytes, not ${bytes.length}`);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

/** Bytes of a canonical address, network order: the inverse of fromBytes. */
function toBytes(a: Address): number[] {
  if (a.family === 4) return a.text.split('.').map(Number);
  // A trailing dotted quad (`::ffff:1.2.3.4`) is the last two groups.
  const t = a.text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, p, q, r, s) => `${((+p << 8) | +q).toString(16)}:${((+r << 8) | +s).toString(16)}`);
  const [head = '', tail] = t.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** 4 for `0.0.0.0` and `::ffff:0.0.0.0`, 6 for `::`; undefined for every other address (and non-addresses). */
export function wildcardFamily(a: string): IpVersion | undefined {
  const p = parseAddress(a);
  if (!p) return undefined;
  const u = unmapped(p);
  return u.text === '0.0.0.0' || u.text === '::' ? u.family : undefined;
}

export function isWildcard(a: string): boolean {
  return wildcardFamily(a) !== undefined;
}

const LOOPBACK: Record<IpVersion, BlockList> = { 4: new BlockList(), 6: new BlockList() };
LOOPBACK[4].addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK[6].addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, and the IPv4-mapped forms of 127.0.0.0/8. */
export function isLoopback(a: string): boolean {
  const p = parseAddress(a);
  if (!p) return false;
  const u = unmapped(p);
  return LOOPBACK[u.family].check(u.text, blockFamily(u.family));
}

export interface Network {
  /** As written, for messages. */
  text: string;
  /** The network's first address, unmapped: `[::ffff:10.0.0.0/104]` is 10.0.0.0/8. */
  address: Address;
  prefix: number;
}

function bits(f: IpVersion): number {
  return f === 4 ? 32 : 128;
}

/** Clear the bits past `prefix`. */
function masked(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

/** A network or why the text is not one. The one reader behind parseNetwork and invalidNetwork. */
function readNetwork(s: string): Network | { why: string } {
  const written = s.trim();
  if (written === '') return { why: 'an address is empty' };
  if (/^\[.*\]\/\d+$/.test(written)) return { why: `${written}: write the prefix inside the brackets, like "[fd00::/8]"` };
  if (/^\[[^\]]*\]:\d+$/.test(written)) return { why: `${written}: an address here takes no port; write "${written.slice(0, written.lastIndexOf(':'))}"` };
  let t = written;
  if (t.startsWith('[') || t.endsWith(']')) {
    if (!(t.startsWith('[') && t.endsWith(']'))) return { why: `${written}: unbalanced brackets` };
    t = t.slice(1, -1);
  }
  // /proc/net does not show the interface of a link-local socket, so a zone could never be compared.
  if (t.includes('%')) return { why: `${written}: a zone index (%...) cannot be matched; write the address without it` };
  const slash = t.indexOf('/');
  const addrText = slash >= 0 ? t.slice(0, slash) : t;
  const parsed = parseAddress(addrText);
  if (!parsed || addrText !== addrText.trim()) return { why: `"${addrText}" is not an IP address` };
  let prefix = bits(parsed.family);
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return { why: `${written}: "/${p}" is not a prefix length` };
    prefix = Number(p);
    if (prefix > bits(parsed.family)) return { why: `${written}: /${prefix} is longer than an IPv${parsed.family} address (${bits(parsed.family)} bits)` };
  }
  let address = parsed;
  // Only a prefix that stays inside ::ffff:0:0/96 maps to an IPv4 network.
  const u = unmapped(parsed);
  if (u.family === 4 && parsed.family === 6 && prefix >= 96) {
    address = u;
    prefix -= 96;
  }
  const bytes = toBytes(address);
  const net = masked(bytes, prefix);
  if (net.some((b, i) => b !== bytes[i])) {
    return { why: `${written} has bits set past the /${slash >= 0 ? t.slice(slash + 1) : prefix}: the network is ${fromBytes(net)}/${prefix}` };
  }
  return { text: written, address, prefix };
}

/** `10.0.0.0/8`, `[fd00::/8]`, `fd00::/8`, or a lone address (a /32 or /128); undefined when it is neither. */
export function parseNetwork(s: string): Network | undefined {
  const n = readNetwork(s);
  return 'why' in n ? undefined : n;
}

/** The whole IPv4 and IPv6 space: what `*` means. */
function everything(text: string): Network[] {
  return [
    { text, address: { text: '0.0.0.0', family: 4 }, prefix: 0 },
    { text, address: { text: '::', family: 6 }, prefix: 0 },
  ];
}

/** One entry of a `bind` list: a network (parseNetwork), or `*` for every address of both families. */
export function parseNetworks(s: string): Network[] | undefined {
  if (s.trim() === '*') return everything(s.trim());
  const n = parseNetwork(s);
  return n ? [n] : undefined;
}

/** Why a `bind` list entry is not an address, network or `*`; undefined when it is one. */
export function invalidNetwork(s: string): string | undefined {
  if (s.trim() === '*') return undefined;
  const n = readNetwork(s);
  return 'why' in n ? n.why : undefined;
}

/**
 * Whether a network stands for every address of its family: a /0, or the wildcard address itself (allowing
 * `0.0.0.0` allows what a socket bound there accepts, i.e. every IPv4 address).
 */
export function spansFamily(n: Network): boolean {
  return n.prefix === 0 || (n.prefix === bits(n.address.family) && wildcardFamily(n.address.text) !== undefined);
}

/**
 * A set of networks that answers "does a socket bound to this address stay inside?". A wildcard address is
 * every address of its family, so only a network that spans the family holds it: 10.0.0.0/8 does not hold
 * 0.0.0.0, 0.0.0.0/0 (or 0.0.0.0 itself) does.
 */
export class AddressSet {
  private readonly lists: Record<IpVersion, BlockList> = { 4: new BlockList(), 6: new BlockList() };
  private readonly spans: Record<IpVersion, boolean> = { 4: false, 6: false };

  constructor(networks: Iterable<Network> = []) {
    for (const n of networks) this.add(n);
  }

  add(n: Network): void {
    const f = n.address.family;
    if (spansFamily(n)) this.spans[f] = true;
    else this.lists[f].addSubnet(n.address.text, n.prefix, blockFamily(f));
  }

  has(address: string): boolean {
    const p = parseAddress(address);
    if (!p) return false;
    const u = unmapped(p);
    if (this.spans[u.family]) return true;
    if (wildcardFamily(u.text) !== undefined) return false;
    return this.lists[u.family].check(u.text, blockFamily(u.family));
  }
}

export interface HostPort {
  /** Absent for any address (`443`, `*:443`). */
  network?: Network;
  /** True for `443` and `*:443`: every address of both families. */
  any: boolean;
  port: number;
}

const HOST_PORT_FORMS = 'a port number or "address:port", like "127.0.0.1:6379", "[::1]:5432", "127.0.0.0/8:6379", "[fd00::/8]:443" or "*:22"';

function readPort(p: number): number | { why: string } {
  return Number.isInteger(p) && p >= 1 && p <= 65535 ? p : { why: `port ${p} is not 1-65535` };
}

/** An allow-list entry, or why the text is not one. The one reader behind parseHostPort and invalidHostPort. */
function readHostPort(entry: string | number): HostPort | { why: string } {
  if (typeof entry === 'number') {
    const port = readPort(entry);
    return typeof port === 'number' ? { any: true, port } : port;
  }
  const s = entry.trim();
  if (/^\d+$/.test(s)) return readHostPort(Number(s));
  const m = /^(.*):(\d+)$/.exec(s);
  if (!m || m[1] === '') return { why: `"${s}": expected ${HOST_PORT_FORMS}` };
  const host = m[1] as string;
  const port = readPort(Number(m[2]));
  if (typeof port !== 'number') return port;
  if (host === '*') return { any: true, port };
  // `::1:5432` could be the address ::1:5432 or ::1 and a port: IPv6 with a port needs brackets.
  if (!host.startsWith('[') && host.includes(':')) return { why: `"${s}": an IPv6 address takes brackets before the port, like "[::1]:5432"` };
  const network = readNetwork(host);
  return 'why' in network ? network : { network, any: false, port };
}

/**
 * An `address:port` entry of an allow-list: `443`, `*:443`, `127.0.0.1:6379`, `[::1]:5432`,
 * `[0:0:0:0:0:0:0:1]:5432`, `127.0.0.0/8:6379`, `[fd00::/8]:443`. undefined when it is none of these.
 */
export function parseHostPort(entry: string | number): HostPort | undefined {
  const hp = readHostPort(entry);
  return 'why' in hp ? undefined : hp;
}

/**
 * Why an allow-list entry (`listeners.expect.only`) is not one, for policy validation; undefined when it is
 * valid. Call it on values after `${var}` interpolation: a reference is not an address yet.
 */
export function invalidHostPort(entry: string | number): string | undefined {
  const hp = readHostPort(entry);
  return 'why' in hp ? hp.why : undefined;
}

// One set per parsed entry, built when it is first asked: an allow-list is checked against every listener.
const entrySets = new WeakMap<Network, AddressSet>();

/** Whether a socket bound to `address` on `port` is inside the entry (see AddressSet for wildcards). */
export function hostPortCovers(hp: HostPort, address: string, port: number): boolean {
  if (hp.port !== port) return false;
  if (hp.any) return true;
  if (!hp.network) return false;
  let set = entrySets.get(hp.network);
  if (!set) entrySets.set(hp.network, (set = new AddressSet([hp.network])));
  return set.has(address);
}

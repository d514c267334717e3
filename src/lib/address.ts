// IP addresses compared as addresses, never as strings. node:net parses and prints them (inet_pton/inet_ntop,
// so `0:0::1`, `0:0:0:0:0:0:0:1` and `::1` are one address and IPv6 text comes out in RFC 5952 form), and its
// BlockList matches addresses against networks, IPv4-mapped IPv6 addresses included.
import { BlockList, SocketAddress, isIP } from 'node:net';

export type Family = 4 | 6;

export interface Address {
  /** Canonical text: `127.0.0.1`, `::1`, `::ffff:127.0.0.1`. */
  text: string;
  family: Family;
}

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

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
  const family = isIP(t);
  if (family !== 4 && family !== 6) return undefined;
  return { text: new SocketAddress({ address: t, family: family === 4 ? 'ipv4' : 'ipv6' }).address, family };
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

/** Address bytes in network order (4 or 16 of them), as text. */
export function fromBytes(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new Error(`an address has 4 or 16 bytes, not ${bytes.length}`);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

export function isWildcard(a: string): boolean {
  const p = parseAddress(a);
  if (!p) return false;
  const u = unmapped(p).text;
  return u === '0.0.0.0' || u === '::';
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export function isLoopback(a: string): boolean {
  const p = parseAddress(a);
  return p !== undefined && LOOPBACK.check(p.text, p.family === 4 ? 'ipv4' : 'ipv6');
}

export interface Network {
  /** As written, for messages. */
  text: string;
  address: Address;
  prefix: number;
}

/** `10.0.0.0/8`, `[fd00::/8]`, `fd00::/8`, or a lone address (a /32 or /128); undefined when it is neither. */
export function parseNetwork(s: string): Network | undefined {
  const t = s.trim().replace(/^\[(.*)\]$/, '$1');
  const slash = t.lastIndexOf('/');
  const address = parseAddress(slash >= 0 ? t.slice(0, slash) : t);
  if (!address) return undefined;
  const max = address.family === 4 ? 32 : 128;
  const prefixText = slash >= 0 ? t.slice(slash + 1) : String(max);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { text: s.trim(), address, prefix: Number(prefixText) };
}

/** A set of networks that answers "is this address inside?", IPv4-mapped addresses included. */
export class AddressSet {
  private readonly list = new BlockList();
  private empty = true;

  constructor(networks: Iterable<Network> = []) {
    for (const n of networks) this.add(n);
  }

  add(n: Network): void {
    this.list.addSubnet(n.address.text, n.prefix, n.address.family === 4 ? 'ipv4' : 'ipv6');
    this.empty = false;
  }

  has(address: string): boolean {
    const p = parseAddress(address);
    return !this.empty && p !== undefined && this.list.check(p.text, p.family === 4 ? 'ipv4' : 'ipv6');
  }
}

export interface HostPort {
  /** undefined: any address (`443`, `*:443`). */
  network?: Network;
  /** `*` also means both wildcards at once. */
  any: boolean;
  port: number;
}

/**
 * An `address:port` entry of an allow-list: `443`, `*:443`, `127.0.0.1:6379`, `[::1]:5432`,
 * `[0:0:0:0:0:0:0:1]:5432`, `127.0.0.0/8:6379`, `[fd00::/8]:443`. undefined when it is none of these.
 */
export function parseHostPort(entry: string | number): HostPort | undefined {
  if (typeof entry === 'number') return Number.isInteger(entry) && entry >= 0 && entry <= 65535 ? { any: true, port: entry } : undefined;
  const s = entry.trim();
  if (/^\d+$/.test(s)) return parseHostPort(Number(s));
  const m = /^(\[[^\]]+\]|[^[\]]+):(\d+)$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  if (m[1] === '*' || m[1] === '[*]') return { any: true, port };
  // `::1:5432` could be the address ::1:5432 or ::1 and a port: IPv6 with a port needs brackets.
  if (!m[1]!.startsWith('[') && m[1]!.includes(':')) return undefined;
  const network = parseNetwork(m[1]!);
  return network ? { network, any: false, port } : undefined;
}

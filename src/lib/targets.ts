// Which hosts, ports, DNS queries and URLs a probe can use: pure validators shared by the policy (which reports
// them with file:line:col) and the probes (which refuse them at run time). Each returns why a value is
// unusable, or undefined.
import { AddressSet, invalidNetwork, parseAddress, parseNetwork } from './address.js';
import { domainToASCII } from 'node:url';

/** More samples than this say nothing new about latency and only lengthen the audit. */
export const MAX_SAMPLES = 100;

/** The DNS record types the DNS probe asks for. */
const DNS_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SRV', 'CAA', 'ADDRESS'] as const;

const LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/**
 * A host name as DNS carries it: an internationalised name (bücher.example) in its punycode form
 * (xn--bcher-kva.example), as resolvers and certificates have it; an ASCII name unchanged. Empty when the name
 * has no such form (not a valid IDN).
 */
export function asciiHost(host: string): string {
  return /^[\x00-\x7f]*$/.test(host) ? host : domainToASCII(host);
}

export function invalidHost(host: unknown): string | undefined {
  if (typeof host !== 'string' || host.trim() === '') return 'a host is a name or an IP address, and this one is empty';
  if (parseAddress(host)) return undefined;
  // A URL where a host belongs: say what to keep of it.
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/:?#]+|\[[^\]]+\])/.exec(host);
  if (url) return `"${host}" is a URL; a host is only its name or address: write "${url[1]!.replace(/^\[|\]$/g, '')}"`;
  if (/[[\]:]/.test(host)) return `"${host}" is not an IP address`;
  // inet_aton's shorthands (`127.1`, `1.2.3`, `0x7f.1`) would be read as other addresses by the resolver.
  if (/^(0x[0-9a-f]+|\d+)(\.(0x[0-9a-f]+|\d+))*\.?$/i.test(host)) return `"${host}" is not an IP address: write all four parts, like 192.0.2.1`;
  const ascii = asciiHost(host);
  if (ascii === '') return `"${host}" is not a valid internationalised host name`;
  const name = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  if (name.length > 253) return `"${host}" is longer than a DNS name may be (253 characters)`;
  if (!name.split('.').every((l) => LABEL.test(l))) return `"${host}" is not a valid host name`;
  return undefined;
}

export function invalidPort(port: unknown): string | undefined {
  return Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535 ? undefined : `port ${String(port)} is not 1-65535`;
}

export function invalidSamples(samples: unknown): string | undefined {
  if (samples === undefined) return undefined;
  return Number.isInteger(samples) && (samples as number) >= 1 && (samples as number) <= MAX_SAMPLES
    ? undefined
    : `samples ${String(samples)} is not 1-${MAX_SAMPLES}`;
}

export function invalidTcpTarget(t: { host: unknown; port: unknown; samples?: unknown }): string | undefined {
  return invalidHost(t.host) ?? invalidPort(t.port) ?? invalidSamples(t.samples);
}

/** A server as setServers takes it: an address, optionally with a port (IPv6 then in brackets). */
export function invalidDnsServer(server: string): string | undefined {
  const usage = `DNS server "${server}" is not an IP address (optionally with :port, IPv6 then in brackets)`;
  if (parseAddress(server) && !server.startsWith('[')) return undefined;
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(server) ?? /^([^:[\]]+):(\d+)$/.exec(server) ?? /^\[([^\]]+)\]()$/.exec(server);
  if (!m || !parseAddress(m[1]!)) return usage;
  const port = m[2];
  if (port && !(Number(port) >= 1 && Number(port) <= 65535)) return `DNS server "${server}": port ${port} is not 1-65535`;
  return undefined;
}

export function invalidDnsQuery(q: { name: unknown; type?: unknown; server?: unknown }): string | undefined {
  const name = invalidHost(q.name);
  if (name) return name;
  if (q.type !== undefined && !(DNS_TYPES as readonly unknown[]).includes(q.type)) return `DNS type ${String(q.type)} is not one of ${DNS_TYPES.join(', ')}`;
  if (q.server !== undefined && q.type === 'ADDRESS')
    return 'type ADDRESS asks the system resolver (getaddrinfo) as clients do; it takes no server: ask for A or AAAA there';
  if (q.server !== undefined) return typeof q.server === 'string' ? invalidDnsServer(q.server) : 'a DNS server is an address text';
  return undefined;
}

/** The URL's host without IPv6 brackets. */
export function urlHost(u: URL): string {
  return u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
}

export function invalidUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return 'a URL is needed, like "https://example.com/health"';
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return `"${url}" has no scheme: write "https://${url.replace(/^\/+/, '')}" (or http://)`;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a valid URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `"${url}": the scheme must be http or https, not ${u.protocol.slice(0, -1)}`;
  if (u.hostname === '') return `"${url}" has no host`;
  return invalidHost(urlHost(u));
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function invalidMethod(method: unknown): string | undefined {
  return typeof method === 'string' && TOKEN.test(method) ? undefined : `HTTP method ${String(method)} is not a method name, like GET or HEAD`;
}

export function invalidHeaders(headers: unknown): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return 'headers are a map of name to value';
  for (const [k, v] of Object.entries(headers)) {
    if (!TOKEN.test(k)) return `"${k}" is not a header name`;
    if (typeof v !== 'string' || /[\r\n\0]/.test(v)) return `header ${k}: the value must be one line of text`;
  }
  return undefined;
}

export function invalidHttpTarget(t: { url: unknown; method?: unknown; headers?: unknown }): string | undefined {
  return invalidUrl(t.url) ?? (t.method === undefined ? undefined : invalidMethod(t.method)) ?? invalidHeaders(t.headers);
}

/** The port a URL reaches: its own, else the scheme's. */
export function urlPort(u: URL): number {
  return u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

/** A host as keys and messages write it: IPv6 literals in brackets, names lower-cased without the trailing dot. */
export function hostKey(host: string): string {
  const a = parseAddress(host);
  if (a) return a.family === 6 ? `[${a.text}]` : a.text;
  return host.toLowerCase().replace(/\.$/, '');
}

/**
 * Ports where TLS is served by convention: HTTPS and its alternates, the Kubernetes API and kubelet, etcd,
 * Docker's TLS socket, SMTPS and submissions, IMAPS, POP3S, LDAPS, DNS over TLS, SIP over TLS, AMQPS, MQTT
 * over TLS, WinRM over HTTPS.
 */
export const TLS_PORTS: readonly number[] = [443, 465, 636, 853, 993, 995, 2376, 2379, 2380, 4443, 5061, 5671, 5986, 6443, 8443, 8883, 9443, 10250];

/**
 * Networks no probe connects to unless `--allow-target` admits them: link-local addresses, where cloud metadata
 * services answer (169.254.169.254 on AWS, GCP, Azure and OpenStack, 169.254.170.2 for ECS tasks) and hand
 * credentials to whoever asks from the machine; AWS's IPv6 metadata address; and IPv4 link-local reached through
 * NAT64's well-known prefix. An IPv4-mapped address (::ffff:169.254.169.254) is the IPv4 address it maps.
 */
export const REFUSED_NETWORKS: readonly string[] = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '64:ff9b::a9fe:0/112'];

const REFUSED = REFUSED_NETWORKS.map((n) => ({ text: n, set: new AddressSet([parseNetwork(n)!]) }));

/** Why a network given to admit targets (`--allow-target`) is unusable, or undefined. */
export function invalidAllowTarget(given: string): string | undefined {
  if (given.trim() === '*') return '"*" is no network: write 0.0.0.0/0 and ::/0 to admit every address';
  const why = invalidNetwork(given);
  return why === undefined ? undefined : `${why} (write a network, like 169.254.169.254/32 or fd00:ec2::254/128)`;
}

/**
 * The refused network `address` is in, unless one of `admitted` (networks, as `--allow-target` takes them)
 * holds it; undefined when a probe may connect there.
 */
export function refusedNetwork(address: string, admitted: readonly string[] = []): string | undefined {
  const hit = REFUSED.find((r) => r.set.has(address));
  if (!hit) return undefined;
  const allowed = new AddressSet(admitted.flatMap((a) => parseNetwork(a) ?? []));
  return allowed.has(address) ? undefined : hit.text;
}

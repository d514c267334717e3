// What a plan holds: the fact families to collect, with the union of their checks' parameters, and the probes
// to run. Plain data that collectors read; the kinds' planners (kinds/) fill it through builder.ts.
import type { Matcher } from '../lib/match.js';

/** One probe to run: the union of what its checks ask, under the longest of their timeouts. */
export type ProbeTarget =
  | {
      kind: 'tcp';
      key: string;
      host: string;
      port: number;
      samples: number;
      /** A check judges its latency: its connects must not share the endpoint with other probes. */
      timed: boolean;
      timeoutMs: number;
    }
  | { kind: 'dns'; key: string; name: string; type: string; server?: string; timeoutMs: number }
  | {
      kind: 'http';
      key: string;
      url: string;
      method: string;
      headers?: Record<string, string>;
      ca?: string;
      /**
       * Follow an http:// URL's redirects to HTTPS and read the HSTS in effect there: a check on the endpoint
       * judges HSTS, which a browser ignores over plain HTTP. The probe records what it followed, so a snapshot
       * is judged offline the same way.
       */
      followForHsts: boolean;
      /** A check judges its timings: its request must not share the endpoint with other probes. */
      timed: boolean;
      /**
       * The checks' body expectations, each once: the probe judges the body against them as it reads it and keeps
       * only the outcome, never the body.
       */
      body: Matcher[];
      /** Response headers the checks name (lower-cased, sorted): the probe keeps these and the security headers only. */
      keepHeaders: string[];
      timeoutMs: number;
    }
  | {
      kind: 'tls';
      key: string;
      host: string;
      port: number;
      servername?: string;
      ip?: string;
      ca?: string;
      allAddresses: boolean;
      wants: TlsWants;
      timeoutMs: number;
    };

/** What a TLS probe is asked for: the union of what the checks on the endpoint judge. */
export interface TlsWants {
  /** Per-version verdicts from hand-built hellos. */
  versions: boolean;
  /** The legacy classes (RC4, 3DES, NULL, EXPORT, CBC-only TLS 1.2). */
  legacy: boolean;
  /** Every suite accepted at TLS 1.2 and 1.3 (a profile judges them). */
  suites: boolean;
  /** One full handshake: chain, negotiated suite, ALPN, OCSP stapling. */
  handshake: boolean;
}

/** The fact families a plan can ask for (the keys of the facts snapshot that collect fills). */
export type FactFamily =
  | 'sysctl'
  | 'sockets'
  | 'processes'
  | 'netstat'
  | 'interfaces'
  | 'routes'
  | 'firewall'
  | 'neighbours'
  | 'icmp'
  | 'conntrack'
  | 'ipv6'
  | 'certificates'
  | 'tlsListeners';

/** One `ping` from the audited host: the checks that ask the same one share it (by `key`). */
export interface PingTarget {
  key: string;
  host: string;
  count: number;
  /** The ICMP payload in bytes, as `ping -s` takes it. */
  size: number;
  intervalMs: number;
  /** Don't fragment (`ping -M do`): a path MTU probe. */
  dontFragment: boolean;
}

/** ICMP from the audited host: every ping and tracepath the icmp and mtu checks need, each once, sorted. */
export interface IcmpPlan {
  pings: PingTarget[];
  /** Hosts to trace the path MTU to (`tracepath`). */
  tracepaths: string[];
}

/** A certificate file to read on the host, with the private key that must belong to its leaf. */
export interface CertificateFileTarget {
  path: string;
  key?: string;
}

/** Whether a fact of the `certificates` family is the one a certificate check (path, key) asked for. */
export function isCertificateFile(f: { path: string; key?: { path: string } }, want: CertificateFileTarget): boolean {
  return f.path === want.path && f.key?.path === want.key;
}

export interface Plan {
  sysctl: string[];
  sockets: boolean;
  processes: null | { names: string[]; pids: number[]; units: string[]; pidfiles: string[]; listeners: boolean };
  netstat: boolean;
  interfaces: boolean;
  routes: boolean;
  firewall: boolean;
  /** The neighbour table (ARP and NDP) and the links that resolve no neighbours. */
  neighbours: boolean;
  /** Pings and tracepaths from the audited host. */
  icmp: IcmpPlan | null;
  /** The connection tracking table's fill (entries and their limit). */
  conntrack: boolean;
  /** Whether the host has IPv6 at all: IPv6 sysctls, IPv6 routes and the IPv6 half of firewall checks depend on it. */
  ipv6: boolean;
  /**
   * How long each planned family may take to collect: the longest timeout among the checks that need it (a
   * check's own `timeout`, else the policy's `defaults.timeout`). A family that overruns becomes an error.
   */
  timeouts: Partial<Record<FactFamily, number>>;
  /** Live probes from the auditing machine, one per endpoint (deduplicated by key), sorted by key. */
  probes: ProbeTarget[];
  /** Certificate files on the host, each (path, key) once, sorted; their timeout is `timeouts.certificates`. */
  certificates: CertificateFileTarget[];
  /**
   * The host's own TCP listeners on these ports, probed as TLS once the sockets are read, each connection under
   * `timeoutMs` (the family as a whole under `timeouts.tlsListeners`).
   */
  tlsListeners: null | { ports: number[]; wants: TlsWants; timeoutMs: number };
}

/** The sysctl that bounds the ports outbound connections take. */
export const EPHEMERAL_RANGE = 'net.ipv4.ip_local_port_range';

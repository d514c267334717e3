// What the TCP, DNS and HTTP probes find, as plain serialisable data: a snapshot written by one run is judged
// by another (`audit --facts`), so nothing here holds a socket, an Error or a function.

/** Why a probe got no (or no full) answer. `code` is stable for policies; `reason` is for people. */
export interface ProbeError {
  code: string;
  reason: string;
}

/** What a TCP connect attempt met: a handshake, a refusal (RST or ICMP port unreachable), or no usable answer. */
export type ConnectVerdict = 'open' | 'refused' | 'filtered';

/** Nearest-rank percentiles of the successful samples, in milliseconds. */
export interface LatencyStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface TcpAddressFact {
  /** Canonical address text. */
  address: string;
  family: 4 | 6;
  connect: ConnectVerdict;
  /** How many connects were tried and how many completed. */
  attempts: number;
  succeeded: number;
  /** Present when at least one connect completed. */
  latency?: LatencyStats;
  /** Why the (last) attempt did not connect: ECONNREFUSED, TIMEOUT, EHOSTUNREACH, ENETUNREACH, EACCES ... */
  error?: ProbeError;
}

export interface TcpFact {
  host: string;
  port: number;
  /** One entry per address the host resolved to; empty when the name did not resolve. */
  addresses: TcpAddressFact[];
  /** Set when the name could not be resolved. */
  error?: ProbeError;
}

/** ADDRESS: every address getaddrinfo gives (A and AAAA, /etc/hosts first), the way clients connect. */
export type DnsType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'NS' | 'SRV' | 'CAA' | 'ADDRESS';

/**
 * One answer record. `value` is a canonical one-line form (an address in RFC 5952 text, a name lower-cased
 * without the trailing dot, `10 mail.example.com` for MX, `0 5 443 host` for SRV, `0 issue "ca.example"` for
 * CAA, TXT strings joined) so a policy can match any type the same way; the fields beside it keep the parts.
 */
export interface DnsAnswer {
  type: DnsType;
  value: string;
  /** Seconds, where the API reports it (A and AAAA from a resolver). */
  ttl?: number;
  priority?: number;
  weight?: number;
  port?: number;
  /** MX exchange, SRV target. */
  target?: string;
  /** CAA. */
  tag?: string;
  critical?: number;
}

export interface DnsFact {
  name: string;
  type: DnsType;
  /** The server asked, when the policy named one; otherwise the system resolver (getaddrinfo for A/AAAA). */
  server?: string;
  resolves: boolean;
  /** Sorted by value, so two runs of the same zone compare equal. */
  answers: DnsAnswer[];
  latencyMs: number;
  /** NXDOMAIN, NODATA, SERVFAIL, REFUSED, TIMEOUT ... */
  error?: ProbeError;
}

export interface Hsts {
  /** Undefined when the header has no valid max-age, which browsers then ignore. */
  maxAge?: number;
  includeSubDomains: boolean;
  preload: boolean;
}

/**
 * Phase durations in milliseconds, each measured from the end of the previous phase: resolving the name,
 * the TCP handshake, the TLS handshake (absent over plain HTTP), from sending the request to the first byte of
 * the response, and the whole exchange from start to the last body byte read. A phase not reached is absent.
 */
export interface HttpTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  ttfbMs?: number;
  totalMs: number;
}

export interface HttpFact {
  url: string;
  method: string;
  /** The address the request went to. */
  address?: string;
  status?: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** A 3xx response's Location resolved against the request URL (redirects are not followed). */
  redirectsTo?: string;
  /** The start of the body, up to the probe's limit, as UTF-8. */
  body?: string;
  bodyTruncated?: boolean;
  hsts?: Hsts;
  timings: HttpTimings;
  /** TIMEOUT, ECONNREFUSED, ECONNRESET, NOT_HTTP, certificate error names (CERT_HAS_EXPIRED ...). */
  error?: ProbeError;
}

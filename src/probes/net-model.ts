// What the TCP, DNS and HTTP probes find, as plain serialisable data: a snapshot written by one run is judged
// by another (`audit --facts`), so nothing here holds a socket, an Error or a function.
import type { Matcher, OperatorFailure } from '../lib/match.js';

/**
 * Probe error codes that mean nothing answered within the timeout (no SYN-ACK, no TLS or HTTP reply): silence is
 * no verdict on an endpoint, where a refusal, a reset or a wrong answer is what every client meets there.
 */
export const NO_ANSWER = new Set(['TIMEOUT', 'TLS_TIMEOUT', 'ETIMEDOUT']);

/** Why a probe got no (or no full) answer. `code` is stable for policies; `reason` is for people. */
export interface ProbeError {
  code: string;
  reason: string;
  /**
   * With code TARGET_REFUSED: the address the probe would have connected to, the refused network it is in
   * (link-local, a cloud metadata service) and the name that resolved to it. Nothing was sent to it.
   */
  refused?: { address: string; network: string; host?: string };
}

/** What a TCP connect attempt met: a handshake, a refusal (RST or ICMP port unreachable), or no usable answer. */
export type ConnectVerdict = 'open' | 'refused' | 'filtered';

/**
 * Where a probe's timings were taken: a worker thread of their own, whose event loop nothing else of the audit
 * runs on, or the main thread (with why), where the auditor's own work can run first and stretch them.
 */
export type ProbeClock = { thread: 'worker' } | { thread: 'main'; reason: string };

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
  /**
   * Set when the check's timeout ran out before every sample was taken (code TIMEOUT): the samples taken are
   * kept and judged, and `attempts` says how many there were.
   */
  stopped?: ProbeError;
}

export interface TcpFact {
  host: string;
  port: number;
  /** One entry per address the host resolved to; empty when the name did not resolve. */
  addresses: TcpAddressFact[];
  /** Connects asked of each address (absent in snapshots from before it was recorded). */
  samples?: number;
  /** Set when the name could not be resolved. */
  error?: ProbeError;
  clock?: ProbeClock;
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
 * Phase durations in milliseconds: resolving the name, the TCP handshake (from the connect call), the TLS
 * handshake (absent over plain HTTP), from the request handed to the socket to the first byte of the response,
 * and the whole exchange from start to the last body byte read. Each phase is run on its own, so the client's
 * work for the next one is in no phase but the total. A phase not reached is absent.
 */
export interface HttpTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  ttfbMs?: number;
  totalMs: number;
}

/** One redirect followed while looking for the HSTS in effect: where it led and the status that answered. */
export interface HttpHop {
  url: string;
  /** Absent when no response came. */
  status?: number;
}

/**
 * The HSTS in effect for an http:// URL. A Strict-Transport-Security header received over plain HTTP is ignored
 * (RFC 6797 §8.1), so a browser holds one only once redirects have taken it to HTTPS: the probe follows them (a
 * bounded number, under the check's one timeout) and reads the header where they end.
 */
export interface HstsLookup {
  /** The redirects followed from the probe's URL, in order. */
  hops: HttpHop[];
  /** The HTTPS URL whose response was read; absent when the redirects did not end at an HTTPS response. */
  readFrom?: string;
  /** The header as read there; absent when that response sent none. */
  hsts?: Hsts;
  /**
   * Why no HTTPS response was read: NO_HTTPS (the URL, or the redirects from it, end over plain HTTP),
   * TOO_MANY_REDIRECTS, or the error of the hop that got no response (TIMEOUT, ECONNREFUSED, a certificate error ...).
   */
  error?: ProbeError;
}

/**
 * Response headers every HTTP fact keeps when the response sends them, whatever the checks ask: the ones a reader
 * of the report looks for to see how a site protects its users. Any other header is kept only when a check's
 * expectation names it: what a server says is not the auditor's to record.
 */
export const SECURITY_HEADERS: readonly string[] = [
  'content-security-policy',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
];

/** One of the policy's body expectations, judged as the body was read: the operators that did not hold, without the body. */
interface BodyJudgement {
  matcher: Matcher;
  /** Empty when the body meets it; no failure carries what the body was. */
  failures: OperatorFailure[];
}

/**
 * What became of a response body: judged as it was read against every body expectation of the endpoint's checks,
 * measured and digested, and never kept, since a body is whatever the server chose to say (a token, a metadata
 * service's credentials).
 */
interface HttpBody {
  /** Bytes read: the whole body, or the probe's limit when `truncated`. */
  size: number;
  /** More came than the limit: the rest was neither read nor judged. */
  truncated?: boolean;
  /** SHA-256 of the bytes read, in hex. */
  sha256: string;
  judged: BodyJudgement[];
}

export interface HttpFact {
  url: string;
  method: string;
  /** The address the request went to. */
  address?: string;
  status?: number;
  /**
   * Lower-cased names; repeated headers joined with ", ". Only the headers in `headersKept` (in snapshots from
   * before it was recorded, every header).
   */
  headers: Record<string, string>;
  /** The header names the probe keeps: those the endpoint's checks name and SECURITY_HEADERS, sorted. */
  headersKept?: string[];
  /** A 3xx response's Location resolved against the request URL (redirects are not followed). */
  redirectsTo?: string;
  /** The body as judged; the body's text itself only in snapshots written before it was judged as it was read. */
  body?: HttpBody | string;
  /** In snapshots whose `body` is text: the text stops at the probe's limit. */
  bodyTruncated?: boolean;
  /** Strict-Transport-Security of this response, read only over HTTPS (a browser ignores it over plain HTTP). */
  hsts?: Hsts;
  /** For an http:// URL whose checks judge HSTS: the redirects followed to HTTPS and the header read there. */
  hstsLookup?: HstsLookup;
  timings: HttpTimings;
  /** TIMEOUT, ECONNREFUSED, ECONNRESET, NOT_HTTP, certificate error names (CERT_HAS_EXPIRED ...). */
  error?: ProbeError;
  clock?: ProbeClock;
}

// The Check model: what a resolved policy hands to plan and evaluate.
// Plain, serialisable data; every check remembers the line that declared it.

/** @public (the schema test holds the schema to it) */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SELECTORS = [
  'sysctl',
  'limits',
  'listener',
  'listeners',
  'tcpStates',
  'netstat',
  'interface',
  'route',
  'firewall',
  'tcp',
  'dns',
  'http',
  'tls',
  'tlsListeners',
  'certificate',
] as const;
export type SelectorName = (typeof SELECTORS)[number];

export function isSelector(k: string): k is SelectorName {
  return (SELECTORS as readonly string[]).includes(k);
}

/** Area a check counts towards in the sub-scores, derived from its selector. */
export const AREA_OF: Record<SelectorName, string> = {
  sysctl: 'kernel',
  limits: 'limits',
  listener: 'listeners',
  listeners: 'listeners',
  tcpStates: 'tcp',
  netstat: 'tcp',
  interface: 'network',
  route: 'network',
  firewall: 'firewall',
  // Probes judge what a client meets on the wire, from the auditing machine, not the host's own settings:
  // their own area, so an endpoint elsewhere that fails does not read as this host's network configuration.
  tcp: 'probes',
  dns: 'probes',
  http: 'probes',
  tls: 'probes',
  // The host's own TLS listeners, met from the host: its own configuration, judged beside its listeners.
  tlsListeners: 'listeners',
  // Certificate files on the host, read through the transport: their expiry is an outage of their own kind.
  certificate: 'certificates',
};

export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export type Scalar = string | number | boolean | null;

/** Operators of the expectation language, in the order messages list them. */
export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'match', 'contains', 'exists', 'index'] as const;

/** Operators of the expectation language. A bare scalar means { eq: scalar }. */
export interface MatcherOps {
  eq?: Scalar | Scalar[];
  ne?: Scalar | Scalar[];
  gt?: number | string | number[];
  gte?: number | string | number[];
  lt?: number | string | number[];
  lte?: number | string | number[];
  between?: [number | string, number | string];
  in?: Scalar[];
  notIn?: Scalar[];
  match?: string;
  contains?: Scalar;
  exists?: boolean;
  /** Multi-value facts (ip_local_port_range): compare one element by index. */
  index?: number;
}
export type Matcher = Scalar | MatcherOps;

/** The keys of a limits selector that name processes; several narrow the selection together. */
export const LIMIT_TARGETS = ['process', 'pid', 'pidfile', 'unit', 'port', 'listening'] as const;

export interface LimitsSelector {
  process?: string;
  pid?: number;
  pidfile?: string;
  unit?: string;
  /** The processes that own a listening socket on this port. */
  port?: number;
  /** Every process that owns a listening socket. */
  listening?: boolean;
  item: string;
}

export interface ListenerSelector {
  port: number;
  protocol?: 'tcp' | 'udp';
}

export interface FirewallSelector {
  chain: 'input' | 'forward' | 'output';
  family?: 'ip' | 'ip6' | 'inet';
}

export interface TcpSelector {
  host: string;
  port: number;
  /** Connects per address, for latency percentiles (default 1). */
  samples?: number;
}

export interface DnsSelector {
  name: string;
  /** A, AAAA, MX, TXT, CNAME, NS, SRV or CAA (default A). */
  type?: string;
  /** Ask this server (address, optionally :port) instead of the system resolver. */
  server?: string;
}

export interface HttpSelector {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A PEM file of trust anchors that replaces the system store. */
  ca?: string;
}

export interface TlsSelector {
  host: string;
  port: number;
  /** SNI, and the name the leaf must carry; the host by default when it is a name. */
  servername?: string;
  /** Connect to this address instead of resolving the host (the host stays the name checked). */
  ip?: string;
  /** A PEM file of trust anchors, on the auditing machine, that replaces the system store. */
  ca?: string;
  /** Probe every address the host resolves to, not only the first. */
  allAddresses?: boolean;
}

export interface CertificateSelector {
  /** Absolute path of a PEM file (one certificate or a bundle, leaf first) on the audited host. */
  path: string;
  /** Absolute path of the PEM private key that must belong to the bundle's first certificate. */
  key?: string;
}

export type Selector =
  | { kind: 'sysctl'; key: string }
  | { kind: 'limits'; spec: LimitsSelector }
  | { kind: 'listener'; spec: ListenerSelector }
  | { kind: 'listeners'; spec: { protocol?: 'tcp' | 'udp'; unprivileged?: boolean } }
  | { kind: 'tcpStates'; spec: Record<string, never> }
  | { kind: 'netstat'; counter: string }
  | { kind: 'interface'; name: string }
  | { kind: 'route'; dest: string }
  | { kind: 'firewall'; spec: FirewallSelector }
  | { kind: 'tcp'; spec: TcpSelector }
  | { kind: 'dns'; spec: DnsSelector }
  | { kind: 'http'; spec: HttpSelector }
  | { kind: 'tls'; spec: TlsSelector }
  | { kind: 'tlsListeners'; spec: { ports?: number[] } }
  | { kind: 'certificate'; spec: CertificateSelector };

/** A check whose applicability depends on a policy variable (e.g. "only if this host does not route"). */
interface WhenClause {
  var: string;
  expect: Matcher;
}

export interface Waiver {
  reason: string;
  /** ISO date (YYYY-MM-DD); after it the waiver no longer applies. */
  expires?: string;
  source: SourcePos;
}

export interface Check {
  id: string;
  title: string;
  severity: Severity;
  area: string;
  selector: Selector;
  /** The expectation as written (after ${var} interpolation); its shape depends on the selector. */
  expect: unknown;
  rationale?: string;
  remediation?: string;
  tags: string[];
  refs: string[];
  when?: WhenClause;
  timeout?: number;
  waiver?: Waiver;
  source: SourcePos;
  /** For a check of a built-in policy: the user's `extends` entry that brought it in (where a finding is shown). */
  anchor?: SourcePos;
  /** Position of each expect key, so findings can point at the exact line. */
  expectSource?: SourcePos;
  /** Made by plumbline, not the policy: a lower check (DNS, TCP) the listed checks stand on. Not scored. */
  impliedBy?: string[];
}

export interface ResolvedPolicy {
  name: string;
  description?: string;
  /** Files (or builtin:NAME) merged into this policy, in the order they were applied. */
  sources: string[];
  vars: Record<string, Scalar>;
  defaults: { timeout: number; failUnder: number };
  checks: Check[];
}

/** A problem in a policy file, always with a position a user can jump to. */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

export class PolicyError extends Error {
  constructor(public readonly issues: PolicyIssue[]) {
    super(issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n'));
    this.name = 'PolicyError';
  }
}

/** A `--var` that no policy declares or uses: the command line's mistake, not a file's. */
export class VarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VarError';
  }
}

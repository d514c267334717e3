// The facts snapshot: everything collect learned about a host, as plain data.
// Each family is present only when some check needed it; a family that could not
// be collected holds { error } so its checks become `error` results while the rest still run.

import type { DnsFact, HttpFact, TcpFact } from '../probes/net-model.js';
import type { CertificateFileFact } from '../probes/cert-model.js';
import type { TlsFact, TlsListenerFact } from '../probes/tls-model.js';

export type { DnsFact, HttpFact, ProbeError, TcpAddressFact, TcpFact } from '../probes/net-model.js';
export type { CertificateFact, CertificateFileFact } from '../probes/cert-model.js';
export type { TlsAddressFact, TlsFact } from '../probes/tls-model.js';

export interface FamilyError {
  error: string;
}
type Collected<T> = T | FamilyError;

export function isFamilyError(v: unknown): v is FamilyError {
  return typeof v === 'object' && v !== null && typeof (v as FamilyError).error === 'string';
}

/** One sysctl key: its raw value (whitespace-collapsed), or why it is absent or unreadable. */
/** `nearest`: a key the host has one edit away from a missing one (the key meant, most likely). */
export type SysctlFact = { value: string } | { missing: string; nearest?: string } | FamilyError;

export interface SocketOwner {
  pid: number;
  comm: string;
  /** Real uid of the owning process (from /proc/PID/status): services bind as root and then drop privileges. */
  uid?: number;
  user?: string;
}

export interface Listener {
  protocol: 'tcp' | 'udp';
  /** Address family of the socket itself (tcp6 sockets are 6). */
  family: 4 | 6;
  /**
   * Canonical text (RFC 5952 for IPv6): 0.0.0.0, 127.0.0.1, ::, ::1, ::ffff:127.0.0.1 ... An IPv4-mapped address
   * stays as the socket has it (family 6); judging it as the IPv4 address it maps is the evaluator's reading.
   */
  address: string;
  port: number;
  /** A wildcard IPv6 socket that also accepts IPv4 (IPV6_V6ONLY off). */
  dualStack: boolean;
  /**
   * How dualStack was decided, for wildcard IPv6 sockets: the socket's own flag (ss) and an IPv4 wildcard on the
   * same port ('paired') are facts; 'sysctl' is an assumption from the net.ipv6.bindv6only default.
   */
  dualStackSource?: 'socket' | 'sysctl' | 'paired';
  /** With 'sysctl' only: why the socket's own flag was not read ("ss was not available", "ss failed (exit 1)"). */
  dualStackAssumedBecause?: string;
  uid: number;
  user?: string;
  inode: number;
  owners: SocketOwner[];
}

export interface SocketsFact {
  listeners: Listener[];
  /** Count of TCP sockets (v4 + v6) per state name: ESTABLISHED, TIME_WAIT, CLOSE_WAIT, ... */
  tcpStates: Record<string, number>;
  /**
   * SYN_SENT and CLOSE_WAIT sockets (the states that pile up) by whom: `on PORT` for those on a port a TCP
   * listener holds (a service's connections), `to ADDR:PORT` (`to [V6]:PORT`) by remote end for the others (a
   * client's). Absent in snapshots from before it was read.
   */
  tcpPiling?: { SYN_SENT: Record<string, number>; CLOSE_WAIT: Record<string, number> };
  /** False when some /proc/PID/fd could not be read (not root): owners may be incomplete. */
  ownersComplete: boolean;
}

export interface LimitValue {
  soft: number | 'unlimited';
  hard: number | 'unlimited';
  unit?: string;
}

export interface ProcessFact {
  pid: number;
  comm: string;
  exe?: string;
  cmdline?: string;
  uid: number;
  user?: string;
  /** systemd unit from /proc/PID/cgroup, when the process runs in one. */
  unit?: string;
  /** Keyed by item: nofile, nproc, core, memlock, as, stack, ... */
  limits?: Collected<Record<string, LimitValue>>;
}

export interface ProcessesFact {
  processes: ProcessFact[];
  /** pidfile path -> pid read from it, or why not. */
  pidfiles: Record<string, number | FamilyError>;
  /** systemd unit -> MainPID (0 when the unit is not running), or why it could not be read. */
  units: Record<string, number | FamilyError>;
}

/** Counters from /proc/net/netstat and /proc/net/snmp, by section: TcpExt, IpExt, Tcp, Ip, Udp ... */
export type NetstatFact = Record<string, Record<string, number>>;

export interface InterfaceFact {
  name: string;
  operstate: string;
  /**
   * Whether the link has a carrier. An administratively down interface has none (the kernel refuses to say,
   * EINVAL, because nothing runs on it): false. null only when the kernel gave no answer for another reason.
   */
  carrier: boolean | null;
  /** IFF_UP: set up by an administrator (`ip link set X up`). Absent in snapshots from before it was read. */
  adminUp?: boolean;
  mtu: number;
  loopback: boolean;
  stats: Record<string, number>;
}

/** Route types that decide where a packet goes; local, broadcast, multicast and anycast entries are not kept. */
export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

/** One path of a multipath route: the kernel spreads flows over all of them. */
export interface RouteNexthop {
  via?: string;
  dev: string;
  weight?: number;
}

export interface RouteFact {
  family: 4 | 6;
  /** 'default' or CIDR (a host route may be a bare address). */
  dest: string;
  via?: string;
  /** Absent for blackhole, unreachable, prohibit and throw routes, which send nothing anywhere. */
  dev?: string;
  metric: number;
  /** Routing table as `ip` names it: main, local, default or a number. Absent means main (older snapshots). */
  table?: string;
  /** Absent means unicast. */
  type?: RouteType;
  /** Multipath: every path; via and dev above are the first one's. */
  nexthops?: RouteNexthop[];
  /** IPv4 TOS selector: only packets with this TOS take the route. */
  tos?: string;
}

/** What a policy routing rule does with a packet it selects. */
export type RouteRuleAction = 'lookup' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';

/** One policy routing rule (`ip rule`), in the kernel's terms. */
export interface RouteRule {
  family: 4 | 6;
  priority: number;
  action: RouteRuleAction;
  /** lookup: the table. */
  table?: string;
  /** goto: the priority of the rule to continue at. */
  target?: number;
  /** lookup: a route found whose prefix is this long or shorter is ignored (wg-quick's `suppress_prefixlength 0`). */
  suppressPrefixlength?: number;
  /** lookup: a route found whose device is in this group is ignored. */
  suppressIfgroup?: string;
  /** The rule selects the packets its selectors do not match. */
  not?: boolean;
  /** Selectors besides `from all`, as `ip rule` prints them: from, to, fwmark, iif, oif, uidrange, ipproto, sport, dport, tos ... */
  selectors?: Record<string, string>;
}

/** The routing state: every table and the policy rules that choose among them. */
export interface RoutesFact {
  /** `ip`: every table and the rules; `proc`: /proc/net/route (main table) and /proc/net/ipv6_route, no rules. */
  source: 'ip' | 'proc';
  routes: RouteFact[];
  /** Both families' rules; absent when they could not be read (then only the kernel's default rules are assumed). */
  rules?: RouteRule[];
  /**
   * The destinations of the local table's `local` routes (`ip` only): the addresses the host holds itself, where
   * traffic goes to the host and no further. Absent in snapshots from before it was read.
   */
  local?: string[];
  /** A family whose routes and rules `ip` could not read although the host has it: its checks cannot be judged. */
  unreadable?: Array<4 | 6>;
  /** What this reading could not see, and why (no `ip`, a family `ip` refused). */
  note?: string;
}

/** One entry of the kernel's neighbour table (ARP for IPv4, NDP for IPv6), as `ip -j neigh` shows it. */
export interface NeighbourFact {
  family: 4 | 6;
  /** The neighbour's address, in canonical text. */
  address: string;
  dev: string;
  /**
   * The NUD states the kernel gives it (`REACHABLE`, `STALE`, `FAILED` ...): `ip -j` prints them as a list. Read
   * from /proc/net/arp, one of ProcArpState.
   */
  state: string[];
  /** Its link-layer address; absent while it is not resolved. */
  lladdr?: string;
  /** An IPv6 neighbour that said it is a router. */
  router?: true;
}

/** A link flag that means the link resolves no neighbours: `POINTOPOINT` (tun, wg, ppp) or `NOARP`. */
export type NoNeighboursFlag = 'POINTOPOINT' | 'NOARP';

/**
 * The states /proc/net/arp's flags can tell: PERMANENT; COMPLETE, a resolved entry (REACHABLE, STALE, DELAY or
 * PROBE, not which); UNRESOLVED, an entry without a link-layer address (INCOMPLETE or FAILED, not which).
 */
export type ProcArpState = 'PERMANENT' | 'COMPLETE' | 'UNRESOLVED';

/** The neighbour table, and the links on which neighbours are never resolved. */
export interface NeighboursFact {
  /** `ip`: `ip -j neigh` (both families, every NUD state); `proc`: /proc/net/arp (IPv4, the states of ProcArpState). Absent in snapshots from before the fallback: `ip`. */
  source?: 'ip' | 'proc';
  entries: NeighbourFact[];
  /** Link name -> the flags that say it resolves no neighbours (only links with such a flag). */
  noNeighbours: Record<string, NoNeighboursFlag[]>;
  /** A family whose neighbours could not be read: its checks cannot be judged. */
  unreadable?: Array<4 | 6>;
  /** What this reading could not see, and why. */
  note?: string;
}

/** What an ICMP error that came back instead of a reply says: ping's own words for it, by kind. */
export type UnreachableKind = 'host' | 'net' | 'port' | 'protocol' | 'prohibited' | 'ttl-exceeded' | 'other';

/** ICMP errors of one kind from one sender, as ping printed them ("From 192.0.2.1 icmp_seq=1 Destination Host Unreachable"). */
export interface PingUnreachable {
  kind: UnreachableKind;
  /** The address that sent them (a router, or the host itself when its own neighbour resolution failed). */
  from: string;
  count: number;
  /** ping's words for it, once. */
  text: string;
}

/** A ping that went out: its counts, each reply's round trip, and the errors that came back instead. */
export interface PingSent {
  outcome: 'sent';
  /** The address ping resolved the host to. */
  address?: string;
  transmitted: number;
  received: number;
  /** Probes answered by an ICMP error, or refused by the host's own kernel (a path MTU it knows). */
  errors: number;
  lossPercent: number;
  /** Round-trip time of each reply in milliseconds, in the order they came (duplicates left out). */
  rttMs: number[];
  unreachable?: PingUnreachable[];
  /**
   * A path MTU the probes met: reported by a router (`from`: "Frag needed and DF set (mtu = N)", "Packet too big")
   * or known to the host's own kernel ("local error: message too long, mtu=N").
   */
  mtu?: { mtu: number; from?: string };
}

/** A ping that sent nothing: the host has no route for it, or the name did not resolve. */
interface PingNotSent {
  outcome: 'not-sent';
  /** network-unreachable: no route; name-unknown: the name does not exist; name-unresolved: the resolver failed. */
  why: 'network-unreachable' | 'name-unknown' | 'name-unresolved';
  message: string;
}

/** ICMP cannot be sent from this host at all, and why; what the kernel allows the auditing user is kept beside. */
export interface PingCannotSend {
  outcome: 'cannot-send';
  /**
   * not-installed: no `ping`; no-socket: ping could open neither a raw socket (no cap_net_raw) nor an ICMP datagram
   * socket (net.ipv4.ping_group_range excludes the user's groups); exec-refused: the kernel refused to start ping
   * (its file capability outside the capability bounding set); refused: ping refused its arguments; timed-out; failed.
   */
  why: 'not-installed' | 'no-socket' | 'exec-refused' | 'refused' | 'timed-out' | 'failed';
  message: string;
  /** net.ipv4.ping_group_range: the groups that may open ICMP datagram sockets. */
  pingGroupRange?: [number, number];
  /** The auditing user's effective and supplementary group ids. */
  gids?: number[];
  /** Whether cap_net_raw is in the capability bounding set of the auditing user's processes. */
  netRawBounded?: boolean;
}

/** Not sent: the address is in a network the probes refuse (link-local, cloud metadata), not admitted by --allow-target. */
interface PingRefused {
  outcome: 'refused';
  address: string;
  network: string;
}

export type PingFact = PingSent | PingNotSent | PingCannotSend | PingRefused;

/** tracepath's reading of a path: the path MTU it settled on, and how far its probes got. */
export interface TracepathFact {
  pmtu?: number;
  /** The target answered. */
  reached: boolean;
  /** The first hop that gave no reply, when one did not. */
  silentFrom?: number;
}

/** Pings and tracepaths from the audited host, each under its plan key (pings) or host (tracepaths). */
export interface IcmpFact {
  pings: Record<string, PingFact>;
  tracepaths: Record<string, TracepathFact | { error: string }>;
}

export type FirewallVerdict = 'accept' | 'drop' | 'reject';

/**
 * What a rule does to a packet it matches: a final verdict, a hand-over to another chain, a hand-over to a
 * userspace program (`queue`, NFQUEUE: it ends the chain, the program decides), or nothing (log, counter, mark).
 */
export type FirewallRuleVerdict = FirewallVerdict | 'jump' | 'goto' | 'return' | 'queue' | 'none';

/** One rule, summarised: enough to follow a packet that no allow rule matches, not the rule's expressions. */
export interface FirewallRule {
  /** 1-based place in its chain, in the order the kernel runs the rules. */
  position: number;
  /** nft rule handle, when read from nftables. */
  handle?: number;
  /** Matches every packet: nothing but passive statements (counter, log, comment) besides the verdict. */
  unconditional: boolean;
  /**
   * The rule's only condition is the packet's family (`meta nfproto ipv4`, `meta protocol ip6`, the family a
   * `reject with icmpv6` implies): it matches every packet of this family and none of the other. Then
   * `unconditional` is false.
   */
  family?: 'ip' | 'ip6';
  verdict: FirewallRuleVerdict;
  /** jump/goto: the chain, in the same table, the packet goes to. */
  target?: string;
}

export interface FirewallChain {
  family: string;
  table: string;
  name: string;
  /** Read from the legacy x_tables (iptables-legacy), which nft does not show; absent for nftables chains. */
  legacy?: true;
  /** Base chains only: the netfilter hook and chain type. */
  hook?: string;
  type?: string;
  priority?: number;
  policy?: 'accept' | 'drop';
  rules: FirewallRule[];
}

export interface FirewallTable {
  family: string;
  name: string;
  legacy?: true;
  /** nft `flags dormant`: the table is loaded but filters nothing. */
  dormant: boolean;
}

export interface FirewallFact {
  /** Where the ruleset was read from. 'none' means no tool found any ruleset at all. */
  backend: 'nftables' | 'iptables' | 'iptables-legacy' | 'none';
  /** Front-ends recognised from their table/chain names: ufw, firewalld, docker ... */
  managers: string[];
  /** Every table read, nftables and legacy together: both filter the same packets. */
  tables: FirewallTable[];
  chains: FirewallChain[];
}

/** Whether the host has IPv6 at all: without it, IPv6 keys and the IPv6 half of firewall checks do not apply. */
export interface Ipv6Fact {
  enabled: boolean;
  /** Why IPv6 is off: no IPv6 stack in the kernel, or disable_ipv6 set on all interfaces. */
  reason?: string;
}

interface HostInfo {
  hostname: string;
  kernel: string;
  collectedAt: string;
  transport: string;
  /** How the host's facts were fetched: batches (round trips through the transport) and raw items answered. */
  gathered?: { batches: number; items: number };
}

/**
 * The connection tracking table of this network namespace: how many flows it holds and how many it may hold before
 * the kernel drops new connections ("nf_conntrack: table full, dropping packet"). Absent when nf_conntrack is not
 * loaded: no table to fill.
 */
export type ConntrackFact = { loaded: true; count: number; max: number } | { loaded: false; reason: string };

export interface FactsSnapshot {
  schema: 'plumbline/facts/v1';
  host: HostInfo;
  sysctl?: Record<string, SysctlFact>;
  sockets?: Collected<SocketsFact>;
  processes?: Collected<ProcessesFact>;
  netstat?: Collected<NetstatFact>;
  interfaces?: Collected<Record<string, InterfaceFact>>;
  /** A bare array is a snapshot from before rules and tables were read (main table, IPv6 from every table). */
  routes?: Collected<RoutesFact | RouteFact[]>;
  firewall?: Collected<FirewallFact>;
  neighbours?: Collected<NeighboursFact>;
  icmp?: Collected<IcmpFact>;
  conntrack?: Collected<ConntrackFact>;
  ipv6?: Collected<Ipv6Fact>;
  /**
   * Live probes by their stable key (`tcp host:port`, `dns name TYPE[ @server]`, `http METHOD url ...`, from
   * src/plan/plan.ts): what the endpoint did, with the probe's own reason when it got no (full) answer, or
   * { error } when the probe did not finish within its timeout or the run's deadline.
   */
  probes?: Record<string, TcpFact | DnsFact | HttpFact | TlsFact | FamilyError>;
  /**
   * Certificate files on the host, one entry per planned file (path and key), read through the transport. Day
   * counts are judged at `host.collectedAt`, so a snapshot judged later says what it said when it was taken.
   */
  certificates?: Collected<CertificateFileFact[]>;
  /** The host's own TCP listeners on TLS ports, each probed as a client on the host meets it. */
  tlsListeners?: Collected<TlsListenerFact[]>;
  /** Milliseconds each family took to collect (diagnostics; not used to judge). */
  timings?: Record<string, number>;
}

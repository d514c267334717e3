// Why a result is what it is, as data: a code and its arguments. Evaluators return these; the words are made from
// them at the edge (src/report/reasons.ts), and root causes, "not collected" and renderers decide on the code,
// never on the words. Codes are stable identifiers and mean the same thing in every kind; a fleet report groups
// findings across hosts by them.
import type { OperatorArgs, OperatorCode } from '../lib/match.js';

/** A value as shown to a reader (a fact or a bound, already in the form `show` gives it). */
type Shown = string;

/** ICMP errors of one kind from one sender that came back instead of echo replies (ping's words in `text`). */
interface Unreachable {
  kind: string;
  from: string;
  count: number;
  text: string;
}

/** A code that needs no arguments. */
// biome-ignore lint/complexity/noBannedTypes: an empty argument list, intersected with the code and the frame
type None = {};

/**
 * The arguments of each code. The operators' codes (a matcher that does not hold) are the expectation language's
 * own (src/lib/match.ts).
 */
interface ReasonArgs extends OperatorArgs {
  // --- verdicts that hold ---------------------------------------------------------------------------------
  /** What was seen meets the expectation: `name = value`, or what was seen (`seen`). */
  matched: { name?: string; value?: Shown; seen?: string };
  /** Every item judged passes. */
  'all-pass': { count: number; noun: string };
  /** Every selected process is within its limits. */
  'within-limits': { selection: string; count: number };
  /** Every listener conforms. */
  'all-conform': { count: number };

  // --- not judged: the fact could not be collected (status error) --------------------------------------------
  /** A fact family (or a probe's) could not be collected; `family` names it when it is a host family. */
  'not-collected': { family?: string; error: string };
  /**
   * The snapshot (taken for another policy) lacks a fact: a family, a sysctl, a certificate file, a response
   * header its HTTP probe did not keep or a body expectation it did not judge.
   */
  'fact-missing': { family?: string; sysctl?: string; certificateFile?: string; header?: string; bodyExpectation?: string };
  /**
   * ICMP cannot be sent from the host (`why`: ping not installed, no socket it may open, the kernel refused to
   * start it, ping refused its arguments, timed out or failed), with what the kernel allows the auditing user.
   */
  'icmp-cannot-send': {
    host: string;
    why: 'not-installed' | 'no-socket' | 'exec-refused' | 'refused' | 'timed-out' | 'failed';
    message: string;
    pingGroupRange?: [number, number];
    gids?: number[];
    netRawBounded?: boolean;
  };
  /** A ping's host name could not be resolved: the resolver did not answer. */
  'icmp-unresolved': { host: string; message: string };
  /** A path MTU with no verdict: the host answers no probe, not even small ones (or ICMP errors came back instead). */
  'mtu-unjudged': { host: string; small: number; unreachable: Unreachable[] };
  /** A probe missing from the snapshot: no verdict on the endpoint, and so no cause. */
  'not-in-snapshot': { probe?: string };
  /** One fact (a sysctl) could not be read. */
  unreadable: { key: string; error: string };
  /** A probe met no answer it could judge (silence, a resolver failure, a problem on the auditor's side). */
  'probe-failed': { why: string; errorCode: string };
  /**
   * The probe did not connect: `address` (what `host` resolved to, when it is a name) is in a refused network,
   * link-local, where cloud metadata services answer, and `--allow-target` did not admit it. Nothing was sent.
   */
  'target-refused': { address: string; network: string; host?: string };
  /** A name resolved to no address. */
  'no-address': None;
  /** Nothing listens on the port whose process was asked for. */
  'no-listener': { port: number };
  /** Who owns a socket could not be seen (some /proc/PID/fd unreadable). */
  'owner-unknown': { complete?: boolean; sockets?: number };
  /** The processes a selector names could not be found. */
  'process-not-found': { error: string };
  /** An entry validation should have refused. */
  'invalid-entry': { list: 'bind' | 'allow-list'; entries: string };
  /** A route destination that is no network. */
  'bad-destination': { dest: string };
  /** The routes of a family could not be read, so "no route" cannot be said. */
  'routes-unreadable': { dest: string; note?: string; families: number[] };
  /** The neighbours of the address's family could not be read (IPv6 without `ip`): no verdict on its entry. */
  'neighbours-unreadable': { address: string; note?: string; families: number[] };
  /** A netstat counter the kernel does not report, or a name that is none. */
  'counter-unknown': { error: string };
  /** TIME_WAIT could not be weighed against the ephemeral port range. */
  'range-unknown': { error: string };
  /** The CA file a TLS check names could not be read. */
  'ca-file': { why: string };
  /** A certificate file without a certificate. */
  'no-certificate': { path: string; why?: string };
  /** `keyMatches` without `certificate.key`. */
  'key-not-named': { path: string };
  /** The key file could not be read. */
  'key-unreadable': { key: string; why?: string };
  /** An old snapshot's http:// probe did not follow its redirects to where HSTS is read. */
  'hsts-not-followed': { url: string };
  /** The redirects to the HSTS in effect could not be followed. */
  'hsts-unreadable': { why: string; errorCode: string };
  /** Some items could not be read. */
  'items-unreadable': { count: number; of: number; noun: string };
  /** Listeners whose owner is unknown could not be judged. */
  'listeners-unjudged': { count: number; of: number; complete: boolean };
  /** No answer within the timeout: no verdict. */
  'no-answer': { why: string };
  /** A TLS endpoint answered but did not settle the questions: the reasons follow. */
  undecided: { items: Reason[] };
  /** plumbline's own error. */
  'evaluation-failed': { check: string; error: string };

  // --- not applicable (skip) ---------------------------------------------------------------------------------
  /** The check's `when` does not hold. */
  'not-applicable': { var: string; value: Shown; when: string };
  /** Waived with `run: false`: not collected, so not judged. */
  'not-run': { until: string };
  /** The host has no IPv6: IPv6 keys, routes and filters do not apply (`bare`: said without "not applicable"). */
  'ipv6-off': { why: string; bare?: boolean };
  /** An absent sysctl key: nothing to misconfigure (or, with `exists`, the verdict on presence). */
  'key-absent': { why: string; exists?: boolean; strict?: boolean; nearest?: string };
  /** Nothing besides loopback to judge. */
  'no-interfaces': None;
  /** No listening socket on the host. */
  'nothing-listens': None;
  /** The kernel module a check reads (nf_conntrack) is not loaded: it tracks nothing, so nothing applies. */
  'not-loaded': { why: string };
  /** No TLS listener on the ports. */
  'no-tls-listener': { ports: number[] };
  /**
   * No neighbour entry to judge: the host has not spoken to the address lately (or, with `state`, the entry is
   * neither resolved nor failed, such as NONE).
   */
  'no-neighbour': { address: string; device?: string; state?: string[] };
  /** The link resolves no neighbours: a point-to-point or NOARP link (tun, wg). */
  'no-neighbours-link': { device: string; flags: string[] };
  /** No gateway to resolve: no default route the kernel would use, or (`device`) one that sends on-link. */
  'no-gateway': { dest: string; device?: string };

  // --- failures, by kind -------------------------------------------------------------------------------------
  /** Some items fail. */
  'items-failed': { failed: string[]; of: number; noun: string };
  /** The interface does not exist. */
  'no-such-interface': { name: string };
  /** Nothing listens where it was asked for (or, `restriction`, where a restriction had nothing to apply to). */
  'nothing-listening': { on: string; restriction?: boolean };
  /** Something listens where nothing should. */
  listening: { on: string; seen: string };
  /** Where a listener binds breaks `bind`. */
  'bind-breach': { on: string; bind: 'loopback' | 'any' | 'specific' | 'absent' | string[]; seen: string };
  /** A listener's process runs as another user. */
  'runs-as': { user: string };
  /** A listener is owned by another process. */
  'owned-by': { owners: string[] };
  /** A listener is not in the allow-list. */
  'not-allowed': None;
  /** A chain's effective policy. */
  'firewall-verdict': { chain: string; family: string; ipv4Only?: boolean; verdict: string; wanted: string[] };
  /** No route the kernel would use; `refusals` says which rule or route refused. */
  'no-route': { dest: string; refusals?: string[] };
  /** A route exists where none should. */
  'route-exists': { dest: string; seen: string };
  /** A route's gateway or device differ; `dests` names the def1 halves it holds on. */
  'route-path': { gateway?: string; device?: string; refusal?: string; dests?: string[] };
  /** Whether a neighbour entry is resolved (`holds`) or FAILED/INCOMPLETE, against what was asked. */
  'neighbour-state': { address: string; device: string; state: string[]; holds: boolean };
  /** A ping sent nothing: no route to the host (`network-unreachable`), or its name does not exist. */
  'icmp-not-sent': { host: string; why: 'network-unreachable' | 'name-unknown'; message: string };
  /** No echo reply came back; `unreachable` holds the ICMP errors that came instead. */
  'icmp-no-reply': { host: string; address?: string; transmitted: number; errors: number; unreachable: Unreachable[] };
  /** Echo replies came back where `reachable: false` was asked. */
  'icmp-replies': { host: string; received: number; transmitted: number };
  /** A round-trip bound with no reply to time. */
  'no-rtt': { percentile: string; host: string };
  /** A full-size don't-fragment probe vanishes while small ones pass: a path MTU blackhole, with no MTU figure. */
  'mtu-blackhole': { host: string; packet: number; small: number };
  /** A full-size probe does not pass: a router (`from`) or the host's own kernel reports a smaller path MTU. */
  'mtu-reported': { host: string; packet: number; mtu: number; from?: string };
  /** A full-size probe passes where `passes: false` was asked. */
  'mtu-passes': { host: string; packet: number };
  /** TIME_WAIT holds too many of the ephemeral ports. */
  'time-wait': { failures: Reason[]; sockets: number; ports: number };
  /** A TCP connect met another verdict. */
  'connect-verdict': { verdict: string; wanted: string[]; why?: string };
  /** A latency bound with no connect to measure. */
  'no-connect': { percentile: string; verdict: string };
  /** A DNS name does not resolve. */
  'resolves-not': { why: string };
  /** A name resolves where `resolves: false` was asked. */
  resolves: { answers: string[] };
  /** The exact answer set differs. */
  'answers-differ': { got: string[]; missing: string[]; extra: string[] };
  /** An HTTP request that got no response the client accepts. */
  'request-failed': { why: string; errorCode: string };
  /** HSTS is ignored over plain HTTP and the redirects never reached HTTPS. */
  'hsts-plain-http': { why: string };

  // --- TLS -------------------------------------------------------------------------------------------------
  /** The port answers, but not in TLS. */
  'not-tls': { why: string };
  /** No TLS handshake could be made (a refusal, a reset, an alert). */
  'handshake-failed': { why: string; clientCertificate?: boolean };
  /** A name that did not resolve, a refused port ...: what every client meets. */
  'endpoint-failed': { why: string; errorCode: string };
  /** A version that should be accepted is refused. */
  'version-refused': { version: string; why: string };
  /** A version's hello met no TLS answer. */
  'version-not-tls': { version: string; why: string };
  /** A version that should be refused is accepted. */
  'version-accepted': { version: string; why: string; cipher?: string };
  /** Whether a version is accepted could not be settled. */
  'version-undecided': { version: string; verdict: string; why: string };
  /** The snapshot's probe asked no versions. */
  'versions-not-probed': None;
  /** A legacy suite class (RC4, 3DES, NULL ...) is accepted. */
  'legacy-accepted': { name: string; suites: string[]; versions: string[] };
  /** Whether a legacy class is accepted could not be settled. */
  'legacy-undecided': { name: string; why: string };
  /** The snapshot's probe asked no legacy suites. */
  'legacy-not-probed': None;
  /** The endpoint deviates from a Mozilla TLS profile, each deviation named. */
  'profile-deviation': { profile: string; deviations: string[] };
  /** The snapshot's probe did not ask what a profile needs. */
  'profile-not-probed': { profile: string };
  /** A profile's certificate rules could not be judged. */
  'profile-no-certificate': { profile: string; why?: string };
  /** The suite enumeration ended early. */
  'suites-incomplete': { version: string; why?: string };
  /** Whether the negotiated suite has forward secrecy (`holds`), against what was asked. */
  'forward-secrecy': { cipher: string; holds: boolean };
  /** No certificate could be seen: no verdict on it. */
  'no-certificate-seen': { why: string };
  /** The name is not one of the leaf's subjectAltNames (RFC 9525). */
  'hostname-mismatch': { name: string; certificate: string; names: string[]; ip?: boolean; commonName?: string; noSubjectAltName?: boolean };
  /** The name matches where a mismatch was asked. */
  'hostname-matches': { name: string; matched: string };
  /** The chain does not verify to the store (or the ca file). */
  'untrusted-chain': { store: 'ca' | 'system'; why?: string };
  /** The chain sent lacks more than its root. */
  'incomplete-chain': { why?: string };
  /** The leaf's key is of another type. */
  'key-type': { certificate: string; type: string; wanted: string[] };
  /** Whether an OCSP response was stapled (`holds`), against what was asked. */
  'ocsp-stapled': { holds: boolean; uris: string[] };
  /** The addresses of one name serve different certificates. */
  'different-certificates': { certificates: string[] };

  // --- certificates ------------------------------------------------------------------------------------------
  /** The certificate that expires first has too few days (or too small a share of its lifetime) left. */
  'expires-soon': { certificate: string; notAfter: string; daysLeft?: number; share?: boolean; failures: Reason[] };
  /** The leaf has too few days left. */
  'leaf-expires-soon': { certificate: string; notAfter: string; daysLeft: number; failures: Reason[] };
  /** Whether a certificate is not yet valid (`holds`), against what was asked. */
  'not-yet-valid': { holds: boolean; certificates: string[] };
  /** Whether the leaf is self-signed (`holds`), against what was asked. */
  'self-signed': { certificate: string; holds: boolean };
  /** Whether a verified signature is SHA-1 (`holds`), against what was asked. */
  'sha1-signature': { holds: boolean; certificates: string[] };
  /** Whether the bundle is in issuing order (`holds`), against what was asked. */
  'chain-order': { holds: boolean; problems: string[] };
  /** Whether the key file belongs to the leaf (`holds`), against what was asked. */
  'key-matches': { key: string; certificate: string; holds: boolean };

  // --- said beside -------------------------------------------------------------------------------------------
  /** A waiver that expired: the status stands. */
  'waiver-expired': { on: string; reason: string; owner?: string };
  /** Timings taken on the auditor's main thread. */
  'main-thread': { why: string };
  /** A later failure after the status line. */
  'later-error': { why: string; errorCode: string };
  /** What a route reading could not see. */
  'route-caveats': { caveats: string[]; passedOver: number[] };
  /** Ports on which something answers, but not in TLS. */
  'plain-listeners': { endpoints: string[] };
  /** Made a failure by the failing lower check in the result's `cause`. */
  'caused-by': { was?: Reason };
  /**
   * A ping plumbline made under probes got no reply, with no ICMP error, from a host TCP connects of the same run
   * got through to: ICMP is filtered on the way, which explains nothing (`was`: what the ping met).
   */
  'icmp-filtered': { host: string; was: Reason };
}

export type ReasonCode = keyof ReasonArgs;

/**
 * How a reason is placed among others (one result may have several findings): `at` is said before it with a
 * colon ("example.com:443: ..."), `where` and `subject` before it with a space ("[::1]:443 negotiated suite is
 * ..."), `unit` after it; `also` are the result's further findings, `notes` what is said after them all.
 */
export interface Frame {
  at?: string;
  /** The unit said after the reason's own words. */
  unit?: string;
  /** What was seen, said first, with the findings after it in parentheses: "state down (state is down, not up)". */
  observed?: string;
  where?: string;
  subject?: string;
  also?: Reason[];
  notes?: Reason[];
}

export type ReasonOf<C extends ReasonCode> = { code: C } & ReasonArgs[C] & Frame;
export type Reason = { [C in ReasonCode]: ReasonOf<C> }[ReasonCode];

/** The operators' codes: a matcher that does not hold says which. */
export type MatchFailure = { [C in OperatorCode]: ReasonOf<C> }[OperatorCode];

/**
 * The codes that mean "the fact could not be collected" (or judged): such a result is an error with no verdict on
 * the host. Root causes turn an upper probe's such error into a failure when a lower layer failed.
 */
const NOT_COLLECTED = new Set<ReasonCode>([
  'not-collected',
  'fact-missing',
  'not-in-snapshot',
  'unreadable',
  'probe-failed',
  'target-refused',
  'no-address',
  'no-listener',
  'owner-unknown',
  'process-not-found',
  'invalid-entry',
  'bad-destination',
  'routes-unreadable',
  'neighbours-unreadable',
  'counter-unknown',
  'range-unknown',
  'ca-file',
  'no-certificate',
  'key-not-named',
  'key-unreadable',
  'hsts-not-followed',
  'hsts-unreadable',
  'icmp-cannot-send',
  'icmp-unresolved',
  'mtu-unjudged',
]);

/** Whether a reason says the fact could not be collected (an error that is no verdict on the host). */
export function notCollected(r: { code: string } | undefined): boolean {
  return r !== undefined && NOT_COLLECTED.has(r.code as ReasonCode);
}

/** Several findings as one reason: the first, with the rest `also` (none when the list is empty). */
export function together(list: readonly Reason[]): Reason | undefined {
  const [first, ...rest] = list;
  if (!first) return undefined;
  return rest.length ? { ...first, also: [...(first.also ?? []), ...rest] } : first;
}

// The words of every reason code: the one place a result's reason (src/evaluate/reasons.ts) becomes the sentence a
// reader sees. Renderers, the Action and the JSON report's `message` all come from here; nothing reads the words
// back.
import type { Result, ResultDetail } from '../evaluate/model.js';
import type { Reason, ReasonCode, ReasonOf } from '../evaluate/reasons.js';
import { CMP_WORD } from '../evaluate/matchers.js';
import { joinCut } from './listing.js';
import { parseAddress } from '../lib/address.js';

type Words = { [C in ReasonCode]: (r: ReasonOf<C>) => string };

/** Every reason code, in the catalogue's order: the words table has one entry per code, or it does not compile. */
export const REASON_CODES = (): string[] => Object.keys(WORDS);

const expiredNote = (n: number | undefined): string => (n !== undefined && n < 0 ? `expired ${-n} day${n === -1 ? '' : 's'} ago, ` : '');

// Every fd of every process was read, and none holds the socket: its owner is outside the PID namespace this
// audit sees (plumbline in a container beside the host's network), or the kernel holds it.
const ownerUnknown = (complete: boolean | undefined): string =>
  complete
    ? 'no process visible here owns it (its owner is outside the PID namespace plumbline runs in, as from a container, or the kernel holds it)'
    : 'owning process unknown (some /proc/PID/fd could not be read)';

/**
 * "is X, " before an operator's finding, or "is " alone where what was seen is not kept (a response body, judged
 * where it was read): "is 7, not > 9" or "is not > 9".
 */
const isShown = (actual: string | undefined): string => (actual !== undefined ? `is ${actual}, ` : 'is ');

const onLink = (dev: string | undefined): string => (dev !== undefined ? ` on ${dev}` : '');

/** ICMP errors that came back instead of replies: "Destination Host Unreachable from 192.0.2.1 (5)". */
const unreachableWords = (list: ReadonlyArray<{ from: string; count: number; text: string }>): string =>
  joinCut(
    list.map((u) => `${u.text} from ${u.from}${u.count > 1 ? ` (${u.count})` : ''}`),
    '; ',
  );

const groupList = (gids: readonly number[] | undefined): string => (gids?.length ? ` (gid ${gids.join(', ')})` : '');

/** Why ping cannot send, with what the kernel allows the auditing user where that is the reason. */
function cannotSend(r: ReasonOf<'icmp-cannot-send'>): string {
  const range = r.pingGroupRange;
  const admits = range !== undefined && r.gids !== undefined ? r.gids.some((g) => g >= range[0] && g <= range[1]) : undefined;
  const rangeWords =
    range === undefined
      ? ''
      : range[0] > range[1]
        ? `net.ipv4.ping_group_range ${range.join(' ')} admits no group to ICMP datagram sockets`
        : `net.ipv4.ping_group_range ${range.join(' ')} ${admits === false ? "admits none of the user's groups" : 'is the range of groups admitted'}${groupList(r.gids)}`;
  switch (r.why) {
    case 'not-installed':
      return 'ping (iputils) is not installed';
    case 'no-socket':
      return admits === true
        ? `ping could open no socket (${r.message})`
        : `ping has no raw-socket capability (cap_net_raw)${rangeWords ? `, and ${rangeWords}` : ''} (${r.message})`;
    case 'exec-refused':
      return r.netRawBounded === false
        ? `the kernel refused to start ping (${r.message}): cap_net_raw, the file capability ping carries, is outside the capability bounding set`
        : `the kernel refused to start ping (${r.message})`;
    case 'refused':
      return `ping refused its arguments (${r.message})`;
    case 'timed-out':
      return `ping did not finish (${r.message})`;
    case 'failed':
      return `ping failed (${r.message})`;
  }
}

const BIND_BREACH = {
  loopback: 'listens beyond loopback',
  any: 'does not listen on all interfaces',
  specific: 'listens on all interfaces',
  absent: 'is listening',
};

/** "no default route", "no route to 192.0.2.7" (an address alone: the route the kernel picks to reach it). */
function routeTo(dest: string, article: 'a' | 'no'): string {
  return parseAddress(dest) ? `${article} route to ${dest}` : `${article} ${dest} route`;
}

const WORDS: Words = {
  matched: (r) => (r.name !== undefined ? `${r.name} = ${r.value ?? ''}` : (r.seen ?? r.value ?? '')),
  'all-pass': (r) => `all ${r.count} ${r.noun} pass`,
  'within-limits': (r) => `${r.selection}: ${r.count} process(es) within limits`,
  'all-conform': (r) => `${r.count} listener(s) conform`,

  absent: () => 'is absent',
  present: (r) => (r.actual !== undefined ? `exists (${r.actual})` : 'exists'),
  'not-equal': (r) => `${isShown(r.actual)}not ${r.expected}`,
  equal: (r) => (r.actual !== undefined ? `is ${r.actual}` : 'is the excluded value'),
  below: (r) => `${isShown(r.actual)}not ${CMP_WORD[r.op]} ${r.bound}`,
  above: (r) => `${isShown(r.actual)}not ${CMP_WORD[r.op]} ${r.bound}`,
  'out-of-range': (r) => `${isShown(r.actual)}not between ${r.low} and ${r.high}`,
  'not-in': (r) => `${isShown(r.actual)}not one of ${joinCut(r.allowed, ', ')}`,
  excluded: (r) => (r.actual !== undefined ? `is ${r.actual}, which is excluded` : 'is one of the excluded values'),
  'no-match': (r) => `${r.actual !== undefined ? `${r.actual} ` : ''}does not match /${r.pattern}/`,
  'bad-pattern': (r) => `pattern /${r.pattern}/ is not a valid regular expression`,
  'not-contained': (r) => `${r.actual !== undefined ? `${r.actual} ` : ''}does not contain ${r.needle}`,
  'not-a-number': (r) => (r.value !== undefined ? `${r.value} is not a number` : 'is not a number'),
  'bound-not-a-number': (r) => `bound ${r.bound} is not a number`,
  'count-mismatch': (r) => `has ${r.values} value(s), the bound has ${r.bounds}`,

  'not-collected': (r) => (r.family !== undefined ? `could not collect ${r.family}: ${r.error}` : r.error),
  'fact-missing': (r) =>
    r.sysctl !== undefined
      ? `the facts snapshot has no value for sysctl ${r.sysctl}`
      : r.certificateFile !== undefined
        ? `the facts snapshot has no certificate file ${r.certificateFile} (collected for another policy?)`
        : r.header !== undefined
          ? `the facts snapshot did not keep response header ${r.header} (collected for another policy?)`
          : r.bodyExpectation !== undefined
            ? `the facts snapshot did not judge the body against ${r.bodyExpectation} (collected for another policy?)`
            : `the facts snapshot has no "${r.family ?? ''}" family (collected for another policy?)`,
  'icmp-cannot-send': (r) => `ICMP cannot be sent from this host: ${cannotSend(r)}`,
  'icmp-unresolved': (r) => `no ICMP sent: ${r.host} could not be resolved (${r.message})`,
  'mtu-unjudged': (r) =>
    r.unreachable.length
      ? `no path MTU verdict: ${unreachableWords(r.unreachable)} came back instead of replies from ${r.host}`
      : `no path MTU verdict: ${r.host} answers no probe, not even ${r.small}-byte ones`,
  'not-in-snapshot': (r) =>
    r.probe !== undefined
      ? `the facts snapshot has no probe "${r.probe}" (collected for another policy?)`
      : 'the facts snapshot has no "probes" family (collected for another policy?)',
  unreadable: (r) => `cannot read ${r.key}: ${r.error}`,
  'probe-failed': (r) => `${r.why} (${r.errorCode})`,
  'target-refused': (r) =>
    `${r.host !== undefined ? `${r.host} resolves to ${r.address}, which is` : `${r.address} is`} in ${r.network} (${r.network.includes(':') && !r.network.startsWith('fe80') ? 'a cloud metadata address' : 'link-local, where cloud metadata services answer'}): not connected to, nothing sent; --allow-target ${r.network} (the Action's allow-targets) admits it`,
  'no-address': () => 'no address to connect to',
  'no-listener': (r) => `nothing listens on port ${r.port}`,
  'owner-unknown': (r) =>
    r.sockets !== undefined
      ? `${r.sockets} socket(s) listen but their processes could not be identified (their /proc/PID/fd could not be read)`
      : ownerUnknown(r.complete),
  'process-not-found': (r) => r.error,
  'invalid-entry': (r) => `invalid ${r.list} entry: ${r.entries}`,
  'bad-destination': (r) => `route ${r.dest}: not "default", "default6" or a network`,
  'neighbours-unreadable': (r) => `cannot judge neighbour ${r.address}: ${r.note ?? `IPv${r.families.join('/')} neighbours could not be read`}`,
  'routes-unreadable': (r) => `cannot judge route ${r.dest}: ${r.note ?? `IPv${r.families.join('/')} routes could not be read`}`,
  'counter-unknown': (r) => r.error,
  'range-unknown': (r) => `cannot weigh TIME_WAIT against the ephemeral range: ${r.error}`,
  'ca-file': (r) => r.why,
  'no-certificate': (r) => r.why ?? `${r.path}: no certificate`,
  'key-not-named': (r) => `keyMatches needs certificate.key: name the private key file of ${r.path}`,
  'key-unreadable': (r) => r.why ?? `${r.key}: the key could not be read`,
  'hsts-not-followed': (r) => `the snapshot's probe of ${r.url} did not follow its redirects to HTTPS, where HSTS is read (collected by an older plumbline?)`,
  'hsts-unreadable': (r) => `the HSTS in effect could not be read: ${r.why} (${r.errorCode})`,
  'items-unreadable': (r) => `${r.count} of ${r.of} ${r.noun} could not be read`,
  'listeners-unjudged': (r) => `${r.count} of ${r.of} listener(s) could not be judged: ${ownerUnknown(r.complete)}`,
  'no-answer': (r) => r.why,
  undecided: (r) => `could not decide: ${joinCut(r.items.map(chain), '; ')}`,
  'evaluation-failed': (r) => `internal error evaluating ${r.check}: ${r.error}`,

  'not-run': (r) => `not collected: waived with run: false until ${r.until}`,
  'not-applicable': (r) => `not applicable: var ${r.var} is ${r.value} (applies when ${r.when})`,
  'ipv6-off': (r) => (r.bare ? r.why : `not applicable: ${r.why}`),
  'key-absent': (r) =>
    `${r.exists === undefined || r.strict ? r.why : `absent: ${r.why}`}${r.nearest !== undefined ? `; did you mean ${r.nearest}?` : ''}${r.strict ? ' (--strict: a key absent on this host fails)' : ''}`,
  'no-interfaces': () => 'no non-loopback interface on this host',
  'nothing-listens': () => 'nothing listens on this host',
  'not-loaded': (r) => `not applicable: ${r.why}`,
  'no-tls-listener': (r) => `no TLS listener on ports ${r.ports.join(', ')}`,
  'no-neighbour': (r) =>
    r.state
      ? `neighbour ${r.address}${onLink(r.device)} is ${r.state.join(',') || 'in no state'}: neither resolved nor failed`
      : `no neighbour entry for ${r.address}${onLink(r.device)}: the host has not spoken to it lately`,
  'no-neighbours-link': (r) => `${r.device} is a ${r.flags.includes('POINTOPOINT') ? 'point-to-point' : 'NOARP'} link: it resolves no neighbours`,
  'no-gateway': (r) =>
    r.device === 'lo'
      ? `${r.dest} is this host's own: delivered through loopback, with no neighbour to resolve`
      : r.device !== undefined
        ? `the ${r.dest} route has no gateway: it sends on-link through ${r.device}`
        : `${routeTo(r.dest, 'no')}: no gateway to resolve`,

  'items-failed': (r) => `${r.failed.length} of ${r.of} ${r.noun} fail: ${joinCut(r.failed, ', ')}`,
  'no-such-interface': (r) => `interface ${r.name} does not exist`,
  'nothing-listening': (r) => `nothing listens on ${r.on}${r.restriction ? '; the restriction has nothing to apply to' : ''}`,
  listening: (r) => `${r.on} is listening: ${r.seen}`,
  'bind-breach': (r) => `${r.on} ${Array.isArray(r.bind) ? `listens outside ${r.bind.join(', ')}` : BIND_BREACH[r.bind]}: ${r.seen}`,
  'runs-as': (r) => `runs as ${r.user}`,
  'owned-by': (r) => `is owned by ${r.owners.join(', ')}`,
  'not-allowed': () => 'not in the allow-list',
  'firewall-verdict': (r) => {
    const what = r.ipv4Only ? `${r.chain} (${r.family}, judged on IPv4 alone)` : `${r.chain} (${r.family})`;
    return r.wanted.length ? `${what} is ${r.verdict}, not ${r.wanted.join(' or ')}` : `${what} is ${r.verdict}`;
  },
  'no-route': (r) => `${routeTo(r.dest, 'no')}${r.refusals ? `: ${r.refusals.join('; ')}` : ''}`,
  'route-exists': (r) => `${routeTo(r.dest, 'a')} exists: ${r.seen}`,
  'route-path': (r) => {
    const why =
      r.refusal !== undefined
        ? `${r.refusal} route: the kernel refuses what it covers`
        : r.gateway !== undefined
          ? `gateway is ${r.gateway || 'none (on-link)'}`
          : `device is ${r.device ?? ''}`;
    return r.dests ? `${why} (${r.dests.join(' and ')})` : why;
  },
  'neighbour-state': (r) =>
    r.holds
      ? `neighbour ${r.address}${onLink(r.device)} is ${r.state.join(',')}: resolved`
      : `neighbour ${r.address}${onLink(r.device)} is ${r.state.join(',')}: it did not answer ${r.address.includes(':') ? 'NDP' : 'ARP'}`,
  'icmp-not-sent': (r) =>
    r.why === 'network-unreachable'
      ? `no ICMP sent to ${r.host}: the network is unreachable (this host has no route there)`
      : `no ICMP sent: ${r.host} does not resolve (${r.message})`,
  'icmp-no-reply': (r) =>
    `no reply from ${r.host}${r.address !== undefined && r.address !== r.host ? ` (${r.address})` : ''}: ${r.transmitted} sent, none answered; ${
      r.unreachable.length ? unreachableWords(r.unreachable) : 'no ICMP error came back (dropped or filtered on the way, or the host is down)'
    }`,
  'icmp-replies': (r) => `${r.host} replied to ${r.received} of ${r.transmitted} echo requests`,
  'no-rtt': (r) => `rtt ${r.percentile}: no reply from ${r.host} to time`,
  'mtu-blackhole': (r) =>
    `blackhole: ${r.packet}-byte packets to ${r.host} vanish while ${r.small}-byte ones pass, and no fragmentation-needed message comes back`,
  'mtu-reported': (r) =>
    `a ${r.packet}-byte packet does not pass to ${r.host}: the path MTU is ${r.mtu}, ${
      r.from !== undefined ? `reported by ${r.from} (fragmentation needed)` : "as this host's kernel knows it"
    }`,
  'mtu-passes': (r) => `a ${r.packet}-byte packet passes to ${r.host} unfragmented`,
  'time-wait': (r) => `${r.failures.map(item).join('; ')}: ${r.sockets} sockets in TIME_WAIT hold ports of a ${r.ports}-port ephemeral range`,
  'connect-verdict': (r) => `is ${r.verdict}, not ${r.wanted.join(' or ')}${r.why !== undefined ? ` (${r.why})` : ''}`,
  'no-connect': (r) => `latency ${r.percentile}: no connect succeeded (${r.verdict})`,
  'resolves-not': (r) => `does not resolve: ${r.why}`,
  resolves: (r) => `resolves to ${r.answers.join(', ')}`,
  'answers-differ': (r) =>
    `answers are ${r.got.join(', ') || '(none)'}${r.missing.length ? `; missing ${r.missing.join(', ')}` : ''}${r.extra.length ? `; unexpected ${r.extra.join(', ')}` : ''}`,
  'request-failed': (r) => `${r.why} (${r.errorCode})`,
  'hsts-plain-http': (r) => `HSTS is ignored over plain HTTP (RFC 6797 §8.1) and ${r.why}`,

  'not-tls': (r) => `does not speak TLS: ${r.why}`,
  'handshake-failed': (r) => `no TLS handshake: ${r.why}${r.clientCertificate ? ' (the server requires a client certificate)' : ''}`,
  'endpoint-failed': (r) => `${r.why} (${r.errorCode})`,
  'version-refused': (r) => `${r.version} is refused (${r.why})`,
  'version-not-tls': (r) => `${r.version}: the port does not answer in TLS (${r.why})`,
  'version-accepted': (r) => `${r.version} is accepted (${r.why}${r.cipher ? `, ${r.cipher}` : ''})`,
  'version-undecided': (r) => `${r.version} is ${r.verdict}: ${r.why}`,
  'versions-not-probed': () => 'no version was probed',
  'legacy-accepted': (r) => `${r.name} suites are accepted: ${r.suites.join(', ')} at ${r.versions.join(', ')}`,
  'legacy-undecided': (r) => `${r.name}: ${r.why}`,
  'legacy-not-probed': () => 'legacy suites were not probed',
  'profile-deviation': (r) => `deviates from ${r.profile} in ${r.deviations.length} way${r.deviations.length === 1 ? '' : 's'}: ${r.deviations.join('; ')}`,
  'profile-not-probed': (r) => `${r.profile}: the versions and suites were not probed (the snapshot was taken for other checks?)`,
  'profile-no-certificate': (r) => `${r.profile}: the certificate could not be judged (${r.why ?? 'no handshake'})`,
  'suites-incomplete': (r) => `${r.version} suites may be incomplete: ${r.why ?? 'the enumeration ended early'}`,
  'forward-secrecy': (r) => `${r.cipher} has ${r.holds ? '' : 'no '}forward secrecy`,
  'no-certificate-seen': (r) => `no certificate could be seen: ${r.why}`,
  'hostname-mismatch': (r) =>
    r.noSubjectAltName
      ? `the leaf (certificate 0) names no host: it has no subjectAltName, and its CN ${r.commonName ?? '(none)'} is not a name clients consider (RFC 9525), so ${r.name} does not match`
      : `${r.name} is not a name of the ${r.certificate} (${r.ip ? 'an IP address matches only iPAddress entries: ' : ''}${r.names.join(', ')})`,
  'hostname-matches': (r) => `${r.name} matches ${r.matched}`,
  'untrusted-chain': (r) => `chain not trusted by ${r.store === 'ca' ? 'the ca file' : 'the system store'}${r.why !== undefined ? `: ${r.why}` : ''}`,
  'incomplete-chain': (r) => r.why ?? 'chain incomplete',
  'key-type': (r) => `${r.certificate} has a ${r.type} key, not ${r.wanted.join(' or ')}`,
  'ocsp-stapled': (r) => (r.holds ? 'OCSP response stapled' : `no OCSP response stapled (the leaf names ${r.uris.join(', ')})`),
  'different-certificates': (r) => `the addresses serve different certificates: ${r.certificates.join('; ')}`,

  'expires-soon': (r) =>
    `${r.certificate} expires first (${r.notAfter}): ${r.share ? 'lifetime left' : `${expiredNote(r.daysLeft)}days left`} ${r.failures.map(item).join('; ')}`,
  'leaf-expires-soon': (r) => `${r.certificate} (notAfter ${r.notAfter}): ${expiredNote(r.daysLeft)}days left ${r.failures.map(item).join('; ')}`,
  'not-yet-valid': (r) => (r.holds ? `not yet valid: ${r.certificates.join(', ')}` : 'every certificate already valid'),
  'self-signed': (r) => `${r.certificate} is ${r.holds ? '' : 'not '}self-signed`,
  'sha1-signature': (r) => (r.holds ? `SHA-1 signature on ${r.certificates.join(', ')}` : 'no SHA-1 signature'),
  'chain-order': (r) => (r.holds ? 'chain in order' : `chain out of order: ${r.problems.join('; ') || 'not issued in sequence'}`),
  'key-matches': (r) => `${r.key} ${r.holds ? 'belongs' : 'does not belong'} to the ${r.certificate}`,

  'waiver-expired': (r) => `waiver expired on ${r.on}${r.owner !== undefined ? ` (owner ${r.owner})` : ''}: ${r.reason}`,
  'main-thread': (r) => `timed on the auditor's main thread: ${r.why}`,
  'later-error': (r) => `then: ${r.why} (${r.errorCode})`,
  'route-caveats': (r) => {
    const n = r.passedOver.length;
    const passed = n ? [`passed over rule${n > 1 ? 's' : ''} ${r.passedOver.join(', ')}, which select only some packets`] : [];
    return [...r.caveats, ...passed].join('; ');
  },
  'plain-listeners': (r) => `${joinCut(r.endpoints, ', ')} answer${r.endpoints.length === 1 ? 's' : ''} no TLS ClientHello: not TLS`,
  'caused-by': (r) => (r.was ? say(r.was) : 'a lower check fails'),
  'icmp-filtered': (r) => `${say(r.was)}; TCP connects to ${r.host} get through, so ICMP is filtered on the way: that explains nothing`,
};

function words(r: Reason): string {
  // The table pairs each code with its words; TypeScript cannot follow that pairing through the union.
  return (WORDS[r.code] as (r: Reason) => string)(r);
}

/** One finding with what is said before and after it. */
function item(r: Reason): string {
  const at = r.at !== undefined ? `${r.at}: ` : '';
  const where = r.where !== undefined ? `${r.where} ` : '';
  const subject = r.subject !== undefined ? `${r.subject} ` : '';
  return `${at}${where}${subject}${words(r)}${r.unit !== undefined ? ` ${r.unit}` : ''}`;
}

/** A finding and the further findings it carries, in order, cut by the one rule for a long list (listing.ts). */
function chain(r: Reason): string {
  return joinCut([item(r), ...(r.also ?? []).map(chain)], '; ');
}

/** A note said after everything: a route reading's caveats in brackets, the rest in parentheses. */
function note(r: Reason): string {
  return r.code === 'route-caveats' ? ` [${words(r)}]` : ` (${words(r)})`;
}

/** The sentence a reason says. */
export function say(r: Reason): string {
  let body: string;
  if (r.observed !== undefined) {
    // What was seen, then why it fails in parentheses: "eth0: state down (state is down, not up)".
    const { at, observed, ...inner } = r;
    body = `${at !== undefined ? `${at}: ` : ''}${observed} (${chain(inner as Reason)})`;
  } else body = chain(r);
  return `${body}${(r.notes ?? []).map(note).join('')}`;
}

/** An item's line: what was seen, with why it fails (or why instead, when nothing was seen). */
function detailText(d: ResultDetail): string {
  return d.reason ? say(d.reason) : d.actual;
}

/**
 * A result as the report holds it: its message made from its reason, each item's words, and (when the evaluator
 * left it to the items, a few of them) `actual` as the items read.
 */
export function worded(r: Result): Result & { message: string } {
  const details = r.details?.map((d) => ({ ...d, actual: detailText(d) }));
  const actual =
    r.actual === '' && details?.length
      ? joinCut(
          details.map((d) => `${d.subject}: ${d.actual}`),
          '; ',
        )
      : r.actual;
  return { ...r, actual, message: say(r.reason), ...(details ? { details } : {}) };
}

// What a diagnosis's data is called where a person reads it: layer names, states, where a layer was judged,
// and what each symptom most often means, in the field's terms. The one place these words are written.
import type { Diagnosis, Layer, LayerName, LayerState, PilingOf, Symptom } from './model.js';

export const LAYER_WORDS: Record<LayerName, string> = {
  link: 'link',
  neighbour: 'neighbour (ARP/NDP)',
  route: 'route',
  'icmp-gateway': 'ICMP to the gateway',
  'icmp-target': 'ICMP to the target',
  'path-mtu': 'path MTU',
  dns: 'DNS',
  tcp: 'TCP connect',
  tls: 'TLS',
  http: 'HTTP',
};

const STATE_WORDS: Record<LayerState, string> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'FAIL',
  skip: 'skip',
  'not-reached': 'not reached',
  absent: '—',
};

export function fromWords(d: Diagnosis, l: Layer): string {
  const local = d.host.transport === 'local';
  if (l.from === 'auditing-machine') return local ? 'from this machine' : 'from the auditing machine';
  return local ? 'on this host' : `on ${d.host.hostname} (${d.host.transport})`;
}

/** Why a layer with no result has none. */
function emptyWords(d: Diagnosis, l: Layer): string {
  if (l.state === 'absent') return l.name === 'dns' ? 'no name to resolve' : 'the target asks nothing of this layer';
  if (l.name === 'dns') return 'the target is an IP address: nothing to resolve';
  if (d.path?.local) return `${d.address ?? d.target.host} is this host's own address: traffic stays on loopback`;
  if (d.address === undefined) return 'no address to judge it for';
  if (l.name === 'icmp-gateway' && d.path && d.path.gateway === undefined) return `${d.address} is on the link: no gateway between`;
  if (l.name === 'path-mtu' && d.path) return `the MTU of ${d.path.device ?? 'the egress link'} could not be read`;
  return 'no route to the address: no link or next hop to judge';
}

/** What a layer's line says was seen: its result's words, or why it has none. */
export function seenWords(d: Diagnosis, l: Layer): string {
  const state = STATE_WORDS[l.state];
  if (l.state === 'not-reached') return state;
  if (!l.result) return `${state}: ${emptyWords(d, l)}`;
  if (l.result.status === 'pass') return l.result.actual || l.result.message;
  return `${l.state === 'skip' ? 'skip: ' : ''}${l.result.message}`;
}

/** Why ping could not send, as the icmp family names it. */
const CANNOT_SEND: Record<string, string> = {
  'not-installed': 'ping is not installed',
  'no-socket': "ping has no raw-socket capability and net.ipv4.ping_group_range admits none of the user's groups",
  'exec-refused': 'the kernel refused to start ping',
  'timed-out': 'ping did not finish in time',
};

const ep = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

/** Whose piling sockets: `toward 198.19.48.2:80`, `on port 8080`. */
const pilingOfWords = (of: PilingOf): string => ('address' in of ? `toward ${ep(of.address, of.port)}` : `on port ${of.port}`);

/** What the symptom most often means. */
export function symptomWords(s: Symptom): string {
  switch (s.code) {
    case 'link-down':
      return `${s.device} is down: the link carries nothing (set down, or its driver sees no link)`;
    case 'no-carrier':
      return `${s.device} has no carrier: a cable, a switch port or the peer's end is down`;
    case 'link-errors':
      return `${s.device} loses or corrupts traffic (${s.counters.join(', ')} over 1 % of its packets): a bad cable, a duplex mismatch or a full ring buffer`;
    case 'neighbour-failed':
      return `Destination Host Unreachable: ${s.gateway ? 'the gateway' : 'the address'} ${s.address} did not answer ${s.address.includes(':') ? 'NDP' : 'ARP'} on ${s.device} (${s.state.join(',')}): it is down, or not on that link`;
    case 'no-route':
      return `Network is unreachable: no route to ${s.address}${s.refused ? ' (a route or rule refuses it)' : ''}`;
    case 'host-unreachable':
      return `Destination Host Unreachable (${s.address}): no route, or the gateway's ARP failed`;
    case 'net-unreachable':
      return `Network is unreachable (${s.address}): no route`;
    case 'timeout':
      return `timeout connecting to ${ep(s.address, s.port)}: a firewall drops it or the host is down`;
    case 'refused':
      if (s.boundTo === undefined) return `refused: nothing listens on ${ep(s.address, s.port)} (is it bound to 127.0.0.1?)`;
      return s.boundTo.length
        ? `refused: nothing listens on ${ep(s.address, s.port)}; the host listens on ${s.boundTo.join(', ')} only`
        : `refused: nothing listens on port ${s.port} of the host at all: the service is not running, or listens on another port`;
    case 'connect-failed':
      return `the connect to ${ep(s.address, s.port)} failed (${s.errorCode})`;
    case 'dns-fails':
      return `${s.name} does not resolve${s.errorCode ? ` (${s.errorCode})` : ''}: the name, the resolver or its configuration`;
    case 'tls-not-tls':
      return `port ${s.port} answers, but not in TLS: a plain-text service (such as plain HTTP) on a TLS port, or TLS terminated elsewhere`;
    case 'tls-failed':
      return `the TLS handshake on port ${s.port} fails: the server refuses what a client offers (versions, suites, SNI, a client certificate)`;
    case 'http-no-response':
      return 'the HTTP request got no response a client accepts';
    case 'http-server-error':
      return `the service answers ${s.status}: it is up, but failing behind the port (an upstream, a crash, an overload)`;
    case 'icmp-no-reply':
      return `no echo reply from ${s.host}: ICMP is filtered on the way, or the host is down`;
    case 'icmp-cannot-send':
      return `ICMP cannot be sent from the audited host (${CANNOT_SEND[s.why] ?? s.why}): these layers are not judged`;
    case 'path-mtu-unjudged':
      return `${s.host} answers no don't-fragment probe, not even a small one: the path MTU is not judged`;
    case 'icmp-loss':
      return `${Math.round(s.lossPercent * 10) / 10} % of ICMP to ${s.host} is lost (over 1 %): a congested or faulty link, or rate-limited ICMP`;
    case 'icmp-latency':
      return `ICMP to ${s.host} takes ${s.rttMs} ms (a LAN answers within 100 ms): congestion or a slow path`;
    case 'path-mtu-below':
      return `the path MTU is ${s.pathMtu}${s.from !== undefined ? ` (fragmentation needed, from ${s.from})` : ''}, below the egress interface's ${s.linkMtu}: large packets need fragmenting or PMTU discovery`;
    case 'path-mtu-blackhole':
      return `a ${s.size}-byte packet vanishes while small ones pass: a path MTU blackhole (fragmentation-needed messages are dropped)`;
    case 'syn-sent-piling':
      return `${s.count} connections wait in SYN_SENT${s.of !== undefined ? ` ${pilingOfWords(s.of)}` : ''} (over ${s.limit}): connects to a peer that does not answer are piling up`;
    case 'close-wait-piling':
      return `${s.count} sockets sit in CLOSE_WAIT${s.of !== undefined ? ` ${pilingOfWords(s.of)}` : ''} (over ${s.limit}): a local service does not close connections its peers closed`;
    case 'layer-failed':
      return `the ${LAYER_WORDS[s.layer]} layer fails`;
  }
}

const VERDICT_WORDS: Record<Diagnosis['verdict'], string> = {
  answers: 'answers',
  unreachable: 'cannot be reached',
  'answers-wrongly': 'answers wrongly',
};

/** The one-line conclusion. */
export function headline(d: Diagnosis): string {
  const what = d.target.port !== undefined ? `${d.target.given}` : d.target.given;
  if (d.verdict === 'answers') {
    const warnings = d.layers.filter((l) => l.state === 'warn').length + (d.health?.state === 'warn' ? 1 : 0);
    const own = d.path?.local && d.target.port === undefined ? ": the target is this host's own address: delivered through loopback" : '';
    return `${what} answers${own}${warnings ? `, with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  }
  const at = d.stoppedAt ? `: stopped at ${LAYER_WORDS[d.stoppedAt]}` : '';
  return `${what} ${VERDICT_WORDS[d.verdict]}${at}`;
}

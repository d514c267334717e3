// The bottom-up reading of a diagnosis: the results of its checks ordered link → neighbour → route → ICMP →
// DNS → TCP → TLS → HTTP, judged up to the first layer that fails (the layers above are not reached), and what
// that symptom most often means, as data. Pure: results and the facts they were judged on in, a Diagnosis out.
// A lower layer stops the way only when it really failed: a layer the far end answered above (a refusal is an
// answer) proves the path below it, so a shortfall there is a warning, and so is any shortfall while the service
// answers (filtered ICMP, a path MTU below the link's).
import type { FactsSnapshot, HttpFact, TcpFact, DnsFact, PingSent } from '../facts/model.js';
import { isFamilyError } from '../facts/model.js';
import { carrierOf, isInterfaceUp } from '../facts/readings/interfaces.js';
import { peerPiling } from '../facts/readings/tcp.js';
import { dnsProbeKey, httpProbeKey, tcpProbeKey } from '../plan/probe-keys.js';
import { percentile } from '../lib/percentile.js';
import { pingKey } from '../plan/pings.js';
import type { ReportResult } from '../report/model.js';
import { HEALTH_CHECK, LAYERS, LAYER_CHECK, SOFT_LAYERS } from './model.js';
import type { Diagnosis, JudgedFrom, Layer, LayerName, LayerState, PilingOf, Symptom, Verdict } from './model.js';
import { DIAGNOSE_PING, LAN_RTT_MS, LOSS_PERCENT, PILING, linkMtuOf } from './checks.js';
import type { DiagnoseTarget } from './target.js';

const FROM: Record<LayerName, JudgedFrom> = {
  link: 'audited-host',
  neighbour: 'audited-host',
  route: 'audited-host',
  'icmp-gateway': 'audited-host',
  'icmp-target': 'audited-host',
  'path-mtu': 'audited-host',
  dns: 'auditing-machine',
  tcp: 'auditing-machine',
  tls: 'auditing-machine',
  http: 'auditing-machine',
};

export interface DiagnoseInput {
  target: DiagnoseTarget;
  /** The address judged, when the target is one or its name resolved. */
  address?: string;
  path?: Diagnosis['path'];
  /** Every result of the diagnosis's checks, worded. */
  results: ReportResult[];
  facts: FactsSnapshot;
  elapsedMs?: number;
}

const failing = (r: ReportResult | undefined): boolean => r !== undefined && (r.status === 'fail' || r.status === 'error');

function probe<T>(facts: FactsSnapshot, key: string): T | undefined {
  const v = facts.probes?.[key];
  return v === undefined || isFamilyError(v) ? undefined : (v as T);
}

function tcpAddressOf(input: DiagnoseInput) {
  const t = input.target;
  if (t.port === undefined) return undefined;
  const fact = probe<TcpFact>(input.facts, tcpProbeKey({ host: t.host, port: t.port }));
  return fact?.addresses.find((a) => a.address === input.address) ?? fact?.addresses[0];
}

/** The host an ICMP layer pings: the gateway, or the address. */
const pinged = (name: LayerName, input: DiagnoseInput): string | undefined => (name === 'icmp-gateway' ? input.path?.gateway : input.address);

/** What the ICMP layer's ping showed, when it was sent. */
function pingOf(name: LayerName, input: DiagnoseInput): PingSent | undefined {
  const host = pinged(name, input);
  const icmp = input.facts.icmp;
  if (host === undefined || !icmp || isFamilyError(icmp)) return undefined;
  const f = icmp.pings[pingKey({ host, ...DIAGNOSE_PING, dontFragment: false })];
  return f?.outcome === 'sent' ? f : undefined;
}

/** Whether the far end answered at this layer, whatever it said: what a working path below it proves. */
function farEndAnswered(name: LayerName, r: ReportResult | undefined, input: DiagnoseInput): boolean {
  if (r === undefined) return false;
  if (name === 'icmp-gateway' || name === 'icmp-target') return (pingOf(name, input)?.received ?? 0) > 0;
  if (name === 'path-mtu') return r.status === 'pass';
  if (name === 'tcp') {
    const a = tcpAddressOf(input);
    return a?.connect === 'open' || a?.connect === 'refused';
  }
  if (name === 'tls') {
    // A handshake that failed because the connect did (refused, timed out) is no TLS answer: TCP stops the way.
    const connect = tcpAddressOf(input)?.connect;
    if (connect !== undefined && connect !== 'open') return false;
    return r.status === 'pass' || r.reason?.code === 'not-tls' || r.reason?.code === 'handshake-failed';
  }
  if (name === 'http') {
    const t = input.target;
    return t.url !== undefined && probe<HttpFact>(input.facts, httpProbeKey({ url: t.url }))?.status !== undefined;
  }
  return false;
}

/** The link's symptom, read from the interface the route leaves by. */
function linkSymptom(input: DiagnoseInput): Symptom | undefined {
  const device = input.path?.device;
  const ifs = input.facts.interfaces;
  if (device === undefined || !ifs || isFamilyError(ifs)) return undefined;
  const i = ifs[device];
  if (!i) return undefined;
  if (i.adminUp === false || !isInterfaceUp(i))
    return carrierOf(i) === false && i.adminUp !== false ? { code: 'no-carrier', device } : { code: 'link-down', device };
  if (carrierOf(i) === false) return { code: 'no-carrier', device };
  const ratio = (n: string, of: string): number => (i.stats[of] ? (i.stats[n] ?? 0) / i.stats[of]! : 0);
  const counters = [
    ['rx_errors', 'rx_packets'],
    ['tx_errors', 'tx_packets'],
    ['rx_dropped', 'rx_packets'],
    ['tx_dropped', 'tx_packets'],
  ].flatMap(([n, of]) => (ratio(n!, of!) > 0.01 ? [n!] : []));
  return { code: 'link-errors', device, counters };
}

/** What a failing TCP connect most often means, from how it failed (the probe's error code). */
function tcpSymptom(input: DiagnoseInput): Symptom | undefined {
  const t = input.target;
  const a = tcpAddressOf(input);
  if (!a || t.port === undefined) return undefined;
  const port = t.port;
  const code = a.error?.code;
  if (a.connect === 'refused') {
    // On the audited host itself, the sockets say where the port is bound instead.
    const sockets = input.path?.local ? input.facts.sockets : undefined;
    const bound = sockets && !isFamilyError(sockets) ? sockets.listeners.filter((l) => l.protocol === 'tcp' && l.port === port) : [];
    const boundTo = [...new Set(bound.map((l) => (l.family === 6 ? `[${l.address}]:${port}` : `${l.address}:${port}`)))];
    return { code: 'refused', address: a.address, port, ...(input.path?.local ? { boundTo } : {}) };
  }
  if (code === 'EHOSTUNREACH') return { code: 'host-unreachable', address: a.address };
  if (code === 'ENETUNREACH') return { code: 'net-unreachable', address: a.address };
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT') return { code: 'timeout', address: a.address, port };
  return { code: 'connect-failed', address: a.address, port, errorCode: code ?? 'UNKNOWN' };
}

/** What an ICMP layer's shortfall most often means: how the ping failed, else its loss or its round trips. */
function icmpSymptom(name: LayerName, r: ReportResult, input: DiagnoseInput): Symptom | undefined {
  const reason = r.reason;
  const host = pinged(name, input) ?? input.target.host;
  if (reason?.code === 'icmp-cannot-send') return { code: 'icmp-cannot-send', why: reason.why };
  if (reason?.code === 'icmp-not-sent') return reason.why === 'network-unreachable' ? { code: 'net-unreachable', address: host } : undefined;
  if (reason?.code === 'icmp-no-reply') {
    const kinds = new Set(reason.unreachable.map((u) => u.kind));
    if (kinds.has('host')) return { code: 'host-unreachable', address: host };
    if (kinds.has('net')) return { code: 'net-unreachable', address: host };
    return { code: 'icmp-no-reply', host };
  }
  const f = pingOf(name, input);
  if (!f) return undefined;
  if (f.lossPercent > LOSS_PERCENT) return { code: 'icmp-loss', host, lossPercent: f.lossPercent };
  const p50 = percentile(f.rttMs, 50);
  if (p50 !== undefined && p50 > LAN_RTT_MS) return { code: 'icmp-latency', host, rttMs: p50 };
  return undefined;
}

/** What the path-MTU layer's shortfall means: a smaller MTU reported, a blackhole, or no verdict. */
function mtuSymptom(r: ReportResult, input: DiagnoseInput): Symptom | undefined {
  const reason = r.reason;
  const host = input.address ?? input.target.host;
  const linkMtu = input.path ? linkMtuOf(input.path, input.facts) : undefined;
  if (reason?.code === 'mtu-reported' && linkMtu !== undefined)
    return { code: 'path-mtu-below', pathMtu: reason.mtu, linkMtu, ...(reason.from !== undefined ? { from: reason.from } : {}) };
  if (reason?.code === 'mtu-blackhole') return { code: 'path-mtu-blackhole', size: reason.packet };
  if (reason?.code === 'mtu-unjudged') return { code: 'path-mtu-unjudged', host };
  if (reason?.code === 'icmp-cannot-send') return { code: 'icmp-cannot-send', why: reason.why };
  if (reason?.code === 'icmp-not-sent' && reason.why === 'network-unreachable') return { code: 'net-unreachable', address: host };
  return undefined;
}

/**
 * Whether a failing layer stops the way. A soft layer only when it really failed: no echo reply or none sent
 * (ICMP that could not be sent, loss or slow replies explain no unreachable service), and the path MTU only as a
 * blackhole under a TCP connection that went through while nothing above answered (the connect's packets are
 * small; the handshake's and the response's are not).
 */
function stops(name: LayerName, r: ReportResult, tcpOnly: boolean): boolean {
  if (!SOFT_LAYERS.has(name)) return true;
  const code = r.reason?.code;
  if (name === 'path-mtu') return tcpOnly && code === 'mtu-blackhole';
  return r.status === 'fail' && (code === 'icmp-no-reply' || code === 'icmp-not-sent');
}

/** What the layer's shortfall most often means, in the field's terms. */
function symptomOf(name: LayerName, r: ReportResult, input: DiagnoseInput): Symptom {
  const reason = r.reason;
  const t = input.target;
  let s: Symptom | undefined;
  switch (name) {
    case 'link':
      s = linkSymptom(input);
      break;
    case 'neighbour':
      if (reason?.code === 'neighbour-state')
        s = { code: 'neighbour-failed', address: reason.address, device: reason.device, state: reason.state, gateway: input.path?.gateway === reason.address };
      break;
    case 'route':
      if (reason?.code === 'no-route') s = { code: 'no-route', address: input.address ?? t.host, refused: (reason.refusals?.length ?? 0) > 0 };
      break;
    case 'dns': {
      const code = probe<DnsFact>(input.facts, dnsProbeKey({ name: t.host, type: 'ADDRESS' }))?.error?.code;
      s = { code: 'dns-fails', name: t.host, ...(code !== undefined ? { errorCode: code } : {}) };
      break;
    }
    case 'tcp':
      s = tcpSymptom(input);
      break;
    case 'tls':
      s = reason?.code === 'not-tls' ? { code: 'tls-not-tls', port: t.port ?? 0 } : { code: 'tls-failed', port: t.port ?? 0 };
      break;
    case 'http': {
      const status = t.url !== undefined ? probe<HttpFact>(input.facts, httpProbeKey({ url: t.url }))?.status : undefined;
      s = status !== undefined ? { code: 'http-server-error', status } : { code: 'http-no-response' };
      break;
    }
    case 'icmp-gateway':
    case 'icmp-target':
      s = icmpSymptom(name, r, input);
      break;
    case 'path-mtu':
      s = mtuSymptom(r, input);
      break;
  }
  return s ?? { code: 'layer-failed', layer: name };
}

/** The layer's own state before the way is judged: what its check said, or why it has none. */
function ownState(name: LayerName, r: ReportResult | undefined, input: DiagnoseInput): LayerState {
  if (r === undefined) {
    const t = input.target;
    if (name === 'dns') return t.address !== undefined ? 'skip' : 'absent';
    if (name === 'tcp' || name === 'tls' || name === 'http') return 'absent';
    // Link, neighbour, route, ICMP and path MTU without a check: the address is the host's own, has no route (said
    // there), is on-link (no gateway to ping), or there is no address to judge them for.
    return 'skip';
  }
  if (r.status === 'pass') return 'pass';
  if (r.status === 'skip') return 'skip';
  return 'fail';
}

/** The layers judged bottom-up, the verdict and the layer that stopped the way. */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const byId = new Map(input.results.map((r) => [r.id, r]));
  const rows = LAYERS.map((name) => ({ name, result: byId.get(LAYER_CHECK[name]) }));
  const present = rows.filter((x) => x.result !== undefined);
  const answers = serviceAnswers(rows, present, input);
  // The highest layer at which the far end answered: the path below it works, whatever failed there.
  let reachedAt = -1;
  rows.forEach((x, i) => {
    if (farEndAnswered(x.name, x.result, input)) reachedAt = i;
  });
  const tcpOnly = reachedAt === LAYERS.indexOf('tcp');
  const stopIndex = answers
    ? -1
    : rows.findIndex((x, i) => failing(x.result) && (i >= Math.max(reachedAt, 0) || x.name === 'path-mtu') && stops(x.name, x.result!, tcpOnly));
  const layers: Layer[] = rows.map((x, i) => {
    const own = ownState(x.name, x.result, input);
    const layer: Layer = { name: x.name, state: own, from: FROM[x.name], ...(x.result ? { result: x.result } : {}) };
    // Above the stop nothing is judged, but what the far end answered (a TCP connect over a blackhole) stays as it was.
    if (stopIndex >= 0 && i > stopIndex && i > reachedAt && own !== 'absent') layer.state = 'not-reached';
    else if (own === 'fail' && i !== stopIndex) layer.state = 'warn';
    if ((layer.state === 'fail' || layer.state === 'warn') && x.result) layer.symptom = symptomOf(x.name, x.result, input);
    return layer;
  });
  const stopped = stopIndex >= 0 ? rows[stopIndex]!.name : undefined;
  const tcpPassed = byId.get(LAYER_CHECK.tcp)?.status === 'pass';
  const verdict: Verdict = answers ? 'answers' : (stopped === 'tls' || stopped === 'http') && tcpPassed ? 'answers-wrongly' : 'unreachable';
  const h = input.facts.host;
  const diagnosis: Diagnosis = {
    schema: 'plumbline/diagnosis/v1',
    target: input.target,
    ...(input.address !== undefined ? { address: input.address } : {}),
    host: { hostname: h.hostname, transport: h.transport },
    ...(input.path ? { path: input.path } : {}),
    verdict,
    ...(stopped ? { stoppedAt: stopped } : {}),
    layers,
    collectedAt: h.collectedAt,
    ...(input.elapsedMs !== undefined ? { elapsedMs: input.elapsedMs } : {}),
  };
  const health = byId.get(HEALTH_CHECK);
  if (health) diagnosis.health = healthOf(health, input);
  return diagnosis;
}

/**
 * Whether the target answers: its service layers (TCP, and TLS and HTTP where it has them) pass; without a port,
 * this host's own address, or an echo reply from it, or where ICMP could not be sent, the highest other layer
 * judged passes.
 */
function serviceAnswers(rows: Array<{ name: LayerName; result: ReportResult | undefined }>, present: typeof rows, input: DiagnoseInput): boolean {
  const service = present.filter((x) => x.name === 'tcp' || x.name === 'tls' || x.name === 'http');
  if (service.length) return service.every((x) => x.result!.status === 'pass');
  // The host's own address: delivered through loopback, nothing on the way to fail.
  if (input.path?.local) return present.every((x) => x.result!.status === 'pass');
  const icmp = rows.find((x) => x.name === 'icmp-target')?.result;
  if (icmp && icmp.status !== 'error') return farEndAnswered('icmp-target', icmp, input);
  const top = present.filter((x) => !SOFT_LAYERS.has(x.name)).slice(-1);
  return top.length > 0 && top.every((x) => x.result!.status === 'pass');
}

/** TCP-state health: sockets piling up in SYN_SENT (connects nobody answers) or CLOSE_WAIT (a service that does not close). */
function healthOf(r: ReportResult, input: DiagnoseInput): NonNullable<Diagnosis['health']> {
  const sockets = input.facts.sockets;
  const fact = sockets && !isFamilyError(sockets) ? sockets : undefined;
  const t = input.target;
  // The target's own sockets where the check counted them so (an address and a port), else the host's.
  const peer =
    fact?.tcpPiling && input.address !== undefined && t.port !== undefined
      ? peerPiling(fact.tcpPiling, { address: input.address, port: t.port, local: input.path?.local === true })
      : undefined;
  const toward = input.address !== undefined && t.port !== undefined ? { address: input.address, port: t.port } : undefined;
  // CLOSE_WAIT on the host's own address is counted on its port (its service's sockets), as peerPiling counts it.
  const of: Record<'SYN_SENT' | 'CLOSE_WAIT', PilingOf | undefined> = {
    SYN_SENT: toward,
    CLOSE_WAIT: toward && input.path?.local ? { port: toward.port } : toward,
  };
  const count = (state: 'SYN_SENT' | 'CLOSE_WAIT') => (peer ? { count: peer[state].count, of: of[state]! } : { count: fact?.tcpStates[state] ?? 0 });
  const symptoms: Symptom[] = [];
  const syn = count('SYN_SENT');
  const closeWait = count('CLOSE_WAIT');
  if (syn.count > PILING.SYN_SENT) symptoms.push({ code: 'syn-sent-piling', ...syn, limit: PILING.SYN_SENT });
  if (closeWait.count > PILING.CLOSE_WAIT) symptoms.push({ code: 'close-wait-piling', ...closeWait, limit: PILING.CLOSE_WAIT });
  return { state: r.status === 'pass' ? 'pass' : r.status === 'skip' ? 'skip' : 'warn', result: r, symptoms };
}

/** 0 when the service answers (warnings or not), 1 when it cannot be reached or answers wrongly. */
export function diagnosisExitCode(d: Diagnosis): 0 | 1 {
  return d.verdict === 'answers' ? 0 : 1;
}

// The bottom-up reading of a diagnosis: the results of its checks ordered link → neighbour → route → ICMP →
// DNS → TCP → TLS → HTTP, judged up to the first layer that fails (the layers above are not reached), and what
// that symptom most often means, as data. Pure: results and the facts they were judged on in, a Diagnosis out.
// A lower layer stops the way only when it really failed: a layer the far end answered above (a refusal is an
// answer) proves the path below it, so a shortfall there is a warning, and so is any shortfall while the service
// answers (filtered ICMP, a path MTU below the link's).
import type { FactsSnapshot, HttpFact, TcpFact, DnsFact } from '../facts/model.js';
import { isFamilyError } from '../facts/model.js';
import { carrierOf, isInterfaceUp } from '../facts/readings/interfaces.js';
import { dnsProbeKey, httpProbeKey, tcpProbeKey } from '../plan/probe-keys.js';
import type { ReportResult } from '../report/model.js';
import { HEALTH_CHECK, LAYERS, LAYER_CHECK, SOFT_LAYERS } from './model.js';
import type { Diagnosis, JudgedFrom, Layer, LayerName, LayerState, Symptom, Verdict } from './model.js';
import { PILING } from './checks.js';
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

const SLOTS: ReadonlySet<LayerName> = new Set(['icmp-gateway', 'icmp-target', 'path-mtu']);

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

/** Whether the far end answered at this layer, whatever it said: what a working path below it proves. */
function farEndAnswered(name: LayerName, r: ReportResult | undefined, input: DiagnoseInput): boolean {
  if (r === undefined) return false;
  if (name === 'tcp') {
    const a = tcpAddressOf(input);
    return a?.connect === 'open' || a?.connect === 'refused';
  }
  if (name === 'tls') return r.status === 'pass' || r.reason?.code === 'not-tls' || r.reason?.code === 'handshake-failed';
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
    default:
      // The ICMP and path-MTU slots: their kinds' reasons are read here once those kinds exist.
      break;
  }
  return s ?? { code: 'layer-failed', layer: name };
}

/** The layer's own state before the way is judged: what its check said, or why it has none. */
function ownState(name: LayerName, r: ReportResult | undefined, input: DiagnoseInput): LayerState {
  if (r === undefined) {
    if (SLOTS.has(name)) return 'unavailable';
    const t = input.target;
    if (name === 'dns') return t.address !== undefined ? 'skip' : 'absent';
    if (name === 'tcp' || name === 'tls' || name === 'http') return 'absent';
    // Link, neighbour and route without a check: the address is the host's own, has no route (said there), or
    // there is no address to judge them for.
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
  // The service: the highest of TCP, TLS and HTTP the target asks; without a port, the highest layer judged.
  const service = present.filter((x) => x.name === 'tcp' || x.name === 'tls' || x.name === 'http');
  const top = service.length ? service : present.filter((x) => !SOFT_LAYERS.has(x.name)).slice(-1);
  const answers = top.length > 0 && top.every((x) => x.result!.status === 'pass');
  // The highest layer at which the far end answered: the path below it works, whatever failed there.
  let reachedAt = -1;
  rows.forEach((x, i) => {
    if (farEndAnswered(x.name, x.result, input)) reachedAt = i;
  });
  const stopIndex = answers ? -1 : rows.findIndex((x, i) => i >= Math.max(reachedAt, 0) && failing(x.result));
  const layers: Layer[] = rows.map((x, i) => {
    const own = ownState(x.name, x.result, input);
    const layer: Layer = { name: x.name, state: own, from: FROM[x.name], ...(x.result ? { result: x.result } : {}) };
    if (stopIndex >= 0 && i > stopIndex && own !== 'absent' && own !== 'unavailable') layer.state = 'not-reached';
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
  if (health) diagnosis.health = healthOf(health, input.facts);
  return diagnosis;
}

/** TCP-state health: sockets piling up in SYN_SENT (connects nobody answers) or CLOSE_WAIT (a service that does not close). */
function healthOf(r: ReportResult, facts: FactsSnapshot): NonNullable<Diagnosis['health']> {
  const sockets = facts.sockets;
  const states = sockets && !isFamilyError(sockets) ? sockets.tcpStates : {};
  const symptoms: Symptom[] = [];
  const syn = states.SYN_SENT ?? 0;
  const closeWait = states.CLOSE_WAIT ?? 0;
  if (syn > PILING.SYN_SENT) symptoms.push({ code: 'syn-sent-piling', count: syn, limit: PILING.SYN_SENT });
  if (closeWait > PILING.CLOSE_WAIT) symptoms.push({ code: 'close-wait-piling', count: closeWait, limit: PILING.CLOSE_WAIT });
  return { state: r.status === 'pass' ? 'pass' : r.status === 'skip' ? 'skip' : 'warn', result: r, symptoms };
}

/** 0 when the service answers (warnings or not), 1 when it cannot be reached or answers wrongly. */
export function diagnosisExitCode(d: Diagnosis): 0 | 1 {
  return d.verdict === 'answers' ? 0 : 1;
}

// What `plumbline diagnose` finds, as plain data: the layers bottom-up, each with where it was judged, its state
// and the results behind it, and the symptoms read from the layer that stopped the way (a code and its
// arguments; the words are made by the renderers, src/diagnose/words.ts).
import type { ReportResult } from '../report/model.js';
import type { DiagnoseTarget } from './target.js';

/** The layers, bottom-up, as the field troubleshoots them. */
export const LAYERS = ['link', 'neighbour', 'route', 'icmp-gateway', 'icmp-target', 'path-mtu', 'dns', 'tcp', 'tls', 'http'] as const;
export type LayerName = (typeof LAYERS)[number];

/** The check id of each layer (the ICMP and path-MTU layers are checks of the `icmp` and `mtu` kinds). */
export const LAYER_CHECK: Record<LayerName, string> = {
  link: 'diagnose.link',
  neighbour: 'diagnose.neighbour',
  route: 'diagnose.route',
  'icmp-gateway': 'diagnose.icmp.gateway',
  'icmp-target': 'diagnose.icmp.target',
  'path-mtu': 'diagnose.mtu',
  dns: 'diagnose.dns',
  tcp: 'diagnose.tcp',
  tls: 'diagnose.tls',
  http: 'diagnose.http',
};

/** TCP-state health: beside the layers, judged on the audited host. */
export const HEALTH_CHECK = 'diagnose.tcp-states';

/**
 * Layers whose shortfall alone never stops a service from answering: ICMP may be filtered and a path MTU below the
 * link's may be met by PMTU discovery. They stop the way only when the service does not answer and they really
 * failed (no echo reply, no route; a blackhole under a TCP connection that went through), never on an ICMP that
 * could not be sent.
 */
export const SOFT_LAYERS: ReadonlySet<LayerName> = new Set(['icmp-gateway', 'icmp-target', 'path-mtu']);

/**
 * pass; warn (fell short while the service answers); fail (the first layer that failed: the way stops here);
 * skip (does not apply: an IP target's DNS, a link that resolves no neighbours, ICMP to a gateway an on-link
 * target does not have); not-reached (above the failure, not judged); absent (the target asks nothing of it: no
 * port, no TLS, no URL).
 */
export type LayerState = 'pass' | 'warn' | 'fail' | 'skip' | 'not-reached' | 'absent';

/** Where a layer was judged: on the audited host (through the transport) or from the auditing machine (the live probes). */
export type JudgedFrom = 'audited-host' | 'auditing-machine';

/** Whose piling sockets were counted: those toward a peer's address and port, or those on a port of this host. */
export type PilingOf = { address: string; port: number } | { port: number };

/** What a symptom most often means, as data. */
export type Symptom =
  | { code: 'link-down'; device: string }
  | { code: 'no-carrier'; device: string }
  | { code: 'link-errors'; device: string; counters: string[] }
  | { code: 'neighbour-failed'; address: string; device: string; state: string[]; gateway: boolean }
  | { code: 'no-route'; address: string; refused: boolean }
  | { code: 'host-unreachable'; address: string }
  | { code: 'net-unreachable'; address: string }
  | { code: 'timeout'; address: string; port: number }
  | { code: 'refused'; address: string; port: number /** On the audited host itself: where the port is bound (empty: nowhere). */; boundTo?: string[] }
  | { code: 'connect-failed'; address: string; port: number; errorCode: string }
  | { code: 'dns-fails'; name: string; errorCode?: string }
  | { code: 'tls-not-tls'; port: number }
  | { code: 'tls-failed'; port: number }
  | { code: 'http-no-response' }
  | { code: 'http-server-error'; status: number }
  | { code: 'icmp-no-reply'; host: string }
  | { code: 'icmp-loss'; host: string; lossPercent: number }
  | { code: 'icmp-latency'; host: string; rttMs: number }
  | { code: 'icmp-cannot-send'; why: string }
  | { code: 'path-mtu-below'; pathMtu: number; linkMtu: number; from?: string }
  | { code: 'path-mtu-blackhole'; size: number }
  | { code: 'path-mtu-unjudged'; host: string }
  /** `of`: whose sockets (toward `{ address, port }`, or on this host's `{ port }`); absent when counted host-wide. */
  | { code: 'syn-sent-piling'; count: number; limit: number; of?: PilingOf }
  | { code: 'close-wait-piling'; count: number; limit: number; of?: PilingOf }
  | { code: 'layer-failed'; layer: LayerName };

export interface Layer {
  name: LayerName;
  state: LayerState;
  from: JudgedFrom;
  /** The check behind the layer, with its message (absent for an empty slot or a layer the target does not have). */
  result?: ReportResult;
  /** What the layer's shortfall most often means (the stopping layer's, and each warning's). */
  symptom?: Symptom;
}

/** answers: the service (or, with no port, the host's address) is reached; unreachable: it is not; wrong: it answers wrongly. */
export type Verdict = 'answers' | 'unreachable' | 'answers-wrongly';

export interface Diagnosis {
  schema: 'plumbline/diagnosis/v1';
  target: DiagnoseTarget;
  /** The address judged (the target's, or the first its name resolved to). */
  address?: string;
  /** The audited host's name and the transport that reached it (local, or ssh://...). */
  host: { hostname: string; transport: string };
  /** The egress link and gateway the route reading gave. */
  path?: { device?: string; gateway?: string; local: boolean };
  verdict: Verdict;
  /** The first layer that failed, when the way stopped. */
  stoppedAt?: LayerName;
  layers: Layer[];
  /** TCP-state health on the audited host: a warning beside the layers, never the stop. */
  health?: { state: 'pass' | 'warn' | 'skip'; result: ReportResult; symptoms: Symptom[] };
  collectedAt: string;
  /** How long the diagnosis took, in milliseconds (collects included). */
  elapsedMs?: number;
}

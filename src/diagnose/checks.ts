// The checks a diagnosis runs, of the existing kinds, for one target: the upper layers and TCP-state health
// first (they need nothing but the target), then the lower ones from what the first collect saw (the route
// the kernel picks for the address, so its egress link and gateway). Pure.
import type { FactsSnapshot } from '../facts/model.js';
import { isFamilyError } from '../facts/model.js';
import { kernelRoute, routingOf } from '../facts/readings/routes.js';
import type { RouteChoice } from '../facts/readings/routes.js';
import type { Check, SourcePos } from '../policy/model.js';
import { plan } from '../plan/plan.js';
import type { Plan } from '../plan/model.js';
import { AddressSet, isLoopback, parseAddress, parseNetwork } from '../lib/address.js';
import { refusedNetwork } from '../lib/targets.js';
import { HEALTH_CHECK, LAYER_CHECK } from './model.js';
import type { Diagnosis } from './model.js';
import type { DiagnoseTarget } from './target.js';

/** Where the checks of a diagnosis come from: no policy file, the command line. */
const SOURCE: SourcePos = { file: 'plumbline diagnose', line: 1, column: 1 };

/** Sockets in these states beyond these counts are piling up (the health warnings). */
export const PILING = { SYN_SENT: 20, CLOSE_WAIT: 100 } as const;

/** A counter ratio above this (one packet in a hundred) is a link that loses or corrupts traffic. */
const LINK_RATIO = 0.01;

function base(id: string, title: string, area: string, timeoutMs: number) {
  return { id, title, severity: 'high' as const, area, tags: ['diagnose'], refs: [], source: SOURCE, timeout: timeoutMs };
}

/** The checks that need only the target: DNS, TCP, TLS, HTTP. */
export function upperChecks(t: DiagnoseTarget, timeoutMs: number): Check[] {
  const out: Check[] = [];
  if (t.address === undefined) {
    out.push({
      ...base(LAYER_CHECK.dns, `${t.host} resolves`, 'probes', timeoutMs),
      selector: { kind: 'dns', spec: { name: t.host, type: 'ADDRESS' } },
      expect: { resolves: true },
    });
  }
  if (t.port !== undefined) {
    out.push({
      ...base(LAYER_CHECK.tcp, `TCP connect to ${t.host}:${t.port}`, 'probes', timeoutMs),
      selector: { kind: 'tcp', spec: { host: t.host, port: t.port } },
      expect: { connect: 'open' },
    });
    // An empty expectation asks that a TLS handshake completes at all (chain and versions are an audit's work).
    if (t.tls)
      out.push({
        ...base(LAYER_CHECK.tls, `TLS handshake with ${t.host}:${t.port}`, 'probes', timeoutMs),
        selector: { kind: 'tls', spec: { host: t.host, port: t.port } },
        expect: {},
      });
    if (t.url !== undefined) {
      out.push({
        ...base(LAYER_CHECK.http, `HTTP GET ${t.url}`, 'probes', timeoutMs),
        selector: { kind: 'http', spec: { url: t.url } },
        expect: { status: { lt: 500 } },
      });
    }
  }
  return out;
}

/**
 * TCP-state health on the audited host: SYN_SENT and CLOSE_WAIT sockets of the target's address and port (SYN_SENT
 * toward it; CLOSE_WAIT on its port when it is this host's own, else toward it), or the host's when there is no
 * address or port to count them for.
 */
export function healthCheck(t: DiagnoseTarget, address: string | undefined, local: boolean, timeoutMs: number): Check {
  const toward = address !== undefined && t.port !== undefined ? { address, port: t.port, local } : undefined;
  return {
    ...base(HEALTH_CHECK, 'TCP sockets are not piling up in SYN_SENT or CLOSE_WAIT', 'tcp', timeoutMs),
    selector: { kind: 'tcpStates', spec: toward ? { toward } : {} },
    expect: { SYN_SENT: { lte: PILING.SYN_SENT }, CLOSE_WAIT: { lte: PILING.CLOSE_WAIT } },
  };
}

/** Every address the target's name resolved to in the first collect (the target's own, for an address). */
export function addressesOf(t: DiagnoseTarget, facts: FactsSnapshot): string[] {
  if (t.address !== undefined) return [t.address];
  const probes = facts.probes ?? {};
  const name = t.host.toLowerCase().replace(/\.$/, '');
  const out = new Set<string>();
  for (const fact of Object.values(probes)) {
    if (isFamilyError(fact)) continue;
    const f = fact as { host?: string; addresses?: Array<{ address: string }>; name?: string; answers?: Array<{ value: string }> };
    if ((f.host ?? f.name)?.toLowerCase().replace(/\.$/, '') !== name) continue;
    for (const a of f.addresses ?? []) out.add(a.address);
    for (const a of f.answers ?? []) if (parseAddress(a.value)) out.add(a.value);
  }
  return [...out];
}

/**
 * The address the lower layers are judged for: the target's own, or the first its name resolved to that the
 * probes may reach (a refused one is never pinged, nor its gateway).
 */
export function addressOf(t: DiagnoseTarget, facts: FactsSnapshot, admitted: readonly string[] = []): string | undefined {
  return addressesOf(t, facts).find((a) => refusedNetwork(a, admitted) === undefined);
}

/** The route the kernel picks for the address, when the routes could be read. */
function routeFor(address: string, facts: FactsSnapshot): RouteChoice | undefined {
  const routes = facts.routes;
  const a = parseAddress(address);
  if (!routes || isFamilyError(routes) || !a) return undefined;
  return kernelRoute(routingOf(routes), a.family, `${a.text}/${a.family === 4 ? 32 : 128}`);
}

/** Whether the address is the audited host's own (the local table holds it, or it is loopback). */
function isOwnAddress(address: string, facts: FactsSnapshot): boolean {
  if (isLoopback(address)) return true;
  const routes = facts.routes;
  if (!routes || isFamilyError(routes) || Array.isArray(routes)) return false;
  const nets = (routes.local ?? []).flatMap((d) => parseNetwork(d) ?? []);
  return new AddressSet(nets).has(address);
}

/** The egress link, the next hop and whether the address is this host's own, from the route the kernel picks. */
export function pathOf(address: string, facts: FactsSnapshot): Diagnosis['path'] | undefined {
  // Traffic to the host's own address goes over loopback: no link, neighbour or route of the network to judge.
  if (isOwnAddress(address, facts)) return { device: 'lo', local: true };
  const route = routeFor(address, facts)?.route;
  if (!route) return undefined;
  const hop = route.nexthops?.[0] ?? { via: route.via, dev: route.dev ?? '' };
  return { ...(hop.dev ? { device: hop.dev } : {}), ...(hop.via !== undefined ? { gateway: hop.via } : {}), local: false };
}

/** The checks of the lower layers: the route for the address, and when it has one, its link and next hop's entry. */
export function lowerChecks(address: string, facts: FactsSnapshot, timeoutMs: number): Check[] {
  const a = parseAddress(address)!;
  const path = pathOf(address, facts);
  if (path?.local) return [];
  const out: Check[] = [
    {
      ...base(LAYER_CHECK.route, `a route to ${a.text}`, 'network', timeoutMs),
      selector: { kind: 'route', dest: `${a.text}/${a.family === 4 ? 32 : 128}` },
      expect: { exists: true },
    },
  ];
  if (path?.device !== undefined) {
    out.push({
      ...base(LAYER_CHECK.link, `${path.device} is up, with carrier, few errors and drops`, 'network', timeoutMs),
      selector: { kind: 'interface', name: path.device },
      expect: {
        up: true,
        carrier: true,
        rx_error_ratio: { lte: LINK_RATIO },
        tx_error_ratio: { lte: LINK_RATIO },
        rx_drop_ratio: { lte: LINK_RATIO },
        tx_drop_ratio: { lte: LINK_RATIO },
      },
    });
  }
  if (path) {
    // On-link, the target itself is the neighbour; behind a gateway, the gateway is.
    const next = path.gateway ?? a.text;
    out.push({
      ...base(LAYER_CHECK.neighbour, `${next} resolves on ${path.device ?? 'its link'} (ARP/NDP)`, 'network', timeoutMs),
      selector: { kind: 'neighbour', target: { address: next } },
      expect: { resolved: true },
    });
  }
  return out;
}

/**
 * The first collect's plan: the upper checks' families and probes, and the families the lower checks and the
 * TCP-state health will read (interfaces, routes, neighbours, sockets).
 */
export function firstPlan(upper: Check[], timeoutMs: number): Plan {
  const p = plan(upper, timeoutMs);
  for (const f of ['interfaces', 'routes', 'neighbours', 'sockets'] as const) {
    p[f] = true;
    p.timeouts[f] = Math.max(p.timeouts[f] ?? 0, timeoutMs);
  }
  return p;
}

/** The short ping of the ICMP layers: three echo requests a fifth of a second apart (no user is refused that spacing). */
export const DIAGNOSE_PING = { count: 3, size: 56, intervalMs: 200 } as const;

/** Round trips above this on the local network (the gateway, or a target on the same link) are slow. */
export const LAN_RTT_MS = 100;

/** Echo requests unanswered above this share, in percent, are loss. */
export const LOSS_PERCENT = 1;

/** IP and ICMP headers around an echo payload: a full-size probe's payload is the link MTU less these. */
const headers = (family: 4 | 6): number => (family === 4 ? 28 : 48);

function pingCheck(id: string, host: string, lan: boolean, timeoutMs: number): Check {
  return {
    ...base(id, `ICMP echo to ${host}`, 'network', timeoutMs),
    selector: { kind: 'icmp', spec: { host, ...DIAGNOSE_PING } },
    // Latency is judged on the local network only: beyond the gateway, a round trip's length is the path's.
    expect: { reachable: true, lossPercent: { lte: LOSS_PERCENT }, ...(lan ? { rttMs: { p50: { lte: LAN_RTT_MS } } } : {}) },
  };
}

/**
 * The ICMP and path-MTU layers' checks, from the route the first collect saw: echo to the gateway (when there is
 * one) and to the address, and a full-size don't-fragment probe of the egress link's MTU to the address. The
 * probe is judged on the two pings alone, without tracepath (seconds per silent hop): whether it passes, a router
 * reports a smaller MTU, or it vanishes while small ones pass is all the layer needs.
 */
export function pingChecks(address: string, facts: FactsSnapshot, timeoutMs: number): Check[] {
  const a = parseAddress(address)!;
  const path = pathOf(address, facts);
  if (!path || path.local) return [];
  const out: Check[] = [];
  if (path.gateway !== undefined) out.push(pingCheck(LAYER_CHECK['icmp-gateway'], path.gateway, true, timeoutMs));
  out.push(pingCheck(LAYER_CHECK['icmp-target'], a.text, path.gateway === undefined, timeoutMs));
  const linkMtu = linkMtuOf(path, facts);
  if (linkMtu !== undefined && linkMtu > headers(a.family)) {
    out.push({
      ...base(LAYER_CHECK['path-mtu'], `a ${linkMtu}-byte packet reaches ${a.text} unfragmented`, 'network', timeoutMs),
      selector: { kind: 'mtu', spec: { host: a.text, size: linkMtu - headers(a.family), tracepath: false } },
      expect: { passes: true },
    });
  }
  return out;
}

/** The egress interface's MTU, when the interfaces could be read. */
export function linkMtuOf(path: NonNullable<Diagnosis['path']>, facts: FactsSnapshot): number | undefined {
  const ifs = facts.interfaces;
  if (path.device === undefined || !ifs || isFamilyError(ifs)) return undefined;
  return ifs[path.device]?.mtu;
}

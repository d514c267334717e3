// The bottom-up reading of a diagnosis on recorded facts: the checks diagnose makes, judged by the ordinary
// evaluate, read by the pure layering. Routes come from `ip -j route show table all` output as this kernel
// prints it, through the routes family's own parser.
import { describe, expect, it } from 'vitest';
import { addressOf, healthCheck, lowerChecks, pathOf, pingChecks, upperChecks } from '../../../src/diagnose/checks.js';
import { diagnose, diagnosisExitCode } from '../../../src/diagnose/layers.js';
import type { Diagnosis, LayerName } from '../../../src/diagnose/model.js';
import { parseTarget } from '../../../src/diagnose/target.js';
import type { DiagnoseTarget } from '../../../src/diagnose/target.js';
import { renderDiagnosisJson } from '../../../src/diagnose/json.js';
import { renderDiagnosisMarkdown } from '../../../src/diagnose/markdown.js';
import { renderDiagnosisPretty } from '../../../src/diagnose/pretty.js';
import { symptomWords } from '../../../src/diagnose/words.js';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import { parseIpRoutes, parseLocalDestinations } from '../../../src/facts/families/routes.js';
import { readPing } from '../../../src/facts/families/icmp/output.js';
import type { Check } from '../../../src/policy/model.js';
import { mtuPings, pingKey } from '../../../src/plan/pings.js';
import type { FactsSnapshot, IcmpFact, InterfaceFact, NeighbourFact, TcpAddressFact } from '../../../src/facts/model.js';
import { worded } from '../../../src/report/reasons.js';

// `ip -j -4 route show table all` of a host on 198.19.48.0/24 with a route to 198.19.50.0/24 via 198.19.48.2.
const IP_ROUTES = JSON.stringify([
  { dst: '198.19.48.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '198.19.48.1', flags: [] },
  { dst: '198.19.50.0/24', gateway: '198.19.48.2', dev: 'eth0', flags: [] },
  { type: 'local', dst: '198.19.48.1', table: 'local', dev: 'eth0', protocol: 'kernel', scope: 'host', prefsrc: '198.19.48.1', flags: [] },
  { type: 'local', dst: '127.0.0.0/8', table: 'local', dev: 'lo', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
  { type: 'broadcast', dst: '198.19.48.255', table: 'local', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '198.19.48.1', flags: [] },
]);

const ETH0: InterfaceFact = {
  name: 'eth0',
  operstate: 'up',
  carrier: true,
  adminUp: true,
  mtu: 1500,
  loopback: false,
  stats: { rx_packets: 1000, tx_packets: 1000, rx_errors: 0, tx_errors: 0, rx_dropped: 0, tx_dropped: 0 },
};

interface Scene {
  target: string;
  tcp?: Partial<TcpAddressFact>;
  neighbours?: NeighbourFact[];
  eth0?: Partial<InterfaceFact>;
  http?: { status?: number; error?: { code: string; reason: string } };
  tls?: { code: string; reason: string };
  dns?: { resolves: boolean; answers: string[]; error?: { code: string; reason: string } };
  listeners?: Array<{ address: string; port: number }>;
  tcpStates?: Record<string, number>;
  tcpPiling?: { SYN_SENT: Record<string, number>; CLOSE_WAIT: Record<string, number> };
  /** What ping printed for each ping diagnose sends. Absent: every echo answered in 0.4 ms (the full-size probe too), or with `echo: false` none. */
  pings?: Partial<Record<Ping, PingRun>>;
  echo?: false;
  /** --tls */
  tlsFlag?: true;
}

type Ping = 'gateway' | 'target' | 'large' | 'small';
type PingRun = { stdout: string; stderr?: string; exitCode?: number };

/**
 * iputils ping's output, as it prints it under LC_ALL=C: one line per reply (a time) or ICMP error (`From ...`),
 * then its statistics line.
 */
function pingText(host: string, size: number, lines: Array<number | string | null>): PingRun {
  const replies = lines.filter((l) => typeof l === 'number').length;
  const errors = lines.filter((l) => typeof l === 'string').length;
  const body = lines.flatMap((l, i) => {
    if (typeof l === 'number') return [`${size + 8} bytes from ${host}: icmp_seq=${i + 1} ttl=63 time=${l} ms`];
    if (typeof l === 'string') return [`From ${l.split(' ')[0]} icmp_seq=${i + 1} ${l.split(' ').slice(1).join(' ')}`];
    return [];
  });
  const loss = Math.round(((lines.length - replies) / lines.length) * 100);
  const stats = `${lines.length} packets transmitted, ${replies} received${errors ? `, +${errors} errors` : ''}, ${loss}% packet loss, time 400ms`;
  return {
    stdout: `PING ${host} (${host}) ${size}(${size + 28}) bytes of data.\n${body.join('\n')}\n\n--- ${host} ping statistics ---\n${stats}\n`,
    exitCode: replies ? 0 : 1,
  };
}

function run(s: Scene): Diagnosis {
  const target = parseTarget(s.target, { tls: s.tlsFlag === true }) as DiagnoseTarget;
  const facts: FactsSnapshot = {
    schema: 'plumbline/facts/v1',
    host: { hostname: 'h1', kernel: '6.1', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'local' },
    routes: {
      source: 'ip',
      routes: parseIpRoutes(IP_ROUTES, 4),
      rules: [
        { family: 4, priority: 0, action: 'lookup', table: 'local' },
        { family: 4, priority: 32766, action: 'lookup', table: 'main' },
      ],
      local: parseLocalDestinations(IP_ROUTES),
    },
    interfaces: { eth0: { ...ETH0, ...s.eth0 } },
    neighbours: { entries: s.neighbours ?? [], noNeighbours: {} },
    sockets: {
      listeners: (s.listeners ?? []).map((l) => ({
        protocol: 'tcp',
        family: 4,
        address: l.address,
        port: l.port,
        dualStack: false,
        uid: 0,
        inode: 1,
        owners: [],
      })),
      tcpStates: s.tcpStates ?? {},
      tcpPiling: s.tcpPiling ?? { SYN_SENT: {}, CLOSE_WAIT: {} },
      ownersComplete: true,
    },
    probes: {},
  } as FactsSnapshot;
  const probes = facts.probes!;
  if (target.port !== undefined) {
    const address = target.address ?? s.dns?.answers[0] ?? '';
    probes[`tcp ${target.host}:${target.port}`] = {
      host: target.host,
      port: target.port,
      addresses:
        s.dns?.resolves === false
          ? []
          : [{ address, family: 4, connect: 'open', attempts: 1, succeeded: 1, latency: { count: 1, p50Ms: 0.4, p95Ms: 0.4, maxMs: 0.4 }, ...s.tcp }],
      ...(s.dns?.resolves === false ? { error: { code: 'ENOTFOUND', reason: 'the name does not resolve' } } : {}),
    };
  }
  if (target.address === undefined && s.dns) {
    probes[`dns ${target.host} ADDRESS`] = {
      name: target.host,
      type: 'ADDRESS',
      resolves: s.dns.resolves,
      answers: s.dns.answers.map((value) => ({ type: 'A', value })),
      latencyMs: 1,
      ...(s.dns.error ? { error: s.dns.error } : {}),
    };
  }
  if (target.url !== undefined) {
    probes[`http GET ${target.url}`] = {
      url: target.url,
      method: 'GET',
      headers: {},
      timings: { totalMs: 2 },
      ...(s.http?.status !== undefined || !s.http ? { status: s.http?.status ?? 200 } : {}),
      ...(s.http?.error ? { error: s.http.error } : {}),
    };
  }
  if (target.tls && target.port !== undefined) {
    const addr = target.address ?? '';
    probes[`tls ${target.host}:${target.port}`] = {
      host: target.host,
      port: target.port,
      servername: null,
      hostname: target.host,
      addresses: [
        { address: addr, family: 4, full: s.tls ? { error: s.tls } : ({ handshake: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' } } as never) },
      ],
    } as never;
  }
  const upper = upperChecks(target, 5000);
  const address = addressOf(target, facts);
  const pings = address !== undefined ? pingChecks(address, facts, 5000) : [];
  facts.icmp = { pings: pingFacts(pings, s.pings ?? {}, s.echo !== false), tracepaths: {} };
  const local = address !== undefined && pathOf(address, facts)?.local === true;
  const checks = [...(address !== undefined ? lowerChecks(address, facts, 5000) : []), ...pings, ...upper, healthCheck(target, address, local, 5000)];
  const results = evaluate({ name: 'd', sources: [], vars: {}, defaults: { timeout: 5000, failUnder: 0 }, checks }, facts, new Date(facts.host.collectedAt));
  const path = address !== undefined ? pathOf(address, facts) : undefined;
  return diagnose({ target, ...(address !== undefined ? { address } : {}), ...(path ? { path } : {}), results: results.map(worded), facts });
}

/** The icmp family's facts for diagnose's pings, read by its own parser from what ping printed. */
function pingFacts(checks: Check[], runs: Partial<Record<Ping, PingRun>>, echo: boolean): IcmpFact['pings'] {
  const out: IcmpFact['pings'] = {};
  const read = (r: PingRun) => readPing({ stderr: '', exitCode: 0, ...r });
  for (const c of checks) {
    if (c.selector.kind === 'icmp') {
      const spec = c.selector.spec;
      const which: Ping = c.id === 'diagnose.icmp.gateway' ? 'gateway' : 'target';
      out[pingKey({ ...spec, dontFragment: false })] = read(runs[which] ?? pingText(spec.host, spec.size, Array(3).fill(echo ? 0.4 : null)));
    }
    if (c.selector.kind === 'mtu') {
      const { large, small } = mtuPings(c.selector.spec.host, c.selector.spec.size);
      out[large.key] = read(runs.large ?? pingText(large.host, large.size, Array(2).fill(echo ? 0.4 : null)));
      out[small.key] = read(runs.small ?? pingText(small.host, small.size, Array(2).fill(echo ? 0.4 : null)));
    }
  }
  return out;
}

const states = (d: Diagnosis): Partial<Record<LayerName, string>> => Object.fromEntries(d.layers.map((l) => [l.name, l.state]));
const layer = (d: Diagnosis, n: LayerName) => d.layers.find((l) => l.name === n)!;
/** What ping says where it has no raw socket and ping_group_range admits no group. */
const CANNOT_SEND: PingRun = { stdout: '', stderr: 'ping: socket: Operation not permitted\n', exitCode: 2 };
const REACHABLE: NeighbourFact = { family: 4, address: '198.19.48.2', dev: 'eth0', lladdr: '02:00:00:00:00:02', state: ['REACHABLE'] };

describe('diagnose: the layers bottom-up', () => {
  it('a healthy target behind a gateway: every layer passes, ICMP to the gateway and the target and a 1500-byte probe included, exit 0', () => {
    const d = run({ target: 'http://198.19.50.7:8080/', neighbours: [REACHABLE] });
    expect(states(d)).toEqual({
      link: 'pass',
      neighbour: 'pass',
      route: 'pass',
      'icmp-gateway': 'pass',
      'icmp-target': 'pass',
      'path-mtu': 'pass',
      dns: 'skip',
      tcp: 'pass',
      tls: 'absent',
      http: 'pass',
    });
    expect(d).toMatchObject({ verdict: 'answers', path: { device: 'eth0', gateway: '198.19.48.2', local: false } });
    expect(d.stoppedAt).toBeUndefined();
    expect(diagnosisExitCode(d)).toBe(0);
    expect(layer(d, 'route').from).toBe('audited-host');
    expect(layer(d, 'tcp').from).toBe('auditing-machine');
    expect(layer(d, 'neighbour').result?.actual).toMatch(/^198\.19\.48\.2 dev eth0 lladdr .* REACHABLE$/);
  });

  it('no route: the way stops at the route ("Network is unreachable"), the link and next hop are not judged, TCP is not reached', () => {
    const d = run({
      target: '198.19.60.1:22',
      tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'ENETUNREACH', reason: 'network unreachable' } },
    });
    expect(d.stoppedAt).toBe('route');
    expect(states(d)).toMatchObject({ link: 'skip', neighbour: 'skip', route: 'fail', tcp: 'not-reached' });
    expect(layer(d, 'route').symptom).toEqual({ code: 'no-route', address: '198.19.60.1', refused: false });
    expect(symptomWords(layer(d, 'route').symptom!)).toBe('Network is unreachable: no route to 198.19.60.1');
    expect(diagnosisExitCode(d)).toBe(1);
  });

  it('the gateway nobody answers: FAILED stops the way at the neighbour, TCP (host unreachable) is not reached', () => {
    const failed: NeighbourFact = { family: 4, address: '198.19.48.2', dev: 'eth0', state: ['FAILED'] };
    const d = run({
      target: '198.19.50.7:22',
      neighbours: [failed],
      echo: false,
      tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'EHOSTUNREACH', reason: 'host unreachable' } },
    });
    expect(d.stoppedAt).toBe('neighbour');
    expect(layer(d, 'neighbour').symptom).toEqual({ code: 'neighbour-failed', address: '198.19.48.2', device: 'eth0', state: ['FAILED'], gateway: true });
    expect(symptomWords(layer(d, 'neighbour').symptom!)).toMatch(/^Destination Host Unreachable: the gateway 198\.19\.48\.2 did not answer ARP on eth0/);
    expect(states(d)).toMatchObject({ route: 'not-reached', tcp: 'not-reached', tls: 'absent', http: 'absent' });
    expect(d.verdict).toBe('unreachable');
  });

  it("a host unreachable with no neighbour entry seen, where ICMP cannot be sent: the TCP connect says which, in the field's terms", () => {
    const d = run({
      target: '198.19.50.7:22',
      pings: Object.fromEntries((['gateway', 'target', 'large', 'small'] as const).map((p) => [p, CANNOT_SEND])),
      tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'EHOSTUNREACH', reason: 'host unreachable' } },
    });
    expect(states(d)).toMatchObject({ neighbour: 'skip', tcp: 'fail' });
    expect(symptomWords(layer(d, 'tcp').symptom!)).toBe("Destination Host Unreachable (198.19.50.7): no route, or the gateway's ARP failed");
  });

  it('a filtered port: timeout, "a firewall drops it or the host is down"', () => {
    const d = run({
      target: '198.19.48.2:8443',
      neighbours: [REACHABLE],
      tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'TIMEOUT', reason: 'no answer within 5 s' } },
    });
    expect(d.stoppedAt).toBe('tcp');
    expect(symptomWords(layer(d, 'tcp').symptom!)).toBe('timeout connecting to 198.19.48.2:8443: a firewall drops it or the host is down');
  });

  it('refused on this host: the port bound to 127.0.0.1 only is named', () => {
    const d = run({
      target: '198.19.48.1:5432',
      tcp: { connect: 'refused', succeeded: 0, latency: undefined, error: { code: 'ECONNREFUSED', reason: 'refused' } },
      listeners: [{ address: '127.0.0.1', port: 5432 }],
    });
    expect(d.path).toEqual({ device: 'lo', local: true });
    expect(states(d)).toMatchObject({ link: 'skip', neighbour: 'skip', route: 'skip', tcp: 'fail' });
    expect(layer(d, 'tcp').symptom).toEqual({ code: 'refused', address: '198.19.48.1', port: 5432, boundTo: ['127.0.0.1:5432'] });
    expect(symptomWords(layer(d, 'tcp').symptom!)).toBe('refused: nothing listens on 198.19.48.1:5432; the host listens on 127.0.0.1:5432 only');
  });

  it('refused elsewhere asks whether it is bound to 127.0.0.1; a refusal proves the path, so a lossy link below is a warning, not the stop', () => {
    const d = run({
      target: '198.19.48.2:5432',
      neighbours: [REACHABLE],
      eth0: { stats: { rx_packets: 1000, tx_packets: 1000, rx_errors: 50, tx_errors: 0, rx_dropped: 0, tx_dropped: 0 } },
      tcp: { connect: 'refused', succeeded: 0, latency: undefined, error: { code: 'ECONNREFUSED', reason: 'refused' } },
    });
    expect(d.stoppedAt).toBe('tcp');
    expect(states(d)).toMatchObject({ link: 'warn', tcp: 'fail' });
    expect(layer(d, 'link').symptom).toEqual({ code: 'link-errors', device: 'eth0', counters: ['rx_errors'] });
    expect(symptomWords(layer(d, 'tcp').symptom!)).toBe('refused: nothing listens on 198.19.48.2:5432 (is it bound to 127.0.0.1?)');
  });

  it('a link down stops the way at the link when the service does not answer', () => {
    const d = run({
      target: '198.19.48.2:22',
      eth0: { operstate: 'down', carrier: false },
      echo: false,
      tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'TIMEOUT', reason: 'no answer' } },
    });
    expect(d.stoppedAt).toBe('link');
    expect(layer(d, 'link').symptom).toEqual({ code: 'no-carrier', device: 'eth0' });
  });

  it('a TLS port that speaks plain HTTP: TCP passes, TLS stops the way, the service answers wrongly', () => {
    const d = run({
      target: '198.19.48.2:443',
      neighbours: [REACHABLE],
      tls: { code: 'NOT_TLS', reason: 'the port answered in HTTP (HTTP/1.1 400 Bad Request)' },
      http: { error: { code: 'EPROTO', reason: 'the port answered, but not in TLS' } },
    });
    expect(d.stoppedAt).toBe('tls');
    expect(d.verdict).toBe('answers-wrongly');
    expect(layer(d, 'tls').symptom).toEqual({ code: 'tls-not-tls', port: 443 });
    expect(layer(d, 'tls').result?.message).toContain('HTTP/1.1 400 Bad Request');
    expect(states(d)).toMatchObject({ tcp: 'pass', tls: 'fail', http: 'not-reached' });
    expect(diagnosisExitCode(d)).toBe(1);
  });

  it('a TLS port that refuses: the way stops at the TCP connect, not at TLS (a refusal proves only the path below TCP)', () => {
    const refused = { connect: 'refused' as const, succeeded: 0, latency: undefined, error: { code: 'ECONNREFUSED', reason: 'refused' } };
    for (const given of ['198.19.48.2:443', 'https://198.19.48.2:8443/', '198.19.48.2:9000']) {
      const t = parseTarget(given, { tls: true }) as DiagnoseTarget;
      const d = run({
        target: t.given,
        tls: { code: 'ECONNREFUSED', reason: 'connect ECONNREFUSED 198.19.48.2:443' },
        http: { error: { code: 'ECONNREFUSED', reason: 'refused' } },
        neighbours: [REACHABLE],
        tcp: refused,
        tlsFlag: true,
      });
      expect(d.stoppedAt).toBe('tcp');
      expect(states(d)).toMatchObject({ tcp: 'fail', tls: 'not-reached' });
      expect(layer(d, 'tcp').symptom).toMatchObject({ code: 'refused', port: t.port });
      expect(renderDiagnosisPretty(d, { color: false })).toMatch(/cannot be reached: stopped at TCP connect\n$/);
    }
  });

  it('an HTTP 503: the service answers wrongly', () => {
    const d = run({ target: '198.19.48.2:8080', neighbours: [REACHABLE], http: { status: 503 } });
    expect(d).toMatchObject({ stoppedAt: 'http', verdict: 'answers-wrongly' });
    expect(layer(d, 'http').symptom).toEqual({ code: 'http-server-error', status: 503 });
  });

  it('a name: DNS is judged, and the lower layers follow the address it resolved to', () => {
    const d = run({ target: 'app.diag.test:8080', neighbours: [REACHABLE], dns: { resolves: true, answers: ['198.19.50.9'] } });
    expect(d.address).toBe('198.19.50.9');
    expect(states(d)).toMatchObject({ route: 'pass', neighbour: 'pass', dns: 'pass', tcp: 'pass', http: 'pass' });
    expect(d.verdict).toBe('answers');
  });

  it('a name that does not resolve: the way stops at DNS, no address for the lower layers', () => {
    const d = run({
      target: 'nope.diag.test:80',
      dns: { resolves: false, answers: [], error: { code: 'ENOTFOUND', reason: 'no such name' } },
      http: { error: { code: 'ENOTFOUND', reason: 'no such name' } },
    });
    expect(d.stoppedAt).toBe('dns');
    expect(d.address).toBeUndefined();
    expect(layer(d, 'dns').symptom).toEqual({ code: 'dns-fails', name: 'nope.diag.test', errorCode: 'ENOTFOUND' });
    expect(states(d)).toMatchObject({ link: 'skip', route: 'skip', tcp: 'not-reached' });
  });

  it("SYN_SENT toward the target and CLOSE_WAIT on its port piling up are warnings beside the layers, never the stop; other peers' are not counted", () => {
    const tcpStates = { SYN_SENT: 90, CLOSE_WAIT: 700 };
    const d = run({
      target: '198.19.48.2:8080',
      neighbours: [REACHABLE],
      tcpStates,
      tcpPiling: { SYN_SENT: { 'to 198.19.48.2:8080': 40, 'to 198.19.48.9:80': 50 }, CLOSE_WAIT: { 'to 198.19.48.2:8080': 500, 'on 22': 200 } },
    });
    expect(d.verdict).toBe('answers');
    expect(d.health).toMatchObject({
      state: 'warn',
      symptoms: [
        { code: 'syn-sent-piling', count: 40, limit: 20, of: { address: '198.19.48.2', port: 8080 } },
        { code: 'close-wait-piling', count: 500, limit: 100, of: { address: '198.19.48.2', port: 8080 } },
      ],
    });
    expect(d.health?.result.actual).toBe('SYN_SENT 40 toward 198.19.48.2:8080, CLOSE_WAIT 500 toward 198.19.48.2:8080');
    expect(symptomWords(d.health!.symptoms[0]!)).toMatch(/^40 connections wait in SYN_SENT toward 198\.19\.48\.2:8080 \(over 20\)/);
    // Another peer's piles, however high host-wide, are not this target's.
    const other = run({
      target: '198.19.48.2:8080',
      neighbours: [REACHABLE],
      tcpStates,
      tcpPiling: { SYN_SENT: { 'to 198.19.48.9:80': 90 }, CLOSE_WAIT: { 'on 22': 700 } },
    });
    expect(other.health).toMatchObject({ state: 'pass', symptoms: [] });
  });

  it('the target on this host: CLOSE_WAIT counted on its port (its service), SYN_SENT toward it', () => {
    const d = run({ target: '198.19.48.1:5432', tcpPiling: { SYN_SENT: {}, CLOSE_WAIT: { 'on 5432': 150, 'to 198.19.48.1:5432': 3 } } });
    expect(d.path?.local).toBe(true);
    expect(d.health?.symptoms).toEqual([{ code: 'close-wait-piling', count: 150, limit: 100, of: { port: 5432 } }]);
    expect(symptomWords(d.health!.symptoms[0]!)).toMatch(/^150 sockets sit in CLOSE_WAIT on port 5432 \(over 100\)/);
  });

  it('a bare host: no port to count for, the host-wide counts', () => {
    const d = run({ target: '198.19.48.2', neighbours: [REACHABLE], tcpStates: { SYN_SENT: 30, CLOSE_WAIT: 0 } });
    expect(d.health?.symptoms).toEqual([{ code: 'syn-sent-piling', count: 30, limit: 20 }]);
  });

  const TIMEOUT = { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'TIMEOUT', reason: 'no answer within 5 s' } } as const;
  const GW = '198.19.48.2';
  const FAR = '198.19.50.7';

  it('ICMP to the target filtered while TCP gets through: warnings (no echo reply; no path-MTU verdict), exit 0', () => {
    const d = run({
      target: `${FAR}:8080`,
      neighbours: [REACHABLE],
      pings: { target: pingText(FAR, 56, [null, null, null]), large: pingText(FAR, 1472, [null, null]), small: pingText(FAR, 56, [null, null]) },
    });
    expect(d.verdict).toBe('answers');
    expect(states(d)).toMatchObject({ 'icmp-gateway': 'pass', 'icmp-target': 'warn', 'path-mtu': 'warn', tcp: 'pass' });
    expect(layer(d, 'icmp-target').symptom).toEqual({ code: 'icmp-no-reply', host: FAR });
    expect(symptomWords(layer(d, 'icmp-target').symptom!)).toBe(`no echo reply from ${FAR}: ICMP is filtered on the way, or the host is down`);
    expect(layer(d, 'path-mtu').symptom).toEqual({ code: 'path-mtu-unjudged', host: FAR });
    expect(diagnosisExitCode(d)).toBe(0);
  });

  it('no echo reply and a TCP timeout: the way stops at ICMP to the target', () => {
    const silent = pingText(FAR, 56, [null, null, null]);
    const d = run({ target: `${FAR}:22`, neighbours: [REACHABLE], tcp: TIMEOUT, pings: { target: silent, large: silent, small: silent } });
    expect(d.stoppedAt).toBe('icmp-target');
    expect(states(d)).toMatchObject({ 'icmp-gateway': 'pass', 'icmp-target': 'fail', 'path-mtu': 'not-reached', tcp: 'not-reached' });
  });

  it('Destination Host Unreachable from the gateway: the stop at ICMP to the target says so', () => {
    const un = `${GW} Destination Host Unreachable`;
    const d = run({
      target: `${FAR}:22`,
      neighbours: [REACHABLE],
      tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'EHOSTUNREACH', reason: 'host unreachable' } },
      pings: { target: pingText(FAR, 56, [un, un, un]), large: pingText(FAR, 1472, [un, un]), small: pingText(FAR, 56, [un, un]) },
    });
    expect(d.stoppedAt).toBe('icmp-target');
    expect(layer(d, 'icmp-target').symptom).toEqual({ code: 'host-unreachable', address: FAR });
    expect(symptomWords(layer(d, 'icmp-target').symptom!)).toBe(`Destination Host Unreachable (${FAR}): no route, or the gateway's ARP failed`);
  });

  it('loss with replies explains no TCP timeout: a loss warning below, the stop at TCP', () => {
    const d = run({ target: `${FAR}:22`, neighbours: [REACHABLE], tcp: TIMEOUT, pings: { target: pingText(FAR, 56, [0.5, null, 0.5]) } });
    expect(d.stoppedAt).toBe('tcp');
    expect(layer(d, 'icmp-target')).toMatchObject({ state: 'warn', symptom: { code: 'icmp-loss', host: FAR, lossPercent: 33 } });
    // ping's own precision (two of three lost: 66.6667%), said to a tenth.
    expect(symptomWords({ code: 'icmp-loss', host: FAR, lossPercent: 66.6667 })).toMatch(/^66\.7 % of ICMP to 198\.19\.50\.7 is lost \(over 1 %\)/);
  });

  it('latency is judged on the LAN only: a slow gateway warns, a slow target beyond it does not', () => {
    const d = run({
      target: `${FAR}:8080`,
      neighbours: [REACHABLE],
      pings: { gateway: pingText(GW, 56, [150, 160, 170]), target: pingText(FAR, 56, [300, 310, 320]) },
    });
    expect(d.verdict).toBe('answers');
    expect(layer(d, 'icmp-gateway')).toMatchObject({ state: 'warn', symptom: { code: 'icmp-latency', host: GW, rttMs: 160 } });
    expect(layer(d, 'icmp-target').state).toBe('pass');
    const onLink = run({ target: `${GW}:8080`, neighbours: [REACHABLE], pings: { target: pingText(GW, 56, [150, 160, 170]) } });
    expect(states(onLink)).toMatchObject({ 'icmp-gateway': 'skip', 'icmp-target': 'warn' });
  });

  it("a router reporting a smaller MTU: a warning naming the path MTU below the egress interface's, exit 0", () => {
    const frag = `${GW} Frag needed and DF set (mtu = 1400)`;
    const d = run({ target: `${FAR}:8080`, neighbours: [REACHABLE], pings: { large: pingText(FAR, 1472, [frag, frag]) } });
    expect(d.verdict).toBe('answers');
    expect(layer(d, 'path-mtu')).toMatchObject({ state: 'warn', symptom: { code: 'path-mtu-below', pathMtu: 1400, linkMtu: 1500, from: GW } });
    expect(symptomWords(layer(d, 'path-mtu').symptom!)).toMatch(
      /^the path MTU is 1400 \(fragmentation needed, from 198\.19\.48\.2\), below the egress interface's 1500/,
    );
  });

  it('a blackhole: a warning while the service answers; the stop when TCP connects but HTTP gets nothing back', () => {
    const pings = { large: pingText(FAR, 1472, [null, null]) };
    const ok = run({ target: `${FAR}:8080`, neighbours: [REACHABLE], pings });
    expect(layer(ok, 'path-mtu')).toMatchObject({ state: 'warn', symptom: { code: 'path-mtu-blackhole', size: 1500 } });
    const hung = run({ target: `${FAR}:8080`, neighbours: [REACHABLE], pings, http: { error: { code: 'TIMEOUT', reason: 'no response' } } });
    expect(hung).toMatchObject({ stoppedAt: 'path-mtu', verdict: 'unreachable' });
    expect(states(hung)).toMatchObject({ 'path-mtu': 'fail', tcp: 'pass', http: 'not-reached' });
    // Under a TCP timeout, the small packets of a connect do not vanish for their size: the stop is TCP.
    const timeout = run({ target: `${FAR}:8080`, neighbours: [REACHABLE], pings, tcp: TIMEOUT, http: { error: { code: 'TIMEOUT', reason: 'no response' } } });
    expect(timeout.stoppedAt).toBe('tcp');
  });

  it('ICMP that cannot be sent: an error on its layers, never the stop; the rest judged', () => {
    const cannot = CANNOT_SEND;
    const d = run({ target: `${FAR}:22`, neighbours: [REACHABLE], tcp: TIMEOUT, pings: { gateway: cannot, target: cannot, large: cannot, small: cannot } });
    expect(d.stoppedAt).toBe('tcp');
    expect(layer(d, 'icmp-gateway')).toMatchObject({ state: 'warn', symptom: { code: 'icmp-cannot-send', why: 'no-socket' }, result: { status: 'error' } });
    expect(layer(d, 'path-mtu').symptom).toEqual({ code: 'icmp-cannot-send', why: 'no-socket' });
  });

  it('a bare host: its echo replies decide whether it answers', () => {
    const up = run({ target: FAR, neighbours: [REACHABLE] });
    expect(up.verdict).toBe('answers');
    const silent = pingText(FAR, 56, [null, null, null]);
    const down = run({ target: FAR, neighbours: [REACHABLE], pings: { target: silent, large: pingText(FAR, 1472, [null, null]), small: silent } });
    expect(down).toMatchObject({ verdict: 'unreachable', stoppedAt: 'icmp-target' });
    expect(diagnosisExitCode(down)).toBe(1);
  });

  it("this host's own address with no port answers, delivered through loopback, whether given as an address or a name", () => {
    for (const [given, dns] of [
      ['127.0.0.1', undefined],
      ['::1', undefined],
      ['198.19.48.1', undefined],
      ['localhost', ['127.0.0.1']],
    ] as const) {
      const d = run({ target: given, ...(dns ? { dns: { resolves: true, answers: [...dns] } } : {}) });
      expect(d.path?.local).toBe(true);
      expect(d).toMatchObject({ verdict: 'answers' });
      expect(d.stoppedAt).toBeUndefined();
      expect(diagnosisExitCode(d)).toBe(0);
      expect(renderDiagnosisPretty(d, { color: false })).toMatch(
        new RegExp(`\\n${given.replace(/\./g, '\\.')} answers: the target is this host's own address: delivered through loopback\\n$`),
      );
    }
  });

  it('the renderers say the stop, its meaning and the verdict', () => {
    const d = run({ target: '198.19.60.1:22', tcp: { connect: 'filtered', succeeded: 0, latency: undefined, error: { code: 'ENETUNREACH', reason: 'x' } } });
    const pretty = renderDiagnosisPretty(d, { color: false });
    expect(pretty).toContain('→ Network is unreachable: no route to 198.19.60.1');
    expect(pretty).toMatch(/198\.19\.60\.1:22 cannot be reached: stopped at route\n$/);
    const md = renderDiagnosisMarkdown(d);
    expect(md).toMatch(/^## 198\.19\.60\.1:22 cannot be reached: stopped at route/);
    expect(md).toContain('| ❌ | route |');
  });
});

describe('diagnose: JSON', () => {
  it("keeps the codes and the schema, and says beside them the words pretty prints: each layer's line, each meaning, the verdict", () => {
    const d = run({
      target: '198.19.48.1:5432',
      tcp: { connect: 'refused', succeeded: 0, latency: undefined, error: { code: 'ECONNREFUSED', reason: 'refused' } },
      tcpPiling: { SYN_SENT: {}, CLOSE_WAIT: { 'on 5432': 150 } },
    });
    const json = JSON.parse(renderDiagnosisJson(d));
    const pretty = renderDiagnosisPretty(d, { color: false });
    expect(json.schema).toBe('plumbline/diagnosis/v1');
    expect(json.headline).toBe('198.19.48.1:5432 cannot be reached: stopped at TCP connect');
    const tcp = json.layers.find((l: { name: string }) => l.name === 'tcp');
    expect(tcp).toMatchObject({ state: 'fail', judged: 'from this machine', symptom: { code: 'refused', port: 5432 } });
    for (const l of json.layers.filter((x: { state: string }) => x.state !== 'absent')) expect(pretty).toContain(`${l.judged.padEnd(22)}  ${l.seen}`);
    expect(pretty).toContain(`→ ${tcp.symptom.meaning}\n`);
    expect(tcp.symptom.meaning).toBe('refused: nothing listens on port 5432 of the host at all: the service is not running, or listens on another port');
    expect(json.health.symptoms).toEqual([
      {
        code: 'close-wait-piling',
        count: 150,
        limit: 100,
        of: { port: 5432 },
        meaning: '150 sockets sit in CLOSE_WAIT on port 5432 (over 100): a local service does not close connections its peers closed',
      },
    ]);
    expect(pretty).toContain(json.health.symptoms[0].meaning);
  });
});

describe('diagnose: targets', () => {
  it.each([
    ['example.test', { host: 'example.test', tls: false }],
    ['198.19.48.2', { host: '198.19.48.2', address: '198.19.48.2', family: 4, tls: false }],
    ['198.19.48.2:443', { host: '198.19.48.2', port: 443, tls: true, url: 'https://198.19.48.2/' }],
    ['[fd00::1]:8080', { host: 'fd00::1', address: 'fd00::1', port: 8080, tls: false, url: 'http://[fd00::1]:8080/' }],
    ['fd00::1', { host: 'fd00::1', address: 'fd00::1', family: 6 }],
    ['https://app.test:8443/health', { host: 'app.test', port: 8443, tls: true, url: 'https://app.test:8443/health' }],
    ['app.test:22', { host: 'app.test', port: 22, tls: false }],
  ])('%s', (given, want) => {
    expect(parseTarget(given)).toMatchObject(want);
  });

  it.each([
    ['', /empty/],
    ['app.test:99999', /port 99999 is not 1-65535/],
    ['ftp://app.test/', /scheme must be http or https/],
    ['fd00::1:80:x', /not a host, host:port/],
    ['bad_host!:80', /not a valid host name/],
  ])('%s is refused with a reason', (given, why) => {
    const t = parseTarget(given);
    expect('why' in t && t.why).toMatch(why);
  });
});

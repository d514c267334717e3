// The neighbour kind judged on the neighbour table captured in a namespace pair (fixtures/neigh/ns.ip-neigh.json:
// 198.18.121.1 DELAY, .5 PERMANENT, .9 FAILED, .10 INCOMPLETE, the peer's link-local address REACHABLE; tun7 a
// point-to-point link) and on default routes through each of them.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/evaluate/kinds/neighbour.js';
import { neighboursFamily, parseIpNeigh } from '../../../src/facts/families/neighbours.js';
import type { FactsSnapshot, NeighboursFact, RouteFact } from '../../../src/facts/model.js';
import type { CheckOf } from '../../../src/policy/model.js';
import { checkOf } from '../../helpers/checks.js';
import { readFamily } from '../../helpers/family.js';
import { fixtureReader, replayTransport } from '../../helpers/replay.js';
import { wordedOutcome } from '../../helpers/worded.js';

const PEER6 = 'fe80::8091:b2ff:fe39:e18f';
const neighbours: NeighboursFact = { entries: parseIpNeigh(fixtureReader('neigh')('ns.ip-neigh.json')), noNeighbours: { tun7: ['POINTOPOINT', 'NOARP'] } };

const facts = (routes: RouteFact[], extra: Partial<FactsSnapshot> = {}): FactsSnapshot => ({
  schema: 'plumbline/facts/v1',
  host: { hostname: 'h', kernel: 'k', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'replay' },
  neighbours,
  routes: { source: 'ip', routes },
  ...extra,
});
const via = (gw: string, dev = 'veth0', family: 4 | 6 = 4): RouteFact => ({ family, dest: 'default', metric: 0, table: 'main', dev, via: gw });
const veth: RouteFact = { family: 4, dest: '198.18.121.0/24', metric: 0, table: 'main', dev: 'veth0' };

type Target = CheckOf<'neighbour'>['selector']['target'];
const check = (target: Target, resolved = true) => checkOf<'neighbour'>('nb', { kind: 'neighbour', target }, { resolved });
const judge = (target: Target, f: FactsSnapshot, resolved = true) => wordedOutcome(evaluate(check(target, resolved), f));
const GW: Target = { gateway: 'default' };

describe('neighbour: the default gateway the kernel would use', () => {
  it('FAILED: the gateway did not answer ARP, and the check fails', () => {
    expect(judge(GW, facts([via('198.18.121.9'), veth]))).toMatchObject({
      status: 'fail',
      actual: '198.18.121.9 dev veth0 FAILED',
      message: 'neighbour 198.18.121.9 on veth0 is FAILED: it did not answer ARP',
      reason: { code: 'neighbour-state', address: '198.18.121.9', device: 'veth0', state: ['FAILED'], holds: false },
    });
  });

  it('INCOMPLETE fails too', () => {
    expect(judge(GW, facts([via('198.18.121.10')]))).toMatchObject({
      status: 'fail',
      message: 'neighbour 198.18.121.10 on veth0 is INCOMPLETE: it did not answer ARP',
    });
  });

  it('DELAY and PERMANENT are resolved: pass, saying the entry', () => {
    expect(judge(GW, facts([via('198.18.121.1')]))).toMatchObject({ status: 'pass', message: '198.18.121.1 dev veth0 lladdr 82:91:b2:39:e1:8f DELAY' });
    expect(judge(GW, facts([via('198.18.121.5')]))).toMatchObject({ status: 'pass', message: '198.18.121.5 dev veth0 lladdr 02:00:00:00:00:05 PERMANENT' });
  });

  it('resolved: false holds of FAILED and fails on a resolved entry', () => {
    expect(judge(GW, facts([via('198.18.121.9')]), false).status).toBe('pass');
    expect(judge(GW, facts([via('198.18.121.1')]), false)).toMatchObject({ status: 'fail', message: 'neighbour 198.18.121.1 on veth0 is DELAY: resolved' });
  });

  it('the route the kernel would use decides: the lower metric of two defaults', () => {
    const f = facts([
      { ...via('198.18.121.9'), metric: 200 },
      { ...via('198.18.121.1'), metric: 100 },
    ]);
    expect(judge(GW, f).status).toBe('pass');
  });

  it('a default through a point-to-point link (tun) is skipped, with that reason', () => {
    const tun: RouteFact = { family: 4, dest: 'default', metric: 0, table: 'main', dev: 'tun7' };
    expect(judge(GW, facts([tun]))).toMatchObject({
      status: 'skip',
      message: 'tun7 is a point-to-point link: it resolves no neighbours',
      reason: { code: 'no-neighbours-link', device: 'tun7', flags: ['POINTOPOINT', 'NOARP'] },
    });
  });

  it('no default route: skipped, not failed', () => {
    expect(judge(GW, facts([veth]))).toMatchObject({
      status: 'skip',
      message: 'no default route: no gateway to resolve',
      reason: { code: 'no-gateway', dest: 'default' },
    });
  });

  it('an on-link default on an ARP link has no gateway to resolve', () => {
    const onLink: RouteFact = { family: 4, dest: 'default', metric: 0, table: 'main', dev: 'veth0' };
    expect(judge(GW, facts([onLink]))).toMatchObject({ status: 'skip', message: 'the default route has no gateway: it sends on-link through veth0' });
  });

  it('no entry for the gateway: the host has not spoken to it lately, and the result says so', () => {
    expect(judge(GW, facts([via('198.18.121.77')]))).toMatchObject({
      status: 'skip',
      message: 'no neighbour entry for 198.18.121.77 on veth0: the host has not spoken to it lately',
    });
  });

  it("an entry of the same address on another link is not the gateway's", () => {
    expect(judge(GW, facts([via('198.18.121.9', 'eth1')])).status).toBe('skip');
  });

  it('a multipath default: every gateway must be resolved', () => {
    const multi: RouteFact = {
      ...via('198.18.121.1'),
      nexthops: [
        { via: '198.18.121.1', dev: 'veth0' },
        { via: '198.18.121.9', dev: 'veth0' },
      ],
    };
    expect(judge(GW, facts([multi]))).toMatchObject({ status: 'fail', message: 'neighbour 198.18.121.9 on veth0 is FAILED: it did not answer ARP' });
  });

  it('default6: the IPv6 gateway, resolved over NDP; skipped where IPv6 is off', () => {
    const f = facts([via(PEER6, 'veth0', 6)]);
    expect(judge({ gateway: 'default6' }, f)).toMatchObject({ status: 'pass', message: `${PEER6} dev veth0 lladdr 82:91:b2:39:e1:8f REACHABLE` });
    // default: IPv4 first, IPv6 when IPv4 has no default.
    expect(judge(GW, f).status).toBe('pass');
    const off = facts([via(PEER6, 'veth0', 6)], { ipv6: { enabled: false, reason: 'no IPv6 stack' } });
    expect(judge({ gateway: 'default6' }, off)).toMatchObject({ status: 'skip', reason: { code: 'ipv6-off' } });
  });

  it('routes that could not be read are an error, not "no gateway"', () => {
    expect(judge(GW, facts([], { routes: { error: 'ip: timed out' } }))).toMatchObject({
      status: 'error',
      reason: { code: 'not-collected', family: 'routes' },
    });
  });

  it('a neighbour table that could not be read is an error', () => {
    expect(judge(GW, facts([via('198.18.121.1')], { neighbours: { error: '`ip` (iproute2) was not found' } }))).toMatchObject({
      status: 'error',
      reason: { code: 'not-collected', family: 'neighbours' },
    });
  });
});

describe('neighbour: an address', () => {
  it('judges every entry of the address, spelled any way', () => {
    expect(judge({ address: 'FE80:0:0::8091:b2ff:fe39:e18f' }, facts([])).status).toBe('pass');
    expect(judge({ address: '198.18.121.9' }, facts([]))).toMatchObject({
      status: 'fail',
      message: 'neighbour 198.18.121.9 on veth0 is FAILED: it did not answer ARP',
    });
  });

  it('no entry: skipped, saying the host has not spoken to it lately', () => {
    expect(judge({ address: '198.18.121.200' }, facts([]))).toMatchObject({
      status: 'skip',
      message: 'no neighbour entry for 198.18.121.200: the host has not spoken to it lately',
    });
  });

  it('a state that is neither resolved nor failed (NONE) is said, not judged', () => {
    const f = facts([], { neighbours: { entries: [{ family: 4, address: '198.18.121.3', dev: 'veth0', state: ['NONE'] }], noNeighbours: {} } });
    expect(judge({ address: '198.18.121.3' }, f)).toMatchObject({
      status: 'skip',
      message: 'neighbour 198.18.121.3 on veth0 is NONE: neither resolved nor failed',
    });
  });
});

describe('neighbour: the next hop toward an address', () => {
  const TO = (to: string): Target => ({ to });
  it('the gateway of the route the kernel picks, or the address itself on-link', () => {
    const f = facts([via('198.18.121.9'), veth]);
    expect(judge(TO('203.0.113.5'), f)).toMatchObject({ status: 'fail', reason: { code: 'neighbour-state', address: '198.18.121.9', holds: false } });
    expect(judge(TO('198.18.121.1'), f)).toMatchObject({ status: 'pass', actual: expect.stringMatching(/^198\.18\.121\.1 dev veth0 /) });
  });

  it("one of the host's own addresses: delivered through loopback, skipped", () => {
    const f = facts([via('198.18.121.9'), veth]);
    (f.routes as { local?: string[] }).local = ['127.0.0.0/8', '198.18.121.2'];
    expect(judge(TO('198.18.121.2'), f)).toMatchObject({
      status: 'skip',
      reason: { code: 'no-gateway', device: 'lo' },
      message: "198.18.121.2 is this host's own: delivered through loopback, with no neighbour to resolve",
    });
    // Loopback has no neighbours, whatever the table holds.
    expect(judge({ address: '127.0.0.1' }, f)).toMatchObject({ status: 'skip', reason: { code: 'no-gateway', device: 'lo' } });
  });

  it('no route toward it: skipped, the route check says why', () => {
    expect(judge(TO('203.0.113.5'), facts([veth]))).toMatchObject({ status: 'skip', message: 'no route to 203.0.113.5: no gateway to resolve' });
  });
});

describe('neighbour: read from /proc/net/arp where ip is missing (fixtures/neigh/proc.proc-net-arp.txt)', () => {
  // The family read without ip, as a host without iproute2 gives it.
  const proc = () =>
    readFamily(
      neighboursFamily,
      { timeoutMs: 10_000, afterPings: false },
      replayTransport({ files: { '/proc/net/arp': fixtureReader('neigh')('proc.proc-net-arp.txt') }, dirs: { '/sys/class/net': [] } }),
    );

  it('a resolved entry passes, though which resolved state it is the flags do not say', async () => {
    const f = facts([via('198.19.80.1')], { neighbours: await proc() });
    expect(judge(GW, f)).toMatchObject({ status: 'pass', message: '198.19.80.1 dev veth0 lladdr 72:f8:d5:3f:77:6c COMPLETE' });
    expect(judge({ address: '198.19.80.5' }, f)).toMatchObject({ status: 'pass', actual: '198.19.80.5 dev veth0 lladdr 02:00:00:00:00:05 PERMANENT' });
  });

  it('an entry without a link-layer address (FAILED or INCOMPLETE to ip) fails', async () => {
    const f = facts([via('198.19.80.9')], { neighbours: await proc() });
    expect(judge(GW, f)).toMatchObject({
      status: 'fail',
      message: 'neighbour 198.19.80.9 on veth0 is UNRESOLVED: it did not answer ARP',
      reason: { code: 'neighbour-state', state: ['UNRESOLVED'], holds: false },
    });
    expect(judge({ address: '198.19.80.10' }, f, false).status).toBe('pass');
  });

  it('an IPv6 neighbour is an error that says why, neither a skip nor a pass', async () => {
    const f = facts([via(PEER6, 'veth0', 6)], { neighbours: await proc() });
    const why = 'cannot judge neighbour fe80::1: IPv6 neighbours are unknown: `ip` (iproute2) was not found, and /proc/net/arp, read instead, holds IPv4 alone';
    expect(judge({ address: 'fe80::1' }, f)).toMatchObject({
      status: 'error',
      reason: { code: 'neighbours-unreadable', address: 'fe80::1', families: [6] },
      message: why,
    });
    expect(judge({ gateway: 'default6' }, f)).toMatchObject({ status: 'error', reason: { code: 'neighbours-unreadable', address: PEER6 } });
  });
});

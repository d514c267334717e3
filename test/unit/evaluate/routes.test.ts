// Route and interface checks judged on what the kernel would do, and root causes through the chosen route.
import { describe, expect, it } from 'vitest';
import { evaluateInterface } from '../../../src/evaluate/kinds/interface.js';
import { evaluateRoute } from '../../../src/evaluate/kinds/route.js';
import { attributeCauses } from '../../../src/evaluate/causes.js';
import type { Result } from '../../../src/evaluate/model.js';
import { wordedOutcome } from '../../helpers/worded.js';
import { checkOf, resultOf } from '../../helpers/checks.js';
import type { Check, CheckOf } from '../../../src/policy/model.js';
import type { FactsSnapshot, InterfaceFact, RouteFact, RoutesFact } from '../../../src/facts/model.js';
import { parseIpRoutes, parseIpRules } from '../../../src/facts/families/routes.js';
import { fixtureReader } from '../../helpers/replay.js';

const routes = fixtureReader('routes');

const check = checkOf;

function snapshot(extra: Partial<FactsSnapshot>): FactsSnapshot {
  return { schema: 'plumbline/facts/v1', host: { hostname: 'h', kernel: 'k', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'replay' }, ...extra };
}

function captured(name: 'kitchen' | 'wgquick' | 'blackhole'): RoutesFact {
  return {
    source: 'ip',
    routes: [...parseIpRoutes(routes(`${name}.ip-4-route.json`), 4), ...parseIpRoutes(routes(`${name}.ip-6-route.json`), 6)],
    rules: [...parseIpRules(routes(`${name}.ip-4-rule.json`), 4), ...parseIpRules(routes(`${name}.ip-6-rule.json`), 6)],
  };
}

const route = (dest: string, expect: CheckOf<'route'>['expect'], f: FactsSnapshot) =>
  wordedOutcome(evaluateRoute(check<'route'>('r', { kind: 'route', dest }, expect), dest, f));
const main = (rs: RouteFact[]): RoutesFact => ({
  source: 'ip',
  routes: rs,
  rules: [
    { family: 4, priority: 32766, action: 'lookup', table: 'main' },
    { family: 6, priority: 32766, action: 'lookup', table: 'main' },
  ],
});

describe('route checks', () => {
  it('judge the route the kernel picks, naming its table and the rule', () => {
    const f = snapshot({ routes: captured('kitchen') });
    const o = route('default', { via: '198.18.33.254', dev: 'd1' }, f);
    expect(o).toMatchObject({ status: 'pass', actual: 'default via 198.18.33.254 dev d1 (table 100, rule 70: not from all fwmark 0xca6c lookup 100)' });
    // The main table's lowest metric default is not the one the kernel uses here.
    expect(route('default', { via: '198.18.33.1' }, f)).toMatchObject({ status: 'fail', message: 'gateway is 198.18.33.254' });
  });

  it('check via and dev on the one route the kernel picks, not on any of several', () => {
    const f = snapshot({
      routes: main([
        { family: 4, dest: 'default', via: '198.18.32.1', dev: 'eth0', metric: 100, table: 'main' },
        { family: 4, dest: 'default', via: '198.18.33.1', dev: 'eth1', metric: 50, table: 'main' },
      ]),
    });
    expect(route('default', { via: '198.18.32.1', dev: 'eth1' }, f)).toMatchObject({ status: 'fail', message: 'gateway is 198.18.33.1' });
    expect(route('default', { via: '198.18.33.1', dev: 'eth1' }, f).status).toBe('pass');
    expect(route('default', { dev: 'eth0' }, f)).toMatchObject({ status: 'fail', message: 'device is eth1' });
  });

  it('compare gateways as addresses', () => {
    const f = snapshot({ routes: main([{ family: 6, dest: 'default', via: 'fe80::1', dev: 'eth0', metric: 1024, table: 'main' }]) });
    expect(route('default6', { via: 'fe80:0:0::1' }, f).status).toBe('pass');
    expect(route('default6', { via: { in: ['FE80::0:1', 'fe80::2'] } }, f).status).toBe('pass');
    expect(route('default6', { via: { ne: 'fe80:0::1' } }, f).status).toBe('fail');
  });

  it('a blackhole in the looked-up table is no route', () => {
    const f = snapshot({ routes: captured('blackhole') });
    expect(route('default', { exists: true }, f)).toMatchObject({
      status: 'fail',
      actual: 'blackhole default (table 100, rule 100: from all lookup 100); unreachable default metric 1024 (table 100, rule 100: from all lookup 100)',
    });
    expect(route('default', { exists: false }, f).status).toBe('pass');
  });

  it('say when the rules were unknown, and name rules passed over', () => {
    const old = snapshot({ routes: [{ family: 4, dest: 'default', via: '198.18.0.1', dev: 'eth0', metric: 0 }] });
    expect(route('default', { exists: true }, old)).toMatchObject({
      status: 'pass',
      message: 'default via 198.18.0.1 dev eth0 (table main, rule 32766: from all lookup main)',
    });
    const proc = snapshot({
      routes: {
        source: 'proc',
        routes: (old.routes as RouteFact[]).map((r) => ({ ...r, table: 'main' })),
        note: 'policy rules are unknown (`ip` (iproute2) was not found): ...',
      },
    });
    expect(route('default', { exists: true }, proc).message).toMatch(/\[policy rules are unknown \(`ip` \(iproute2\) was not found\): \.\.\.\]$/);
    const partial = snapshot({
      routes: {
        ...main((old.routes as RouteFact[]).map((r) => ({ ...r, table: 'main' }))),
        rules: [
          { family: 4, priority: 5, action: 'lookup', table: '7', selectors: { uidrange: '1000-1000' } },
          { family: 4, priority: 32766, action: 'lookup', table: 'main' },
        ],
      },
    });
    expect(route('default', { exists: true }, partial).message).toMatch(/\[passed over rule 5, which select only some packets\]$/);
  });

  it("an address alone: one of the host's own goes through loopback (the local table), as ip route get says", () => {
    const f = snapshot({
      routes: {
        ...main([{ family: 4, dest: 'default', via: '192.0.2.1', dev: 'eth0', metric: 0, table: 'main' }]),
        local: ['127.0.0.0/8', '127.0.0.1', '192.0.2.2', '::1'],
      },
    });
    for (const own of ['127.0.0.1', '127.0.0.5', '192.0.2.2']) {
      expect(route(own, { dev: 'lo' }, f), own).toMatchObject({ status: 'pass', actual: `${own} dev lo (table local)` });
    }
    expect(route('192.0.2.9', { dev: 'lo' }, f)).toMatchObject({ status: 'fail', actual: expect.stringMatching(/^default via 192\.0\.2\.1 dev eth0/) });
  });

  it('match a network by prefix as an address', () => {
    const f = snapshot({ routes: captured('kitchen') });
    expect(route('198.19.0.0/16', { dev: 'd0' }, f).status).toBe('pass');
    expect(route('198.19.000.0/16', { exists: true }, f).status).toBe('error');
  });

  it('skip default6 when IPv6 is off, and judge only IPv4 for default', () => {
    const off = { enabled: false, reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)' };
    const f = snapshot({ routes: main([{ family: 6, dest: 'default', via: 'fe80::1', dev: 'eth0', metric: 1024, table: 'main' }]), ipv6: off });
    expect(route('default6', { exists: true }, f)).toMatchObject({ status: 'skip', message: `not applicable: ${off.reason}` });
    expect(route('default', { exists: true }, f).status).toBe('fail');
    expect(route('2001:db8::/32', { exists: true }, f).status).toBe('skip');
    expect(route('default6', { exists: true }, { ...f, ipv6: { enabled: true } }).status).toBe('pass');
    const { ipv6: _, ...old } = f;
    expect(route('default6', { exists: true }, old).status).toBe('pass');
  });

  it('an unreadable family is an error, not a missing route', () => {
    const f = snapshot({ routes: { ...main([]), unreadable: [6], note: 'IPv6 routes and rules are unknown: ip -j -6 rule show exited 2' } });
    expect(route('default6', { exists: true }, f)).toMatchObject({ status: 'error', message: /ip -j -6 rule show exited 2/ });
  });

  it('check every path of a multipath route', () => {
    const f = snapshot({ routes: captured('kitchen') });
    const rs = f.routes as RoutesFact;
    rs.rules = [{ family: 4, priority: 1, action: 'lookup', table: '700' }];
    expect(route('default', { dev: 'd0' }, f)).toMatchObject({ status: 'fail', message: 'device is d1' });
    expect(route('default', { dev: { in: ['d0', 'd1'] } }, f).status).toBe('pass');
  });
});

describe('route checks where more specific routes take all traffic (def1)', () => {
  const r = (dest: string, extra: Partial<RouteFact> = {}): RouteFact => ({
    family: 4,
    dest,
    via: '198.18.80.9',
    dev: 'tun0',
    metric: 0,
    table: 'main',
    ...extra,
  });
  const def1 = snapshot({ routes: main([r('default', { via: '198.18.80.1', dev: 'eth0', metric: 100 }), r('0.0.0.0/1'), r('128.0.0.0/1')]) });
  const how = '(table main, rule 32766: from all lookup main)';

  it('name the routes traffic takes, and judge via and dev on them, not on the default', () => {
    expect(route('default', { via: '198.18.80.9', dev: 'tun0' }, def1)).toMatchObject({
      status: 'pass',
      actual: `0.0.0.0/1 and 128.0.0.0/1 via 198.18.80.9 dev tun0 take all traffic before the default ${how}`,
    });
    expect(route('default', { via: '198.18.80.1', dev: 'eth0' }, def1)).toMatchObject({
      status: 'fail',
      message: 'gateway is 198.18.80.9 (0.0.0.0/1 and 128.0.0.0/1); device is tun0 (0.0.0.0/1 and 128.0.0.0/1)',
    });
    expect(route('default', { exists: false }, def1)).toMatchObject({
      status: 'fail',
      message: `a default route exists: 0.0.0.0/1 and 128.0.0.0/1 via 198.18.80.9 dev tun0 take all traffic before the default ${how}`,
    });
  });

  it('every one of them must hold: halves on two devices', () => {
    const split = snapshot({ routes: main([r('0.0.0.0/1', { dev: 'tun0' }), r('128.0.0.0/1', { dev: 'tun1', via: '198.18.81.9' })]) });
    expect(route('default', { dev: 'tun1' }, split)).toMatchObject({
      status: 'fail',
      actual: `0.0.0.0/1 via 198.18.80.9 dev tun0 and 128.0.0.0/1 via 198.18.81.9 dev tun1 take all traffic ${how}`,
      message: 'device is tun0 (0.0.0.0/1)',
    });
    expect(route('default', { dev: { in: ['tun0', 'tun1'] } }, split).status).toBe('pass');
  });

  it('a refusing half fails via and dev; both refusing is no route', () => {
    const bh = (dest: string): RouteFact => ({ family: 4, dest, metric: 0, table: 'main', type: 'blackhole' });
    const half = snapshot({ routes: main([bh('0.0.0.0/1'), r('128.0.0.0/1')]) });
    expect(route('default', { dev: 'tun0' }, half)).toMatchObject({
      status: 'fail',
      message: 'blackhole route: the kernel refuses what it covers (0.0.0.0/1)',
    });
    expect(route('default', { exists: true }, half).status).toBe('pass');
    const both = snapshot({ routes: main([r('default'), bh('0.0.0.0/1'), bh('128.0.0.0/1')]) });
    expect(route('default', { exists: true }, both)).toMatchObject({
      status: 'fail',
      actual: `blackhole 0.0.0.0/1 and 128.0.0.0/1 refuse all traffic before the default ${how}; no IPv6 route`,
      message: 'no default route: blackhole 0.0.0.0/1 and blackhole 128.0.0.0/1 in table main: the kernel refuses every packet',
    });
  });

  it('IPv6: ::/1 and 8000::/1 for default6', () => {
    const v6 = (dest: string): RouteFact => ({ family: 6, dest, via: 'fe80::9', dev: 'tun0', metric: 1024, table: 'main' });
    const f = snapshot({ routes: main([{ ...v6('default'), via: 'fe80::1', dev: 'eth0' }, v6('::/1'), v6('8000::/1')]) });
    expect(route('default6', { via: 'fe80:0::9', dev: 'tun0' }, f)).toMatchObject({
      status: 'pass',
      actual: '::/1 and 8000::/1 via fe80::9 dev tun0 metric 1024 take all traffic before the default (table main, rule 32766: from all lookup main)',
    });
  });
});

describe('gateways written as IPv4-mapped IPv6 addresses', () => {
  it('::ffff:192.0.2.1 is the gateway 192.0.2.1', () => {
    const f = snapshot({ routes: main([{ family: 4, dest: 'default', via: '192.0.2.1', dev: 'eth0', metric: 0, table: 'main' }]) });
    expect(route('default', { via: '::ffff:192.0.2.1' }, f).status).toBe('pass');
    expect(route('default', { via: { in: ['::ffff:c000:201'] } }, f).status).toBe('pass');
    expect(route('default', { via: { ne: '::ffff:192.0.2.1' } }, f).status).toBe('fail');
    expect(route('default', { via: '::ffff:192.0.2.2' }, f)).toMatchObject({ status: 'fail', message: 'gateway is 192.0.2.1' });
  });
});

describe('interface checks on a link set down', () => {
  const down: InterfaceFact = { name: 'd0', operstate: 'down', carrier: false, adminUp: false, mtu: 1500, loopback: false, stats: {} };
  const f = snapshot({ interfaces: { d0: down } });
  const iface = (expect: CheckOf<'interface'>['expect']) =>
    wordedOutcome(evaluateInterface(check<'interface'>('i', { kind: 'interface', name: 'd0' }, expect), 'd0', f));
  it('carrier false passes, carrier true fails, and the result says administratively down', () => {
    expect(iface({ carrier: false })).toMatchObject({ status: 'pass', message: 'd0: carrier false, administratively down' });
    expect(iface({ carrier: true }).status).toBe('fail');
  });
  it('an older fact (carrier null, no adminUp) is neither', () => {
    const g = snapshot({ interfaces: { d0: { ...down, carrier: null, adminUp: undefined } as InterfaceFact } });
    const o = evaluateInterface(check('i', { kind: 'interface', name: 'd0' }, { carrier: false }), 'd0', g);
    expect(o.status).toBe('fail');
  });
});

describe('root causes of a route', () => {
  const result = (id: string, status: Result['status']): Result => resultOf(id, status);
  const checks: Check[] = [
    check<'interface'>('if.d1', { kind: 'interface', name: 'd1' }, { up: true }),
    check<'interface'>('if.d0', { kind: 'interface', name: 'd0' }, { up: true }),
    check<'route'>('route', { kind: 'route', dest: 'default' }, { via: '198.18.0.1' }),
  ];

  it('stands on the interface it is expected to leave by, not on another failing interface', () => {
    const withDev = [checks[0]!, checks[1]!, check<'route'>('route', { kind: 'route', dest: 'default' }, { dev: 'd0' })];
    expect(attributeCauses(withDev, [result('if.d1', 'fail'), result('if.d0', 'fail'), result('route', 'fail')]).find((r) => r.id === 'route')!.cause).toBe(
      'if.d0',
    );
    expect(
      attributeCauses(checks, [result('if.d1', 'fail'), result('if.d0', 'fail'), result('route', 'fail')]).find((r) => r.id === 'route')!.cause,
    ).toBeUndefined();
  });
});

describe('route: one address is looked up as the kernel does, by longest prefix', () => {
  const rs: RouteFact[] = [
    { family: 4, dest: 'default', via: '198.19.48.254', dev: 'eth0', metric: 0, table: 'main' },
    { family: 4, dest: '198.19.48.0/24', dev: 'eth0', metric: 0, table: 'main' },
    { family: 4, dest: '198.19.50.0/24', via: '198.19.48.2', dev: 'eth0', metric: 100, table: 'main' },
    { family: 4, dest: '198.19.50.0/24', via: '198.19.48.3', dev: 'eth0', metric: 50, table: 'main' },
    { family: 4, dest: '198.19.60.0/24', type: 'unreachable', metric: 0, table: 'main' },
  ];
  const f = snapshot({ routes: main(rs) });

  it('the most specific route holding the address wins over the default, then the lowest metric', () => {
    expect(route('198.19.50.7/32', { via: '198.19.48.3' }, f)).toMatchObject({ status: 'pass' });
    expect(route('198.19.48.9/32', { dev: 'eth0' }, f)).toMatchObject({ status: 'pass', actual: expect.stringMatching(/^198\.19\.48\.0\/24 dev eth0/) });
    expect(route('198.19.70.1/32', { via: '198.19.48.254' }, f)).toMatchObject({ status: 'pass' });
  });

  it('an unreachable route holding it refuses the address; without a default nothing holds it', () => {
    expect(route('198.19.60.1/32', { exists: true }, f)).toMatchObject({ status: 'fail', reason: { code: 'no-route' } });
    expect(route('198.19.70.1/32', { exists: true }, snapshot({ routes: main(rs.filter((r) => r.dest !== 'default')) }))).toMatchObject({
      status: 'fail',
      reason: { code: 'no-route', dest: '198.19.70.1/32' },
    });
  });

  it('a network destination still asks for that very route', () => {
    expect(route('198.19.50.0/25', { exists: true }, f)).toMatchObject({ status: 'fail' });
  });
});

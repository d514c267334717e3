import { describe, it, expect } from 'vitest';
import { routesFamily, hexToIpv6, parseIpRoutes, parseIpRules, parseIpv6Route, parseProcRoute } from '../../../src/facts/families/routes.js';
import { readFamily } from '../../helpers/family.js';
import { describeRoute, describeRule, kernelRoute, routingOf, ruleSelects, tableRoute } from '../../../src/facts/readings/routes.js';
import type { RouteFact, RouteRule, RoutesFact } from '../../../src/facts/model.js';
import { fixtureReader, ok, replayTransport } from '../../helpers/replay.js';
import type { Capture } from '../../helpers/replay.js';

const proc = fixtureReader('proc');
const routes = fixtureReader('routes');

// fixtures/routes/capture.sh: three namespaces (kitchen, wgquick, blackhole), each with what the collector reads
// and what `ip route get` (the kernel itself) answered for 198.19.255.1 and 2001:db8::1.
type Scenario = 'kitchen' | 'wgquick' | 'blackhole';

function captured(name: Scenario): Capture {
  return {
    commands: {
      'ip -j -4 rule show': ok(routes(`${name}.ip-4-rule.json`)),
      'ip -j -6 rule show': ok(routes(`${name}.ip-6-rule.json`)),
      'ip -j -4 route show table all': ok(routes(`${name}.ip-4-route.json`)),
      'ip -j -6 route show table all': ok(routes(`${name}.ip-6-route.json`)),
    },
    files: {
      '/proc/net/route': routes(`${name}.proc-net-route.txt`),
      '/proc/net/ipv6_route': routes(`${name}.proc-net-ipv6_route.txt`),
    },
  };
}

/** The kernel's answer: the route it took (gateway, device, table), or the error it gave. */
function kernelSaid(name: Scenario, family: 4 | 6): { via?: string; dev: string; table: string } | { error: string } {
  const text = routes(`${name}.route-get-${family}.txt`).trim();
  if (!text.startsWith('[')) return { error: text };
  const [r] = JSON.parse(text) as Array<{ gateway?: string; dev: string; table?: string }>;
  return { ...(r!.gateway ? { via: r!.gateway } : {}), dev: r!.dev, table: r!.table ?? 'main' };
}

function ourAnswer(fact: RoutesFact, family: 4 | 6): { via?: string; dev: string; table: string } | { error: string } {
  const c = kernelRoute(fact, family);
  if (!c.route) return { error: c.why ?? '' };
  return { ...(c.route.via ? { via: c.route.via } : {}), dev: c.route.dev!, table: c.route.table ?? 'main' };
}

describe('parseIpRules', () => {
  const rules = parseIpRules(routes('kitchen.ip-4-rule.json'), 4);
  const at = (p: number) => rules.find((r) => r.priority === p)!;

  it('reads every rule ip(8) can add, in priority order', () => {
    expect(rules.map((r) => r.priority)).toEqual([0, 50, 60, 70, 80, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 105, 110, 111, 112, 32766, 32767]);
    expect(at(0)).toEqual({ family: 4, priority: 0, action: 'lookup', table: 'local' });
    expect(at(32767)).toEqual({ family: 4, priority: 32767, action: 'lookup', table: 'default' });
  });

  it('keeps selectors as ip(8) writes them', () => {
    expect(at(60).selectors).toEqual({ fwmark: '0x1/0xff' });
    expect(at(70)).toEqual({ family: 4, priority: 70, action: 'lookup', table: '100', not: true, selectors: { fwmark: '0xca6c' } });
    expect(at(90).selectors).toEqual({ iif: 'lo' });
    expect(at(91).selectors).toEqual({ oif: 'd0' });
    expect(at(92).selectors).toEqual({ uidrange: '1000-2000' });
    expect(at(93).selectors).toEqual({ from: '10.0.0.0/8', to: '198.18.0.0/16', tos: '0x10' });
    expect(at(94).selectors).toEqual({ ipproto: 'tcp', dport: '80' });
    expect(at(95).selectors).toEqual({ sport: '1000-2000' });
    expect(at(112).selectors).toEqual({ l3mdev: '' });
  });

  it('reads the actions: suppress_prefixlength, goto, nop, blackhole, unreachable, prohibit', () => {
    expect(at(80)).toEqual({ family: 4, priority: 80, action: 'lookup', table: 'main', suppressPrefixlength: 0 });
    expect(at(96)).toEqual({ family: 4, priority: 96, action: 'goto', target: 110 });
    expect(at(97).action).toBe('blackhole');
    expect(at(98).action).toBe('unreachable');
    expect(at(99).action).toBe('prohibit');
    expect(at(105).action).toBe('nop');
    expect(at(110)).toEqual({ family: 4, priority: 110, action: 'lookup', table: '100', suppressIfgroup: '5' });
    expect(at(111)).toEqual({ family: 4, priority: 111, action: 'lookup', table: '300', not: true });
  });

  it('reads IPv6 rules', () => {
    expect(parseIpRules(routes('kitchen.ip-6-rule.json'), 6)).toEqual([
      { family: 6, priority: 0, action: 'lookup', table: 'local' },
      { family: 6, priority: 90, action: 'lookup', table: 'main', suppressPrefixlength: 0 },
      { family: 6, priority: 100, action: 'lookup', table: '100' },
      { family: 6, priority: 32766, action: 'lookup', table: 'main' },
    ]);
  });

  it('rejects output that is not a list', () => {
    expect(() => parseIpRules('{}', 4)).toThrow(/JSON array/);
  });
});

describe('parseIpRoutes', () => {
  const v4 = parseIpRoutes(routes('kitchen.ip-4-route.json'), 4);
  const inTable = (t: string) => v4.filter((r) => r.table === t);

  it('reads every table; main is the table ip(8) leaves unnamed', () => {
    expect(inTable('main')).toEqual([
      { family: 4, dest: 'default', via: '198.18.33.1', dev: 'd1', metric: 50, table: 'main' },
      { family: 4, dest: 'default', via: '198.18.32.1', dev: 'd0', metric: 100, table: 'main' },
      { family: 4, dest: '198.18.32.0/24', dev: 'd0', metric: 0, table: 'main' },
      { family: 4, dest: '198.18.33.0/24', dev: 'd1', metric: 0, table: 'main' },
      { family: 4, dest: '198.19.0.0/16', via: '198.18.32.1', dev: 'd0', metric: 10, table: 'main' },
      { family: 4, dest: '198.19.1.0/24', via: '198.18.32.1', dev: 'd0', metric: 0, table: 'main', tos: '0x10' },
    ]);
    expect(inTable('100')).toEqual([{ family: 4, dest: 'default', via: '198.18.33.254', dev: 'd1', metric: 0, table: '100' }]);
  });

  it('keeps blackhole, unreachable, prohibit and throw routes without a device; leaves out local and broadcast', () => {
    expect(['300', '400', '500', '600'].map((t) => inTable(t))).toEqual([
      [{ family: 4, dest: 'default', metric: 0, table: '300', type: 'blackhole' }],
      [{ family: 4, dest: 'default', metric: 0, table: '400', type: 'unreachable' }],
      [{ family: 4, dest: 'default', metric: 0, table: '500', type: 'prohibit' }],
      [{ family: 4, dest: 'default', metric: 0, table: '600', type: 'throw' }],
    ]);
    expect(inTable('local')).toEqual([]);
  });

  it('reads multipath routes and nexthop objects', () => {
    expect(inTable('700')).toEqual([
      {
        family: 4,
        dest: 'default',
        via: '198.18.32.1',
        dev: 'd0',
        metric: 0,
        table: '700',
        nexthops: [
          { via: '198.18.32.1', dev: 'd0', weight: 1 },
          { via: '198.18.33.1', dev: 'd1', weight: 2 },
        ],
      },
    ]);
    expect(inTable('800')).toEqual([{ family: 4, dest: 'default', via: '198.18.32.1', dev: 'd0', metric: 0, table: '800' }]);
  });

  it('reads IPv6 routes: blackholes lose the lo the kernel shows, multicast and local go', () => {
    const v6 = parseIpRoutes(routes('kitchen.ip-6-route.json'), 6);
    expect(v6.filter((r) => r.dest === 'default')).toEqual([
      { family: 6, dest: 'default', metric: 1024, table: '300', type: 'blackhole' },
      { family: 6, dest: 'default', via: 'fe80::1', dev: 'd1', metric: 1024, table: '100' },
      { family: 6, dest: 'default', metric: 1024, table: '400', type: 'unreachable' },
      { family: 6, dest: 'default', via: 'fe80::2', dev: 'd1', metric: 512, table: 'main' },
      { family: 6, dest: 'default', via: 'fe80::1', dev: 'd0', metric: 1024, table: 'main' },
    ]);
    expect(v6.some((r) => r.table === 'local')).toBe(false);
  });

  it('leaves out dead routes and dead paths', () => {
    const json = JSON.stringify([
      { dst: 'default', gateway: '198.18.32.1', dev: 'd0', flags: ['dead', 'linkdown'] },
      {
        dst: 'default',
        table: '9',
        flags: [],
        nexthops: [
          { gateway: '198.18.32.1', dev: 'd0', flags: ['dead'] },
          { gateway: '198.18.33.1', dev: 'd1', flags: [] },
        ],
      },
    ]);
    expect(parseIpRoutes(json, 4)).toEqual([{ family: 4, dest: 'default', via: '198.18.33.1', dev: 'd1', metric: 0, table: '9' }]);
  });
});

describe('parseProcRoute', () => {
  it('decodes little-endian hex, the default route and metrics; keeps unreachable and blackhole routes without a device', () => {
    expect(parseProcRoute(proc('net-route.txt'))).toEqual([
      { family: 4, dest: 'default', via: '198.18.0.1', dev: 'pl-veth0', metric: 0, table: 'main' },
      { family: 4, dest: '198.18.0.0/24', dev: 'pl-veth0', metric: 0, table: 'main' },
      { family: 4, dest: '198.19.0.0/16', via: '198.18.0.1', dev: 'pl-veth0', metric: 100, table: 'main' },
      { family: 4, dest: '198.19.253.0/24', metric: 0, table: 'main', type: 'blackhole' },
      { family: 4, dest: '198.19.254.0/24', metric: 0, table: 'main', type: 'unreachable' },
    ]);
  });

  it('reads a header-only file as no routes', () => {
    expect(parseProcRoute(proc('net-route.txt').split('\n')[0]!)).toEqual([]);
  });
});

describe('parseIpv6Route', () => {
  it('keeps unicast routes; skips local, multicast and the null reject route', () => {
    expect(parseIpv6Route(proc('net-ipv6_route.txt'))).toEqual([
      { family: 6, dest: 'fe80::/64', dev: 'pl-veth0', metric: 256, table: 'main' },
      { family: 6, dest: 'default', via: 'fe80::ec53:1fff:fe63:3939', dev: 'pl-veth0', metric: 1024, table: 'main' },
    ]);
  });

  it('leaves out the rejecting routes of other tables, which the file does not tell apart from main', () => {
    const v6 = parseIpv6Route(routes('kitchen.proc-net-ipv6_route.txt'));
    expect(v6.filter((r) => r.dest === 'default').map((r) => `${r.via} ${r.dev} ${r.metric}`)).toEqual([
      'fe80::1 d1 1024',
      'fe80::2 d1 512',
      'fe80::1 d0 1024',
    ]);
  });
});

describe('hexToIpv6', () => {
  it('prints RFC 5952 text', () => {
    expect(hexToIpv6('00000000000000000000000000000001')).toBe('::1');
    expect(hexToIpv6('00000000000000000000000000000000')).toBe('::');
    expect(hexToIpv6('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
    expect(hexToIpv6('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1');
    expect(hexToIpv6('20010db8000100010001000100010001')).toBe('2001:db8:1:1:1:1:1:1');
    expect(hexToIpv6('00000000000000000000ffffc6120001')).toBe('::ffff:198.18.0.1');
  });
});

describe('collectRoutes', () => {
  it('runs ip for rules and every table of both families, as argument arrays', async () => {
    const t = replayTransport(captured('kitchen'));
    const fact = await readFamily(routesFamily, { timeoutMs: 10_000 }, t);
    expect(t.execCalls.sort()).toEqual(['ip -j -4 route show table all', 'ip -j -4 rule show', 'ip -j -6 route show table all', 'ip -j -6 rule show']);
    expect(fact.source).toBe('ip');
    expect(fact.note).toBeUndefined();
    expect(fact.rules!.filter((r) => r.family === 6)).toHaveLength(4);
    expect(fact.routes.filter((r) => r.family === 4 && r.dest === 'default')).toHaveLength(9);
  });

  it('falls back to /proc when ip is missing, and says the rules are unknown', async () => {
    const { files } = captured('kitchen');
    const fact = await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport({ files }));
    expect(fact.source).toBe('proc');
    expect(fact.rules).toBeUndefined();
    expect(fact.note).toMatch(/^policy rules are unknown \(`ip` \(iproute2\) was not found\)/);
    // /proc/net/route shows the main table only.
    expect(fact.routes.filter((r) => r.family === 4 && r.dest === 'default').map((r) => r.via)).toEqual(['198.18.33.1', '198.18.32.1']);
  });

  it('falls back to /proc when ip refuses -j', async () => {
    const { files } = captured('kitchen');
    const refused = { stdout: '', stderr: 'Option "-j" is unknown, try "ip -help".\n', exitCode: 255 };
    const fact = await readFamily(
      routesFamily,
      { timeoutMs: 10_000 },
      replayTransport({ files, commands: { 'ip -j -4 rule show': refused, 'ip -j -4 route show table all': refused } }),
    );
    expect(fact.source).toBe('proc');
    expect(fact.note).toMatch(/ip -j -4 rule show exited 255: Option "-j" is unknown/);
  });

  it('keeps IPv4 when only ip -6 fails, and marks IPv6 unreadable', async () => {
    const c = captured('kitchen');
    c.commands!['ip -j -6 rule show'] = { stdout: '', stderr: 'RTNETLINK answers: Operation not permitted\n', exitCode: 2 };
    const fact = await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport(c));
    expect(fact.source).toBe('ip');
    expect(fact.unreadable).toEqual([6]);
    expect(fact.note).toMatch(/^IPv6 routes and rules are unknown: ip -j -6 rule show exited 2/);
    expect(fact.routes.every((r) => r.family === 4)).toBe(true);
  });

  it('takes a host without IPv6 (ip -6 fails, no ipv6_route) as one with no IPv6 routes', async () => {
    const c = captured('kitchen');
    const noV6 = { stdout: '', stderr: 'RTNETLINK answers: Address family not supported by protocol\n', exitCode: 2 };
    c.commands!['ip -j -6 rule show'] = noV6;
    c.commands!['ip -j -6 route show table all'] = noV6;
    delete c.files!['/proc/net/ipv6_route'];
    const fact = await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport(c));
    expect(fact.unreadable).toBeUndefined();
    expect(fact.routes.every((r) => r.family === 4)).toBe(true);
  });

  it('fails when neither ip nor /proc/net/route can be read', async () => {
    await expect(readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport())).rejects.toThrow(/\/proc\/net\/route/);
  });
});

describe('ruleSelects (the generic outbound packet: unbound, mark 0, TOS 0, no output device)', () => {
  const rule = (selectors: Record<string, string>, not = false): RouteRule => ({
    family: 4,
    priority: 1,
    action: 'lookup',
    table: '1',
    selectors,
    ...(not ? { not } : {}),
  });
  it('decides by what the packet carries', () => {
    expect(ruleSelects({ family: 4, priority: 1, action: 'lookup', table: '1' })).toBe('yes');
    expect(ruleSelects(rule({ fwmark: '0x1' }))).toBe('no');
    expect(ruleSelects(rule({ fwmark: '0x0/0xff' }))).toBe('yes');
    expect(ruleSelects(rule({ fwmark: '0xca6c' }, true))).toBe('yes');
    expect(ruleSelects(rule({ iif: 'lo' }))).toBe('yes');
    expect(ruleSelects(rule({ iif: 'eth0' }))).toBe('no');
    expect(ruleSelects(rule({ oif: 'eth0' }))).toBe('no');
    expect(ruleSelects(rule({ oif: 'eth0' }, true))).toBe('yes');
    expect(ruleSelects(rule({}, true))).toBe('no');
  });
  it('passes over what holds for some packets only', () => {
    for (const s of [
      { from: '10.0.0.0/8' } as Record<string, string>,
      { to: '198.18.0.0/16' },
      { uidrange: '0-0' },
      { ipproto: 'tcp' },
      { dport: '80' },
      { sport: '1-2' },
      { somethingnew: 'x' },
    ]) {
      expect(ruleSelects(rule(s)), JSON.stringify(s)).toBe('some');
      expect(ruleSelects(rule(s, true)), JSON.stringify(s)).toBe('some');
    }
    // One selector that never holds settles it.
    expect(ruleSelects(rule({ uidrange: '0-0', fwmark: '0x1' }))).toBe('no');
  });
});

describe('kernelRoute agrees with `ip route get` in the captured namespaces', () => {
  for (const name of ['kitchen', 'wgquick', 'blackhole'] as const) {
    for (const family of [4, 6] as const) {
      it(`${name}, IPv${family}`, async () => {
        const fact = await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport(captured(name)));
        const kernel = kernelSaid(name, family);
        const ours = ourAnswer(fact, family);
        if ('error' in kernel) expect('error' in ours, JSON.stringify(ours)).toBe(true);
        else expect(ours).toEqual(kernel);
      });
    }
  }

  it('kitchen: rule 70 (not fwmark) wins; 50 found no default, 60 has another mark; the rules after it never run', async () => {
    const c = kernelRoute(await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport(captured('kitchen'))), 4);
    expect(describeRule(c.rule!)).toBe('rule 70: not from all fwmark 0xca6c lookup 100');
    expect(describeRoute(c.route!)).toBe('default via 198.18.33.254 dev d1');
    expect(c.partial).toEqual([]);
    expect(c.rulesAssumed).toBe(false);
  });

  it('wgquick: main suppressed by suppress_prefixlength 0, then the tunnel table', async () => {
    const c = kernelRoute(await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport(captured('wgquick'))), 4);
    expect(c.rule).toMatchObject({ priority: 32765, table: '51820' });
    expect(c.route).toMatchObject({ dev: 'wg0', table: '51820' });
  });

  it('blackhole: the looked-up table refuses, and the answer names the route and the rule', async () => {
    const c = kernelRoute(await readFamily(routesFamily, { timeoutMs: 10_000 }, replayTransport(captured('blackhole'))), 4);
    expect(c.route).toBeUndefined();
    expect(c.refusingRoute).toMatchObject({ type: 'blackhole', table: '100' });
    expect(c.rule?.priority).toBe(100);
    expect(c.why).toBe('blackhole default in table 100: the kernel refuses the packet');
  });
});

describe('kernelRoute on hand-made tables', () => {
  const r = (table: string, extra: Partial<RouteFact> = {}): RouteFact => ({
    family: 4,
    dest: 'default',
    via: '198.18.32.1',
    dev: 'eth0',
    metric: 0,
    table,
    ...extra,
  });
  const rules = (...list: Array<Partial<RouteRule>>): RouteRule[] => list.map((x) => ({ family: 4, priority: 0, action: 'lookup', ...x }) as RouteRule);

  it('takes the lowest metric in a table, whatever the order', () => {
    const fact: RoutesFact = {
      source: 'ip',
      routes: [r('main', { metric: 100, dev: 'a' }), r('main', { metric: 50, dev: 'b' }), r('main', { metric: 70, dev: 'c' })],
      rules: rules({ priority: 32766, table: 'main' }),
    };
    expect(kernelRoute(fact, 4).route?.dev).toBe('b');
    expect(tableRoute(fact.routes, 4, 'main', { family: 4, address: '0.0.0.0', prefix: 0 })?.dev).toBe('b');
  });

  it('follows goto forward, skips an unresolved goto, ignores nop', () => {
    const fact: RoutesFact = {
      source: 'ip',
      routes: [r('10', { dev: 'ten' }), r('20', { dev: 'twenty' })],
      rules: rules({ priority: 1, action: 'nop' }, { priority: 2, action: 'goto', target: 50 }, { priority: 3, table: '10' }, { priority: 50, table: '20' }),
    };
    expect(kernelRoute(fact, 4).route?.dev).toBe('twenty');
    fact.rules![1]!.target = 49;
    expect(kernelRoute(fact, 4).route?.dev).toBe('ten');
  });

  it('a throw route goes on to the next rule; a blackhole rule refuses', () => {
    const fact: RoutesFact = {
      source: 'ip',
      routes: [r('10', { type: 'throw', via: undefined, dev: undefined }), r('main')],
      rules: rules({ priority: 1, table: '10' }, { priority: 2, table: 'main' }),
    };
    expect(kernelRoute(fact, 4).route?.table).toBe('main');
    fact.rules!.splice(1, 0, { family: 4, priority: 1, action: 'prohibit' });
    const c = kernelRoute(fact, 4);
    expect(c.route).toBeUndefined();
    expect(c.why).toBe('rule 1 is prohibit: the kernel refuses every packet it selects');
  });

  it('names rules passed over because they select only some packets', () => {
    const fact: RoutesFact = {
      source: 'ip',
      routes: [r('main'), r('7', { dev: 'vpn' })],
      rules: rules({ priority: 5, table: '7', selectors: { uidrange: '1000-1000' } }, { priority: 32766, table: 'main' }),
    };
    const c = kernelRoute(fact, 4);
    expect(c.route?.dev).toBe('eth0');
    expect(c.partial.map((x) => x.priority)).toEqual([5]);
  });

  it('assumes the default rules when they are unknown; an older snapshot is the main table', () => {
    const c = kernelRoute(routingOf([r('main'), { family: 6, dest: 'default', via: 'fe80::1', dev: 'eth0', metric: 1024 }]), 6);
    expect(c).toMatchObject({ rulesAssumed: true, route: { via: 'fe80::1' } });
  });

  it('finds a network route by prefix, compared as addresses', () => {
    const fact: RoutesFact = {
      source: 'ip',
      routes: [{ family: 6, dest: '2001:db8::/32', dev: 'eth0', metric: 1, table: 'main' }],
      rules: rules({ family: 6, priority: 32766, table: 'main' }),
    };
    expect(kernelRoute(fact, 6, '2001:0db8:0::/32').route?.dev).toBe('eth0');
    expect(kernelRoute(fact, 6, '2001:db8::/48').route).toBeUndefined();
  });
});

describe('kernelRoute: more specific routes that take all traffic before the default (def1)', () => {
  const v4 = (dest: string, extra: Partial<RouteFact> = {}): RouteFact => ({
    family: 4,
    dest,
    via: '198.18.80.9',
    dev: 'tun0',
    metric: 0,
    table: 'main',
    ...extra,
  });
  const v6 = (dest: string, extra: Partial<RouteFact> = {}): RouteFact => ({
    family: 6,
    dest,
    via: 'fe80::9',
    dev: 'tun0',
    metric: 1024,
    table: 'main',
    ...extra,
  });
  const main = (routes: RouteFact[], rules: Array<Partial<RouteRule>> = [{}]): RoutesFact => ({
    source: 'ip',
    routes,
    rules: rules.map((x) => ({ family: routes[0]?.family ?? 4, priority: 32766, action: 'lookup', table: 'main', ...x }) as RouteRule),
  });
  const dests = (c: { covering?: RouteFact[] }) => c.covering?.map((r) => r.dest);

  it("OpenVPN's def1: 0.0.0.0/1 and 128.0.0.0/1 via the tunnel, whatever the default's metric", () => {
    const c = kernelRoute(main([v4('default', { via: '198.18.80.1', dev: 'eth0' }), v4('128.0.0.0/1'), v4('0.0.0.0/1', { metric: 500 })]), 4);
    expect(dests(c)).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
    expect(c.route).toMatchObject({ dest: '0.0.0.0/1', dev: 'tun0' });
    expect(c.bypassed).toMatchObject({ dest: 'default', dev: 'eth0' });
  });

  it('IPv6: ::/1 and 8000::/1; and without a default at all', () => {
    const c = kernelRoute(main([v6('8000::/1'), v6('::/1')]), 6);
    expect(dests(c)).toEqual(['::/1', '8000::/1']);
    expect(c.bypassed).toBeUndefined();
  });

  it('finer splits up to /8 count; a route inside another is not one of them', () => {
    const quarters = ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1', '10.0.0.0/8', '198.0.0.0/8'].map((d) => v4(d));
    expect(dests(kernelRoute(main([v4('default', { dev: 'eth0' }), ...quarters]), 4))).toEqual(['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1']);
    const ipv6Quarters = ['::/2', '4000::/2', '8000::/2', 'c000::/2'].map((d) => v6(d));
    expect(dests(kernelRoute(main(ipv6Quarters), 6))).toEqual(['::/2', '4000::/2', '8000::/2', 'c000::/2']);
  });

  it('one half alone, a gap, a split finer than /8, a throw or a TOS route leaves the default the answer', () => {
    const dflt = v4('default', { dev: 'eth0' });
    for (const split of [
      [v4('0.0.0.0/1')],
      [v4('0.0.0.0/2'), v4('128.0.0.0/1')],
      [
        v4('0.0.0.0/1'),
        v4('128.0.0.0/2'),
        v4('192.0.0.0/3'),
        v4('224.0.0.0/9'),
        v4('224.128.0.0/9'),
        v4('225.0.0.0/8'),
        ...Array.from({ length: 30 }, (_, i) => v4(`${226 + i}.0.0.0/8`)),
      ],
      [v4('0.0.0.0/1'), v4('128.0.0.0/1', { type: 'throw', via: undefined, dev: undefined })],
      [v4('0.0.0.0/1'), v4('128.0.0.0/1', { tos: '0x10' })],
      [v4('0.0.0.0/1'), v4('128.0.0.0/1', { table: '7' })],
    ]) {
      const c = kernelRoute(main([dflt, ...split]), 4);
      expect(c.covering, split.map((r) => r.dest).join(' ')).toBeUndefined();
      expect(c.route).toBe(dflt);
    }
    // Without the /9 pair, the /8s from 224 up fill the space: that split is seen.
    const byEights = [v4('0.0.0.0/1'), v4('128.0.0.0/2'), v4('192.0.0.0/3'), ...Array.from({ length: 32 }, (_, i) => v4(`${224 + i}.0.0.0/8`))];
    expect(kernelRoute(main([dflt, ...byEights]), 4).covering).toHaveLength(35);
  });

  it('the lowest metric of each destination; the table the rule looks up, before the rules after it', () => {
    const fact: RoutesFact = {
      source: 'ip',
      routes: [
        v4('default', { table: 'main', dev: 'eth0' }),
        v4('0.0.0.0/1', { table: '9', dev: 'a', metric: 10 }),
        v4('0.0.0.0/1', { table: '9', dev: 'b', metric: 5 }),
        v4('128.0.0.0/1', { table: '9' }),
      ],
      rules: [
        { family: 4, priority: 100, action: 'lookup', table: '9' },
        { family: 4, priority: 32766, action: 'lookup', table: 'main' },
      ],
    };
    const c = kernelRoute(fact, 4);
    expect(c).toMatchObject({ rule: { priority: 100 }, route: { dev: 'b', table: '9' } });
    expect(c.bypassed).toBeUndefined();
    // A rule before it whose table has a default: that default wins, the split is never reached.
    fact.rules!.unshift({ family: 4, priority: 50, action: 'lookup', table: 'main' });
    const first = kernelRoute(fact, 4);
    expect(first).toMatchObject({ route: { dest: 'default', dev: 'eth0' } });
    expect(first).not.toHaveProperty('covering');
  });

  it('suppress_prefixlength 0 (wg-quick) leaves the /1s; suppress_prefixlength 1 suppresses them too', () => {
    const routes = [v4('default', { dev: 'eth0' }), v4('0.0.0.0/1'), v4('128.0.0.0/1'), v4('default', { table: '51820', dev: 'wg0', via: undefined })];
    const rules = (n: number): RouteRule[] => [
      { family: 4, priority: 32764, action: 'lookup', table: 'main', suppressPrefixlength: n },
      { family: 4, priority: 32765, action: 'lookup', table: '51820' },
    ];
    expect(kernelRoute({ source: 'ip', routes, rules: rules(0) }, 4)).toMatchObject({ route: { dest: '0.0.0.0/1', dev: 'tun0' }, rule: { priority: 32764 } });
    const c = kernelRoute({ source: 'ip', routes, rules: rules(1) }, 4);
    expect(c).toMatchObject({ route: { dest: 'default', dev: 'wg0' }, rule: { priority: 32765 } });
    expect(c.covering).toBeUndefined();
  });

  it('refusing halves: both refuse, no route; one refuses, the other is the route', () => {
    const bh = (d: string): RouteFact => ({ family: 4, dest: d, metric: 0, table: 'main', type: 'blackhole' });
    const none = kernelRoute(main([v4('default', { dev: 'eth0' }), bh('0.0.0.0/1'), { ...bh('128.0.0.0/1'), type: 'unreachable' }]), 4);
    expect(none.route).toBeUndefined();
    expect(none.refusingRoute).toMatchObject({ dest: '0.0.0.0/1' });
    expect(none.why).toBe('blackhole 0.0.0.0/1 and unreachable 128.0.0.0/1 in table main: the kernel refuses every packet');
    const half = kernelRoute(main([bh('0.0.0.0/1'), v4('128.0.0.0/1')]), 4);
    expect(half.route).toMatchObject({ dest: '128.0.0.0/1' });
    expect(dests(half)).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
  });

  it('only for default: a network route is looked up as itself', () => {
    const fact = main([v4('0.0.0.0/1'), v4('128.0.0.0/1'), v4('198.18.0.0/15', { dev: 'eth0' })]);
    const c = kernelRoute(fact, 4, '198.18.0.0/15');
    expect(c).toMatchObject({ route: { dev: 'eth0' } });
    expect(c).not.toHaveProperty('covering');
  });

  it('from /proc as well (the kernel rules assumed)', () => {
    const text = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'eth0\t00000000\t015012C6\t0003\t0\t0\t0\t00000000\t0\t0\t0',
      'tun0\t00000000\t095012C6\t0003\t0\t0\t0\t00000080\t0\t0\t0',
      'tun0\t00000080\t095012C6\t0003\t0\t0\t0\t00000080\t0\t0\t0',
    ].join('\n');
    const fact = routingOf(parseProcRoute(text));
    const c = kernelRoute(fact, 4);
    expect(dests(c)).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
    expect(c.route).toMatchObject({ via: '198.18.80.9', dev: 'tun0' });
  });
});

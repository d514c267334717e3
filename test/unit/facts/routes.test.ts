import { describe, it, expect } from 'vitest';
import { collectRoutes, hexToIpv6, parseIpRoutes, parseIpRules, parseIpv6Route, parseProcRoute } from '../../../src/facts/routes.js';
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
        family: 4, dest: 'default', via: '198.18.32.1', dev: 'd0', metric: 0, table: '700',
        nexthops: [{ via: '198.18.32.1', dev: 'd0', weight: 1 }, { via: '198.18.33.1', dev: 'd1', weight: 2 }],
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
      { dst: 'default', table: '9', flags: [], nexthops: [{ gateway: '198.18.32.1', dev: 'd0', flags: ['dead'] }, { gateway: '198.18.33.1', dev: 'd1', flags: [] }] },
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
    const fact = await collectRoutes(t);
    expect(t.execCalls.sort()).toEqual(['ip -j -4 route show table all', 'ip -j -4 rule show', 'ip -j -6 route show table all', 'ip -j -6 rule show']);
    expect(fact.source).toBe('ip');
    expect(fact.note).toBeUndefined();
    expect(fact.rules!.filter((r) => r.family === 6)).toHaveLength(4);
    expect(fact.routes.filter((r) => r.family === 4 && r.dest === 'default')).toHaveLength(9);
  });

  it('falls back to /proc when ip is missing, and says the rules are unknown', async () => {
    const { files } = captured('kitchen');
    const fact = await collectRoutes(replayTransport({ files }));
    expect(fact.source).toBe('proc');
    expect(fact.rules).toBeUndefined();
    expect(fact.note).toMatch(/^policy rules are unknown \(`ip` \(iproute2\) was not found\)/);
    // /proc/net/route shows the main table only.
    expect(fact.routes.filter((r) => r.family === 4 && r.dest === 'default').map((r) => r.via)).toEqual(['198.18.33.1', '198.18.32.1']);
  });

  it('falls back to /proc when ip refuses -j', async () => {
    const { files } = captured('kitchen');
    const refused = { stdout: '', stderr: 'Option "-j" is unknown, try "ip -help".\n', exitCode: 255 };
    const fact = await collectRoutes(replayTransport({ files, commands: { 'ip -j -4 rule show': refused, 'ip -j -4 route show table all': refused } }));
    expect(fact.source).toBe('proc');
    expect(fact.note).toMatch(/ip -j -4 rule show exited 255: Option "-j" is unknown/);
  });

  it('keeps IPv4 when only ip -6 fails, and marks IPv6 unreadable', async () => {
    const c = captured('kitchen');
    c.commands!['ip -j -6 rule show'] = { stdout: '', stderr: 'RTNETLINK answers: Operation not permitted\n', exitCode: 2 };
    const fact = await collectRoutes(replayTransport(c));
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
    const fact = await collectRoutes(replayTransport(c));
    expect(fact.unreadable).toBeUndefined();
    expect(fact.routes.every((r) => r.family === 4)).toBe(true);
  });

  it('fails when neither ip nor /proc/net/route can be read', async () => {
    await expect(collectRoutes(replayTransport())).rejects.toThrow(/\/proc\/net\/route/);
  });
});

describe('ruleSelects (the generic outbound packet: unbound, mark 0, TOS 0, no output device)', () => {
  const rule = (selectors: Record<string, string>, not = false): RouteRule => ({ family: 4, priority: 1, action: 'lookup', table: '1', selectors, ...(not ? { not } : {}) });
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
    for (const s of [{ from: '10.0.0.0/8' } as Record<string, string>, { to: '198.18.0.0/16' }, { uidrange: '0-0' }, { ipproto: 'tcp' }, { dport: '80' }, { sport: '1-2' }, { somethingnew: 'x' }]) {
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
        const fact = await collectRoutes(replayTransport(captured(name)));
        const kernel = kernelSaid(name, family);
        const ours = ourAnswer(fact, family);
        if ('error' in kernel) expect('error' in ours, JSON.stringify(ours)).toBe(true);
        else expect(ours).toEqual(kernel);
      });
    }
  }

  it('kitchen: rule 70 (not fwmark) wins; 50 found no default, 60 has another mark; the rules after it never run', async () => {
    const c = kernelRoute(await collectRoutes(replayTransport(captured('kitchen'))), 4);
    expect(describeRule(c.rule!)).toBe('rule 70: not from all fwmark 0xca6c lookup 100');
    expect(describeRoute(c.route!)).toBe('default via 198.18.33.254 dev d1');
    expect(c.partial).toEqual([]);
    expect(c.rulesAssumed).toBe(false);
  });

  it('wgquick: main suppressed by suppress_prefixlength 0, then the tunnel table', async () => {
    const c = kernelRoute(await collectRoutes(replayTransport(captured('wgquick'))), 4);
    expect(c.rule).toMatchObject({ priority: 32765, table: '51820' });
    expect(c.route).toMatchObject({ dev: 'wg0', table: '51820' });
  });

  it('blackhole: the looked-up table refuses, and the answer names the route and the rule', async () => {
    const c = kernelRoute(await collectRoutes(replayTransport(captured('blackhole'))), 4);
    expect(c.route).toBeUndefined();
    expect(c.refusingRoute).toMatchObject({ type: 'blackhole', table: '100' });
    expect(c.rule?.priority).toBe(100);
    expect(c.why).toBe('blackhole default in table 100: the kernel refuses the packet');
  });
});

describe('kernelRoute on hand-made tables', () => {
  const r = (table: string, extra: Partial<RouteFact> = {}): RouteFact => ({ family: 4, dest: 'default', via: '198.18.32.1', dev: 'eth0', metric: 0, table, ...extra });
  const rules = (...list: Array<Partial<RouteRule>>): RouteRule[] => list.map((x) => ({ family: 4, priority: 0, action: 'lookup', ...x }) as RouteRule);

  it('takes the lowest metric in a table, whatever the order', () => {
    const fact: RoutesFact = { source: 'ip', routes: [r('main', { metric: 100, dev: 'a' }), r('main', { metric: 50, dev: 'b' }), r('main', { metric: 70, dev: 'c' })], rules: rules({ priority: 32766, table: 'main' }) };
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
    const fact: RoutesFact = { source: 'ip', routes: [r('10', { type: 'throw', via: undefined, dev: undefined }), r('main')], rules: rules({ priority: 1, table: '10' }, { priority: 2, table: 'main' }) };
    expect(kernelRoute(fact, 4).route?.table).toBe('main');
    fact.rules!.splice(1, 0, { family: 4, priority: 1, action: 'prohibit' });
    const c = kernelRoute(fact, 4);
    expect(c.route).toBeUndefined();
    expect(c.why).toBe('rule 1 is prohibit: the kernel refuses every packet it selects');
  });

  it('names rules passed over because they select only some packets', () => {
    const fact: RoutesFact = { source: 'ip', routes: [r('main'), r('7', { dev: 'vpn' })], rules: rules({ priority: 5, table: '7', selectors: { uidrange: '1000-1000' } }, { priority: 32766, table: 'main' }) };
    const c = kernelRoute(fact, 4);
    expect(c.route?.dev).toBe('eth0');
    expect(c.partial.map((x) => x.priority)).toEqual([5]);
  });

  it('assumes the default rules when they are unknown; an older snapshot is the main table', () => {
    const c = kernelRoute(routingOf([r('main'), { family: 6, dest: 'default', via: 'fe80::1', dev: 'eth0', metric: 1024 }]), 6);
    expect(c).toMatchObject({ rulesAssumed: true, route: { via: 'fe80::1' } });
  });

  it('finds a network route by prefix, compared as addresses', () => {
    const fact: RoutesFact = { source: 'ip', routes: [{ family: 6, dest: '2001:db8::/32', dev: 'eth0', metric: 1, table: 'main' }], rules: rules({ family: 6, priority: 32766, table: 'main' }) };
    expect(kernelRoute(fact, 6, '2001:0db8:0::/32').route?.dev).toBe('eth0');
    expect(kernelRoute(fact, 6, '2001:db8::/48').route).toBeUndefined();
  });
});

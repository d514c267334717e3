import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { collectRoutes, hexToIpv6, parseIpv6Route, parseProcRoute } from '../../../src/facts/routes.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { fixtureReader, replayTransport } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

describe('parseProcRoute', () => {
  it('decodes little-endian hex, the default route and metrics; skips unreachable and blackhole routes', () => {
    expect(parseProcRoute(fixture('net-route.txt'))).toEqual([
      { family: 4, dest: 'default', via: '198.18.0.1', dev: 'pl-veth0', metric: 0 },
      { family: 4, dest: '198.18.0.0/24', dev: 'pl-veth0', metric: 0 },
      { family: 4, dest: '198.19.0.0/16', via: '198.18.0.1', dev: 'pl-veth0', metric: 100 },
    ]);
  });

  it('reads a header-only file as no routes', () => {
    expect(parseProcRoute(fixture('net-route.txt').split('\n')[0]!)).toEqual([]);
  });
});

describe('parseIpv6Route', () => {
  it('keeps unicast routes of the main table; skips local, multicast and the null reject route', () => {
    expect(parseIpv6Route(fixture('net-ipv6_route.txt'))).toEqual([
      { family: 6, dest: 'fe80::/64', dev: 'pl-veth0', metric: 256 },
      { family: 6, dest: 'default', via: 'fe80::ec53:1fff:fe63:3939', dev: 'pl-veth0', metric: 1024 },
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
  it('reads both files', async () => {
    const routes = await collectRoutes(
      replayTransport({ files: { '/proc/net/route': fixture('net-route.txt'), '/proc/net/ipv6_route': fixture('net-ipv6_route.txt') } }),
    );
    expect(routes.filter((r) => r.dest === 'default').map((r) => `${r.family} ${r.via}`)).toEqual(['4 198.18.0.1', '6 fe80::ec53:1fff:fe63:3939']);
  });

  it('takes a missing ipv6_route as a host without IPv6', async () => {
    const routes = await collectRoutes(replayTransport({ files: { '/proc/net/route': fixture('net-route.txt') } }));
    expect(routes.map((r) => r.family)).toEqual([4, 4, 4]);
  });

  it('fails when /proc/net/route cannot be read', async () => {
    await expect(collectRoutes(replayTransport())).rejects.toThrow(/\/proc\/net\/route/);
  });

  it('reads the live routing table', async () => {
    const routes = await collectRoutes(new LocalTransport());
    const live = readFileSync('/proc/net/route', 'utf8');
    expect(routes.filter((r) => r.family === 4)).toEqual(parseProcRoute(live));
  });
});

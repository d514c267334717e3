import { describe, expect, it } from 'vitest';
import {
  AddressSet,
  canonical,
  fromBytes,
  hostPortCovers,
  invalidHostPort,
  invalidNetwork,
  isLoopback,
  isWildcard,
  parseAddress,
  parseHostPort,
  parseNetwork,
  parseNetworks,
  spansFamily,
  unmapped,
  wildcardFamily,
} from '../../../src/lib/address.js';
import type { Network } from '../../../src/lib/address.js';

const net = (s: string): Network => {
  const n = parseNetwork(s);
  if (!n) throw new Error(`not a network: ${s}`);
  return n;
};
const set = (...entries: string[]): AddressSet => new AddressSet(entries.flatMap((e) => parseNetworks(e) ?? []));

describe('parseAddress / canonical', () => {
  it('gives one canonical text for every spelling of an IPv6 address', () => {
    for (const s of ['::1', '0:0::1', '0:0:0:0:0:0:0:1', '0000:0000:0000:0000:0000:0000:0000:0001', '[::1]', '[0:0:0:0:0:0:0:1]', ' ::1 ']) {
      expect(parseAddress(s), s).toEqual({ text: '::1', family: 6 });
    }
    expect(canonical('FD00::ABCD')).toBe('fd00::abcd');
    expect(canonical('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonical('::FFFF:127.0.0.1')).toBe('::ffff:127.0.0.1');
    expect(canonical('::ffff:7f00:1')).toBe('::ffff:127.0.0.1');
    expect(canonical('0:0:0:0:0:0:0:0')).toBe('::');
  });

  it('drops a zone index when reading a socket address', () => {
    expect(parseAddress('fe80::1%eth0')).toEqual({ text: 'fe80::1', family: 6 });
  });

  it('reads IPv4 as is and refuses what is not an address', () => {
    expect(parseAddress('127.0.0.1')).toEqual({ text: '127.0.0.1', family: 4 });
    for (const s of ['', '01.2.3.4', '256.0.0.1', '1.2.3', 'localhost', '::1::', '10.0.0.0/8', '*']) expect(parseAddress(s), s).toBeUndefined();
    expect(canonical(' localhost ')).toBe('localhost');
  });

  it('fromBytes prints 4 or 16 bytes canonically and refuses other lengths', () => {
    expect(fromBytes([127, 0, 0, 1])).toBe('127.0.0.1');
    expect(fromBytes([...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1])).toBe('::ffff:127.0.0.1');
    expect(fromBytes([...Array(10).fill(0), 0xff, 0xff, 0, 0, 0, 0])).toBe('::ffff:0.0.0.0');
    expect(() => fromBytes([1, 2, 3])).toThrow(/4 or 16 bytes/);
  });
});

describe('IPv4-mapped addresses are the IPv4 address they map', () => {
  it('unmapped', () => {
    expect(unmapped(parseAddress('::ffff:127.0.0.1')!)).toEqual({ text: '127.0.0.1', family: 4 });
    expect(unmapped(parseAddress('::FFFF:0.0.0.0')!)).toEqual({ text: '0.0.0.0', family: 4 });
    expect(unmapped(parseAddress('::1')!)).toEqual({ text: '::1', family: 6 });
    expect(unmapped(parseAddress('10.0.0.1')!)).toEqual({ text: '10.0.0.1', family: 4 });
  });

  it('::ffff:127.0.0.1 is loopback; ::ffff:0.0.0.0 is the IPv4 wildcard', () => {
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.1.2.3')).toBe(true);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
    expect(wildcardFamily('::ffff:0.0.0.0')).toBe(4);
    expect(isWildcard('::ffff:0.0.0.0')).toBe(true);
  });
});

describe('isWildcard / wildcardFamily / isLoopback', () => {
  it('knows both wildcards in any spelling', () => {
    expect(wildcardFamily('0.0.0.0')).toBe(4);
    expect(wildcardFamily('::')).toBe(6);
    expect(wildcardFamily('0:0:0:0:0:0:0:0')).toBe(6);
    expect(wildcardFamily('[::]')).toBe(6);
    for (const s of ['127.0.0.1', '::1', '0.0.0.1', '*', 'x']) expect(isWildcard(s), s).toBe(false);
  });

  it('loopback is 127.0.0.0/8 and ::1 only', () => {
    for (const s of ['127.0.0.1', '127.255.0.9', '::1', '0:0::1', '[0:0:0:0:0:0:0:1]']) expect(isLoopback(s), s).toBe(true);
    for (const s of ['128.0.0.1', '::2', '::', '0.0.0.0', 'fe80::1', 'localhost']) expect(isLoopback(s), s).toBe(false);
  });
});

describe('parseNetwork / invalidNetwork', () => {
  it('reads CIDR in each spelling and lone addresses as /32 and /128', () => {
    expect(net('127.0.0.0/8')).toEqual({ text: '127.0.0.0/8', address: { text: '127.0.0.0', family: 4 }, prefix: 8 });
    expect(net('[fd00::/8]')).toMatchObject({ address: { text: 'fd00::', family: 6 }, prefix: 8 });
    expect(net('FD00::/8')).toMatchObject({ address: { text: 'fd00::', family: 6 }, prefix: 8 });
    expect(net('10.1.2.3')).toMatchObject({ address: { text: '10.1.2.3' }, prefix: 32 });
    expect(net('0:0::1')).toMatchObject({ address: { text: '::1' }, prefix: 128 });
  });

  it('maps IPv4-mapped networks that stay inside ::ffff:0:0/96 to IPv4', () => {
    expect(net('[::ffff:10.0.0.0/104]')).toMatchObject({ address: { text: '10.0.0.0', family: 4 }, prefix: 8 });
    expect(net('::ffff:127.0.0.1')).toMatchObject({ address: { text: '127.0.0.1', family: 4 }, prefix: 32 });
    expect(net('::ffff:0.0.0.0/96')).toMatchObject({ address: { text: '0.0.0.0', family: 4 }, prefix: 0 });
    // A shorter prefix reaches past the mapped block: it stays an IPv6 network (and this one has bits set past /80).
    expect(net('::/80')).toMatchObject({ address: { text: '::', family: 6 }, prefix: 80 });
    expect(invalidNetwork('::ffff:0:0/80')).toBe('::ffff:0:0/80 has bits set past the /80: the network is ::/80');
  });

  it('says why an entry is not a network', () => {
    expect(invalidNetwork('127.0.0.0/8')).toBeUndefined();
    expect(invalidNetwork('*')).toBeUndefined();
    expect(invalidNetwork('')).toBe('an address is empty');
    expect(invalidNetwork('localhost')).toBe('"localhost" is not an IP address');
    expect(invalidNetwork('999.0.0.1')).toBe('"999.0.0.1" is not an IP address');
    expect(invalidNetwork('10.0.0.0/33')).toBe('10.0.0.0/33: /33 is longer than an IPv4 address (32 bits)');
    expect(invalidNetwork('fd00::/129')).toBe('fd00::/129: /129 is longer than an IPv6 address (128 bits)');
    expect(invalidNetwork('10.0.0.0/x')).toBe('10.0.0.0/x: "/x" is not a prefix length');
    expect(invalidNetwork('10.0.0.0/')).toBe('10.0.0.0/: "/" is not a prefix length');
    expect(invalidNetwork('10.1.2.3/8')).toBe('10.1.2.3/8 has bits set past the /8: the network is 10.0.0.0/8');
    expect(invalidNetwork('fd00::1/8')).toBe('fd00::1/8 has bits set past the /8: the network is fd00::/8');
    expect(invalidNetwork('[fd00::]/8')).toBe('[fd00::]/8: write the prefix inside the brackets, like "[fd00::/8]"');
    expect(invalidNetwork('[::1')).toBe('[::1: unbalanced brackets');
    // A bind list names addresses: a port there is a mistake worth naming as such.
    expect(invalidNetwork('[::1]:80')).toBe('[::1]:80: an address here takes no port; write "[::1]"');
    expect(invalidNetwork('fe80::1%eth0')).toMatch(/zone index/);
    for (const s of ['localhost', '10.0.0.0/33', '10.1.2.3/8', 'fe80::1%eth0']) expect(parseNetwork(s), s).toBeUndefined();
  });
});

describe('AddressSet', () => {
  it('holds addresses inside its networks, in any spelling, mapped ones included', () => {
    const s = set('127.0.0.0/8', '::1', '[fd00::/8]');
    for (const a of ['127.0.0.1', '127.9.9.9', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1', 'FD12::1']) expect(s.has(a), a).toBe(true);
    for (const a of ['10.0.0.1', '::2', 'fe80::1', 'nonsense']) expect(s.has(a), a).toBe(false);
  });

  it('a wildcard is held only by a network that spans its family', () => {
    expect(set('10.0.0.0/8').has('0.0.0.0')).toBe(false);
    expect(set('0.0.0.0/8').has('0.0.0.0')).toBe(false);
    expect(set('0.0.0.0/0').has('0.0.0.0')).toBe(true);
    expect(set('0.0.0.0').has('0.0.0.0')).toBe(true);
    expect(set('0.0.0.0').has('10.1.1.1')).toBe(true);
    expect(set('0.0.0.0').has('::ffff:0.0.0.0')).toBe(true);
    expect(set('::/0').has('::')).toBe(true);
    expect(set('[::]').has('::')).toBe(true);
    expect(set('fd00::/8').has('::')).toBe(false);
  });

  it('keeps the families apart: ::/0 is every IPv6 address, not IPv4', () => {
    expect(set('::/0').has('0.0.0.0')).toBe(false);
    expect(set('::/0').has('127.0.0.1')).toBe(false);
    expect(set('::/0').has('::ffff:127.0.0.1')).toBe(false);
    expect(set('0.0.0.0/0').has('::')).toBe(false);
    expect(set('0.0.0.0/0').has('::1')).toBe(false);
  });

  it('* is everything', () => {
    const s = set('*');
    for (const a of ['0.0.0.0', '::', '10.0.0.1', '::1', '::ffff:0.0.0.0']) expect(s.has(a), a).toBe(true);
  });

  it('spansFamily', () => {
    expect(spansFamily(net('0.0.0.0/0'))).toBe(true);
    expect(spansFamily(net('::'))).toBe(true);
    expect(spansFamily(net('::/1'))).toBe(false);
    expect(spansFamily(net('10.0.0.0/8'))).toBe(false);
  });
});

describe('parseHostPort / hostPortCovers', () => {
  const covers = (entry: string | number, address: string, port: number): boolean => hostPortCovers(parseHostPort(entry)!, address, port);

  it('reads every form of an allow-list entry', () => {
    expect(parseHostPort(443)).toEqual({ any: true, port: 443 });
    expect(parseHostPort('443')).toEqual({ any: true, port: 443 });
    expect(parseHostPort('*:22')).toEqual({ any: true, port: 22 });
    expect(parseHostPort('127.0.0.1:6379')).toMatchObject({ any: false, port: 6379, network: { address: { text: '127.0.0.1' }, prefix: 32 } });
    expect(parseHostPort('[0:0:0:0:0:0:0:1]:5432')).toMatchObject({ port: 5432, network: { address: { text: '::1' }, prefix: 128 } });
    expect(parseHostPort('[0:0::1]:5432')).toMatchObject({ network: { address: { text: '::1' } } });
    expect(parseHostPort('[FD00::ABCD]:80')).toMatchObject({ network: { address: { text: 'fd00::abcd' } } });
    expect(parseHostPort('127.0.0.0/8:6379')).toMatchObject({ port: 6379, network: { address: { text: '127.0.0.0' }, prefix: 8 } });
    expect(parseHostPort('[fd00::/8]:443')).toMatchObject({ port: 443, network: { address: { text: 'fd00::' }, prefix: 8 } });
    expect(parseHostPort('[::ffff:127.0.0.1]:80')).toMatchObject({ network: { address: { text: '127.0.0.1', family: 4 } } });
  });

  it('matches addresses, not strings', () => {
    expect(covers('[0:0:0:0:0:0:0:1]:5432', '::1', 5432)).toBe(true);
    expect(covers('[0:0::1]:5432', '::1', 5432)).toBe(true);
    expect(covers('[0:0::1]:5432', '::1', 5433)).toBe(false);
    expect(covers('[::FFFF:127.0.0.1]:6379', '127.0.0.1', 6379)).toBe(true);
    expect(covers('127.0.0.1:6379', '::ffff:127.0.0.1', 6379)).toBe(true);
    expect(covers('127.0.0.0/8:6379', '127.0.0.53', 6379)).toBe(true);
    expect(covers('127.0.0.0/8:6379', '::ffff:127.0.0.1', 6379)).toBe(true);
    expect(covers('[FD00::/8]:443', 'fd12:3456::1', 443)).toBe(true);
    expect(covers('[fd00::/8]:443', '::', 443)).toBe(false);
    expect(covers('10.0.0.0/8:80', '0.0.0.0', 80)).toBe(false);
    expect(covers('0.0.0.0/0:80', '0.0.0.0', 80)).toBe(true);
    expect(covers('0.0.0.0:80', '::ffff:0.0.0.0', 80)).toBe(true);
    expect(covers('*:80', '::', 80)).toBe(true);
    expect(covers(80, '0.0.0.0', 80)).toBe(true);
  });

  it('says why an entry is invalid', () => {
    for (const ok of [
      22,
      '22',
      '*:22',
      '127.0.0.1:6379',
      '[::1]:5432',
      '[0:0:0:0:0:0:0:1]:5432',
      '127.0.0.0/8:6379',
      '[fd00::/8]:443',
      '[::FFFF:127.0.0.1]:80',
    ]) {
      expect(invalidHostPort(ok), String(ok)).toBeUndefined();
    }
    expect(invalidHostPort(0)).toBe('port 0 is not 1-65535');
    expect(invalidHostPort(70000)).toBe('port 70000 is not 1-65535');
    expect(invalidHostPort(22.5)).toBe('port 22.5 is not 1-65535');
    expect(invalidHostPort('127.0.0.1:70000')).toBe('port 70000 is not 1-65535');
    expect(invalidHostPort('127.0.0.1')).toMatch(/^"127.0.0.1": expected a port number or "address:port", like /);
    expect(invalidHostPort('[::1]')).toMatch(/expected a port number or "address:port"/);
    expect(invalidHostPort(':80')).toMatch(/expected a port number/);
    expect(invalidHostPort('::1:5432')).toBe('"::1:5432": an IPv6 address takes brackets before the port, like "[::1]:5432"');
    expect(invalidHostPort('localhost:80')).toBe('"localhost" is not an IP address');
    expect(invalidHostPort('300.0.0.1:80')).toBe('"300.0.0.1" is not an IP address');
    expect(invalidHostPort('10.0.0.0/33:80')).toBe('10.0.0.0/33: /33 is longer than an IPv4 address (32 bits)');
    expect(invalidHostPort('10.0.0.1/8:80')).toBe('10.0.0.1/8 has bits set past the /8: the network is 10.0.0.0/8');
    expect(invalidHostPort('[fd00::1/8]:443')).toBe('[fd00::1/8] has bits set past the /8: the network is fd00::/8');
    expect(invalidHostPort('[fe80::1%eth0]:22')).toMatch(/zone index/);
    expect(parseHostPort('::1:5432')).toBeUndefined();
    expect(parseHostPort('localhost:80')).toBeUndefined();
  });
});

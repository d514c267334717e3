// Hermetic: captured /proc and ss texts and replayed snapshots only. Real sockets on this machine are read in
// test/integration/sockets.test.ts.
import { describe, it, expect } from 'vitest';
import { readFamily } from '../../helpers/family.js';
import { socketsFamily, decideDualStack, parseSsInet6 } from '../../../src/facts/families/sockets.js';
import { buildSockets, decodeProcAddress, parseProcNet } from '../../../src/facts/socket-table.js';
import type { Listener, SocketsFact } from '../../../src/facts/model.js';
import { parsePasswd } from '../../../src/facts/passwd.js';
import { fromBytes } from '../../../src/lib/address.js';
import { fixtureReader, ok, replayTransport, serversSnapshot } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

const SERVERS_PID = 3984;

const find = (f: SocketsFact | { listeners: Listener[] }, protocol: 'tcp' | 'udp', port: number, address?: string): Listener[] =>
  f.listeners.filter((l) => l.protocol === protocol && l.port === port && (address === undefined || l.address === address));

describe('decodeProcAddress / fromBytes', () => {
  it('decodes little-endian words as the kernel prints them', () => {
    expect(decodeProcAddress('0100007F', 4)).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000', 4)).toBe('0.0.0.0');
    expect(decodeProcAddress('00000000000000000000000000000000', 6)).toBe('::');
    expect(decodeProcAddress('00000000000000000000000001000000', 6)).toBe('::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F', 6)).toBe('::ffff:127.0.0.1');
    expect(decodeProcAddress('7F000001', 4, false)).toBe('127.0.0.1');
  });

  it('compresses per RFC 5952', () => {
    const words = (...w: number[]): number[] => w.flatMap((x) => [x >> 8, x & 0xff]);
    expect(fromBytes(words(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1))).toBe('2001:db8::1:0:0:1');
    expect(fromBytes(words(0x2001, 0, 0, 1, 0, 0, 0, 1))).toBe('2001:0:0:1::1');
    expect(fromBytes(words(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1))).toBe('2001:db8:0:1:1:1:1:1');
    expect(fromBytes(words(0xfe80, 0, 0, 0, 0, 0, 0, 0))).toBe('fe80::');
    expect(fromBytes(words(0xfe80, 0, 0, 0, 0x1234, 0xabcd, 0, 0))).toBe('fe80::1234:abcd:0:0');
  });

  it('rejects malformed hex', () => {
    expect(() => decodeProcAddress('0100007', 4)).toThrow(/bad IPv4 address/);
    expect(() => decodeProcAddress('ZZ00007F', 4)).toThrow(/bad IPv4 address/);
  });
});

describe('parseProcNet (captured /proc/net files)', () => {
  it('parses tcp rows: addresses, ports, states, uid, inode', () => {
    const rows = parseProcNet(fixture('net-tcp-dualstack.txt'), 'tcp', 4);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({
      protocol: 'tcp',
      family: 4,
      localAddress: '0.0.0.0',
      localPort: 8085,
      remoteAddress: '0.0.0.0',
      remotePort: 0,
      state: 0x0a,
      uid: 0,
      inode: 8323,
    });
    expect(rows[6]).toMatchObject({ localAddress: '127.0.0.1', localPort: 8086, remotePort: 0x93cc, state: 0x08, inode: 8335 });
    // An orphaned FIN_WAIT2 socket no longer has an inode.
    expect(rows[8]).toMatchObject({ state: 0x05, inode: 0 });
  });

  it('parses tcp6 rows including v4-mapped peers', () => {
    const rows = parseProcNet(fixture('net-tcp6-dualstack.txt'), 'tcp', 6);
    expect(rows.map((r) => `[${r.localAddress}]:${r.localPort}`)).toEqual([
      '[::1]:8084',
      '[::]:8085',
      '[::]:8082',
      '[::]:8083',
      '[::1]:8084',
      '[::1]:56740',
      '[::ffff:127.0.0.1]:8082',
    ]);
    expect(rows[6]).toMatchObject({ remoteAddress: '::ffff:127.0.0.1', remotePort: 45120, state: 0x01, inode: 8337 });
  });

  it('parses udp rows', () => {
    const rows = parseProcNet(fixture('net-udp-dualstack.txt'), 'udp', 4);
    expect(rows.map((r) => [r.localAddress, r.localPort, r.remoteAddress, r.remotePort, r.state])).toEqual([
      ['0.0.0.0', 5353, '0.0.0.0', 0, 7],
      ['127.0.0.1', 5354, '0.0.0.0', 0, 7],
      ['127.0.0.1', 5358, '127.0.0.1', 5353, 1],
    ]);
  });
});

describe('the piling states, by whom', () => {
  const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const row = (i: number, local: string, remote: string, st: string, inode: number) =>
    `  ${i}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
  // 198.19.48.1 and 198.19.48.2 as the kernel prints them on a little-endian host; ports in hex.
  const [A1, A2] = ['013013C6', '023013C6'];
  const tcp =
    HEAD +
    row(0, '00000000:1F90', '00000000:0000', '0A', 10) +
    row(1, `${A1}:1F90`, `${A2}:9C40`, '08', 11) +
    row(2, `${A1}:1F90`, `${A2}:9C41`, '08', 12) +
    row(3, `${A1}:C350`, `${A2}:01BB`, '02', 13) +
    row(4, `${A1}:C351`, `${A2}:0050`, '08', 14) +
    row(5, `${A1}:C352`, `${A2}:01BB`, '01', 15);
  // The same peer through a dual-stack socket: an IPv4-mapped address.
  const tcp6 = HEAD + row(0, `0000000000000000FFFF0000${A1}:C353`, `0000000000000000FFFF0000${A2}:01BB`, '02', 16);

  it("counts a service's CLOSE_WAIT under its port, a client's SYN_SENT and CLOSE_WAIT under the peer (mapped addresses unmapped), nothing else", () => {
    const { tcpPiling, tcpStates } = buildSockets({ tcp, tcp6, udp: '', udp6: '' });
    expect(tcpPiling).toEqual({ SYN_SENT: { 'to 198.19.48.2:443': 2 }, CLOSE_WAIT: { 'on 8080': 2, 'to 198.19.48.2:80': 1 } });
    expect(tcpStates).toMatchObject({ SYN_SENT: 2, CLOSE_WAIT: 3, ESTABLISHED: 1, LISTEN: 1 });
  });
});

describe('buildSockets (captured /proc/net files)', () => {
  const built = buildSockets({
    tcp: fixture('net-tcp-dualstack.txt'),
    tcp6: fixture('net-tcp6-dualstack.txt'),
    udp: fixture('net-udp-dualstack.txt'),
    udp6: fixture('net-udp6-dualstack.txt'),
  });

  it('finds every listener and skips connected UDP sockets', () => {
    expect(built.listeners.map((l) => `${l.protocol} ${l.family} ${l.address} ${l.port} ${l.inode}`)).toEqual([
      'tcp 4 0.0.0.0 8080 8318',
      'tcp 4 127.0.0.1 8081 8319',
      'tcp 6 :: 8082 8320',
      'tcp 6 :: 8083 8321',
      'tcp 6 ::1 8084 8322',
      'tcp 4 0.0.0.0 8085 8323',
      'tcp 6 :: 8085 8324',
      'tcp 4 127.0.0.1 8086 8325',
      'udp 4 0.0.0.0 5353 8326',
      'udp 4 127.0.0.1 5354 8327',
      'udp 6 :: 5355 8328',
      'udp 6 :: 5356 8329',
      'udp 6 ::1 5357 8330',
    ]);
    expect(find(built, 'udp', 5358)).toEqual([]);
  });

  it('counts TCP states over tcp and tcp6 with every state name present', () => {
    expect(built.tcpStates).toEqual({
      ESTABLISHED: 6,
      SYN_SENT: 0,
      SYN_RECV: 0,
      FIN_WAIT1: 0,
      FIN_WAIT2: 1,
      TIME_WAIT: 1,
      CLOSE: 0,
      CLOSE_WAIT: 1,
      LAST_ACK: 0,
      LISTEN: 8,
      CLOSING: 0,
      NEW_SYN_RECV: 0,
    });
  });
});

describe('parseSsInet6 (captured ss output)', () => {
  it('reads the v6only field and inode from ss -e', () => {
    const s = parseSsInet6(fixture('ss-inet6-dualstack.txt'));
    expect(s.find((x) => x.port === 8082)).toEqual({ protocol: 'tcp', address: '::', port: 8082, inode: 8320, v6only: false });
    expect(s.find((x) => x.port === 8083)).toEqual({ protocol: 'tcp', address: '::', port: 8083, inode: 8321, v6only: true });
    expect(s.find((x) => x.port === 8084)).toMatchObject({ address: '::1', v6only: true });
    expect(s.find((x) => x.port === 5355)).toMatchObject({ protocol: 'udp', v6only: false });
  });

  it('falls back to "*" versus "[::]" when ss prints no v6only field', () => {
    const s = parseSsInet6(fixture('ss-inet6-plain.txt'));
    expect(s.find((x) => x.port === 8082)).toEqual({ protocol: 'tcp', address: '::', port: 8082, v6only: false });
    expect(s.find((x) => x.port === 8083)).toEqual({ protocol: 'tcp', address: '::', port: 8083, v6only: true });
    expect(s.find((x) => x.port === 5356)).toEqual({ protocol: 'udp', address: '::', port: 5356, v6only: true });
  });
});

describe('collectSockets over a replayed snapshot', () => {
  const dual = (f: SocketsFact, protocol: 'tcp' | 'udp', port: number): [boolean, string | undefined] => {
    const l = find(f, protocol, port, '::')[0];
    return [l?.dualStack as boolean, l?.dualStackSource];
  };

  it('decides dual-stack from the socket flag when ss is present', async () => {
    const t = replayTransport(serversSnapshot());
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, t);
    expect(t.execCalls).toEqual(['ss -Hlntue -f inet6']);
    expect(dual(f, 'tcp', 8082)).toEqual([true, 'socket']);
    expect(dual(f, 'tcp', 8083)).toEqual([false, 'socket']);
    expect(dual(f, 'tcp', 8085)).toEqual([false, 'socket']);
    expect(dual(f, 'udp', 5355)).toEqual([true, 'socket']);
    expect(dual(f, 'udp', 5356)).toEqual([false, 'socket']);
    // Only wildcard v6 sockets can be dual-stack.
    expect(find(f, 'tcp', 8084)[0]).toMatchObject({ address: '::1', dualStack: false });
    expect(find(f, 'tcp', 8084)[0]?.dualStackSource).toBeUndefined();
    expect(find(f, 'tcp', 8080)[0]).toMatchObject({ address: '0.0.0.0', dualStack: false });
  });

  it('uses the older ss output form (no inode, no v6only field) by port', async () => {
    const r = serversSnapshot();
    r.commands = { 'ss -Hlntue -f inet6': ok(fixture('ss-inet6-plain.txt')) };
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(dual(f, 'tcp', 8082)).toEqual([true, 'socket']);
    expect(dual(f, 'tcp', 8083)).toEqual([false, 'socket']);
  });

  it('falls back to the IPv4 pair, then bindv6only, when ss is missing', async () => {
    const r = serversSnapshot();
    r.commands = {};
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(dual(f, 'tcp', 8085)).toEqual([false, 'paired']);
    expect(find(f, 'tcp', 8082, '::')[0]?.dualStackAssumedBecause).toBe('ss was not available');
    expect(find(f, 'tcp', 8085, '::')[0]?.dualStackAssumedBecause).toBeUndefined();
    // The kernel default (bindv6only=0) cannot see the v6only flag on 8083: that is the fallback's known limit.
    expect(dual(f, 'tcp', 8082)).toEqual([true, 'sysctl']);
    expect(dual(f, 'tcp', 8083)).toEqual([true, 'sysctl']);
    expect(dual(f, 'udp', 5356)).toEqual([true, 'sysctl']);

    r.files = { ...r.files, '/proc/sys/net/ipv6/bindv6only': fixture('sysctl-bindv6only-1.txt') };
    const g = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(dual(g, 'tcp', 8082)).toEqual([false, 'sysctl']);
    expect(dual(g, 'tcp', 8085)).toEqual([false, 'paired']);
  });

  it('treats a failing ss like a missing one', async () => {
    const r = serversSnapshot();
    r.commands = { 'ss -Hlntue -f inet6': { stdout: '', stderr: 'ss: netlink error', exitCode: 1 } };
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(dual(f, 'tcp', 8085)).toEqual([false, 'paired']);
    expect(find(f, 'tcp', 8082, '::')[0]).toMatchObject({ dualStackSource: 'sysctl', dualStackAssumedBecause: 'ss failed (exit 1)' });
  });

  it('says when ss timed out', async () => {
    const r = serversSnapshot();
    r.commands = { 'ss -Hlntue -f inet6': { error: 'ETIMEDOUT' } };
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(find(f, 'tcp', 8082, '::')[0]).toMatchObject({ dualStackSource: 'sysctl', dualStackAssumedBecause: 'ss timed out' });
  });

  it('maps every listener to the process holding its inode', async () => {
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(serversSnapshot()));
    expect(f.ownersComplete).toBe(true);
    expect(f.listeners).toHaveLength(13);
    for (const l of f.listeners) expect(l.owners).toEqual([{ pid: SERVERS_PID, comm: 'python3', uid: 0 }]);
    expect(f.tcpStates.ESTABLISHED).toBe(6);
    expect(f.tcpStates.CLOSE_WAIT).toBe(1);
    expect(f.tcpStates.LISTEN).toBe(8);
  });

  it('marks owners incomplete when an fd directory is not readable', async () => {
    const r = serversSnapshot();
    r.dirs = { [`/proc/${SERVERS_PID}/fd`]: { error: 'EACCES' } };
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(f.ownersComplete).toBe(false);
    expect(f.listeners.every((l) => l.owners.length === 0)).toBe(true);
  });

  it('marks owners incomplete when fd links are refused (as for a non-dumpable process)', async () => {
    const r = serversSnapshot();
    r.links = { ...r.links, [`/proc/${SERVERS_PID}/fd/3`]: { error: 'EACCES' } };
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(f.ownersComplete).toBe(false);
  });

  it('does not treat a vanished process as incomplete', async () => {
    const r = serversSnapshot();
    r.files = { ...r.files, '/proc/999999/comm': 'gone\n' }; // listed in /proc, but its fd dir has gone
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport(r));
    expect(f.ownersComplete).toBe(true);
  });

  it('accepts a host without IPv6 (no tcp6/udp6 files) and skips ss', async () => {
    const r = serversSnapshot();
    const files = { ...r.files };
    delete files['/proc/net/tcp6'];
    delete files['/proc/net/udp6'];
    const t = replayTransport({ ...r, files });
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, t);
    expect(f.listeners.every((l) => l.family === 4)).toBe(true);
    expect(f.tcpStates.LISTEN).toBe(4);
    expect(t.execCalls).toEqual([]);
    expect(t.batches).toHaveLength(1);
  });

  it('fails the family when /proc/net/tcp itself is unreadable', async () => {
    const r = serversSnapshot();
    const files = { ...r.files };
    delete files['/proc/net/tcp'];
    await expect(readFamily(socketsFamily, { timeoutMs: 5_000 }, replayTransport({ ...r, files }))).rejects.toThrow(/cannot read \/proc\/net\/tcp/);
  });
});

describe('parsePasswd', () => {
  it('maps uids to the first name listed', () => {
    const users = parsePasswd(
      '# comment\nroot:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\nbroken\n:x:7:7::/:\n',
    );
    expect([...users]).toEqual([
      [0, 'root'],
      [65534, 'nobody'],
    ]);
  });
});

describe('IPv4-mapped binds (captured from a namespace)', () => {
  const mapped = () => ({
    tcp: fixture('net-tcp-mapped.txt'),
    tcp6: fixture('net-tcp6-mapped.txt'),
    udp: '',
    udp6: '',
  });

  it('keeps the canonical text of mapped socket addresses, as the socket has them (family 6)', () => {
    const { listeners } = buildSockets(mapped());
    expect(listeners.map((l) => `${l.family} ${l.address} ${l.port}`)).toEqual([
      '6 ::ffff:127.0.0.1 8090',
      '6 :: 8091',
      '6 ::ffff:0.0.0.0 8091',
      '6 :: 8092',
      '4 127.0.0.1 8093',
    ]);
  });

  it('reads the mapped addresses ss prints in the same canonical form', () => {
    const s = parseSsInet6(fixture('ss-inet6-mapped.txt'));
    expect(s.map((x) => `${x.address} ${x.port} ${String(x.v6only)}`)).toEqual([
      '::ffff:127.0.0.1 8090 false',
      ':: 8092 false',
      ':: 8091 true',
      '::ffff:0.0.0.0 8091 false',
    ]);
  });

  it('a mapped socket is never dual-stack; ::ffff:0.0.0.0 is the IPv4 wildcard that pairs with a v6only [::]', () => {
    const { listeners } = buildSockets(mapped());
    decideDualStack(listeners, { why: 'ss was not available' }, false);
    const at = (port: number, address: string) => listeners.find((l) => l.port === port && l.address === address);
    expect(at(8090, '::ffff:127.0.0.1')).toMatchObject({ dualStack: false });
    expect(at(8090, '::ffff:127.0.0.1')?.dualStackSource).toBeUndefined();
    expect(at(8091, '::ffff:0.0.0.0')?.dualStackSource).toBeUndefined();
    expect(at(8091, '::')).toMatchObject({ dualStack: false, dualStackSource: 'paired' });
    expect(at(8092, '::')).toMatchObject({ dualStack: true, dualStackSource: 'sysctl', dualStackAssumedBecause: 'ss was not available' });
  });
});

describe('decideDualStack says why it assumed', () => {
  const wild = (inode: number): Listener => ({ protocol: 'tcp', family: 6, address: '::', port: 80, dualStack: false, uid: 0, inode, owners: [] });

  it('facts (socket, paired) carry no reason; assumptions name what ss did', () => {
    const cases: [Parameters<typeof decideDualStack>[1], boolean | undefined, Partial<Listener>][] = [
      [{ sockets: [{ protocol: 'tcp', address: '::', port: 80, inode: 1, v6only: true }] }, false, { dualStack: false, dualStackSource: 'socket' }],
      [{ why: 'ss failed (exit 1)' }, false, { dualStack: true, dualStackSource: 'sysctl', dualStackAssumedBecause: 'ss failed (exit 1)' }],
      [{ why: 'ss timed out' }, true, { dualStack: false, dualStackSource: 'sysctl', dualStackAssumedBecause: 'ss timed out' }],
      [{ sockets: [] }, false, { dualStackSource: 'sysctl', dualStackAssumedBecause: 'ss did not list the socket' }],
      [
        { sockets: [{ protocol: 'tcp', address: '::', port: 80, inode: 1 }] },
        false,
        { dualStackAssumedBecause: "ss did not show the socket's IPV6_V6ONLY flag" },
      ],
      [
        { why: 'ss was not available' },
        undefined,
        { dualStack: true, dualStackAssumedBecause: 'ss was not available; net.ipv6.bindv6only could not be read, 0 is the kernel default' },
      ],
    ];
    for (const [ss, bindV6Only, want] of cases) {
      const l = wild(1);
      decideDualStack([l], ss, bindV6Only);
      expect(l, JSON.stringify(ss)).toMatchObject(want);
      if (l.dualStackSource !== 'sysctl') expect(l.dualStackAssumedBecause).toBeUndefined();
    }
  });
});

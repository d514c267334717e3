import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as dgram from 'node:dgram';
import {
  buildSockets,
  collectSockets,
  decodeProcAddress,
  parseProcNet,
  parseSsInet6,
} from '../../../src/facts/sockets.js';
import type { Listener, SocketsFact } from '../../../src/facts/model.js';
import { parsePasswd } from '../../../src/facts/passwd.js';
import { fromBytes } from '../../../src/lib/address.js';
import { LocalTransport } from '../../../src/transport/local.js';
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
    const f = await collectSockets(t);
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
    const f = await collectSockets(replayTransport(r));
    expect(dual(f, 'tcp', 8082)).toEqual([true, 'socket']);
    expect(dual(f, 'tcp', 8083)).toEqual([false, 'socket']);
  });

  it('falls back to the IPv4 pair, then bindv6only, when ss is missing', async () => {
    const r = serversSnapshot();
    r.commands = {};
    const f = await collectSockets(replayTransport(r));
    expect(dual(f, 'tcp', 8085)).toEqual([false, 'paired']);
    // The kernel default (bindv6only=0) cannot see the v6only flag on 8083: that is the fallback's known limit.
    expect(dual(f, 'tcp', 8082)).toEqual([true, 'sysctl']);
    expect(dual(f, 'tcp', 8083)).toEqual([true, 'sysctl']);
    expect(dual(f, 'udp', 5356)).toEqual([true, 'sysctl']);

    r.files = { ...r.files, '/proc/sys/net/ipv6/bindv6only': fixture('sysctl-bindv6only-1.txt') };
    const g = await collectSockets(replayTransport(r));
    expect(dual(g, 'tcp', 8082)).toEqual([false, 'sysctl']);
    expect(dual(g, 'tcp', 8085)).toEqual([false, 'paired']);
  });

  it('treats a failing ss like a missing one', async () => {
    const r = serversSnapshot();
    r.commands = { 'ss -Hlntue -f inet6': { stdout: '', stderr: 'ss: netlink error', exitCode: 1 } };
    const f = await collectSockets(replayTransport(r));
    expect(dual(f, 'tcp', 8085)).toEqual([false, 'paired']);
  });

  it('maps every listener to the process holding its inode', async () => {
    const f = await collectSockets(replayTransport(serversSnapshot()));
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
    const f = await collectSockets(replayTransport(r));
    expect(f.ownersComplete).toBe(false);
    expect(f.listeners.every((l) => l.owners.length === 0)).toBe(true);
  });

  it('marks owners incomplete when fd links are refused (as for a non-dumpable process)', async () => {
    const r = serversSnapshot();
    r.links = { ...r.links, [`/proc/${SERVERS_PID}/fd/3`]: { error: 'EACCES' } };
    const f = await collectSockets(replayTransport(r));
    expect(f.ownersComplete).toBe(false);
  });

  it('does not treat a vanished process as incomplete', async () => {
    const r = serversSnapshot();
    r.files = { ...r.files, '/proc/999999/comm': 'gone\n' }; // listed in /proc, but its fd dir has gone
    const f = await collectSockets(replayTransport(r));
    expect(f.ownersComplete).toBe(true);
  });

  it('accepts a host without IPv6 (no tcp6/udp6 files) and skips ss', async () => {
    const r = serversSnapshot();
    const files = { ...r.files };
    delete files['/proc/net/tcp6'];
    delete files['/proc/net/udp6'];
    const t = replayTransport({ ...r, files });
    const f = await collectSockets(t);
    expect(f.listeners.every((l) => l.family === 4)).toBe(true);
    expect(f.tcpStates.LISTEN).toBe(4);
    expect(t.execCalls).toEqual([]);
  });

  it('fails the family when /proc/net/tcp itself is unreadable', async () => {
    const r = serversSnapshot();
    const files = { ...r.files };
    delete files['/proc/net/tcp'];
    await expect(collectSockets(replayTransport({ ...r, files }))).rejects.toThrow(/cannot read \/proc\/net\/tcp/);
  });
});

describe('parsePasswd', () => {
  it('maps uids to the first name listed', () => {
    const users = parsePasswd(readFileSync('/etc/passwd', 'utf8'));
    expect(users.get(0)).toBe('root');
  });
});

describe('collectSockets on the live host', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  const listen = async (opts: net.ListenOptions): Promise<number> => {
    const srv = net.createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((res, rej) => {
      srv.once('error', rej);
      srv.listen(opts, () => res());
    });
    closers.push(() => new Promise<void>((res) => srv.close(() => res())));
    return (srv.address() as net.AddressInfo).port;
  };
  const myComm = readFileSync('/proc/self/comm', 'utf8').trim();

  it('finds a 127.0.0.1 listener owned by this process', async () => {
    const port = await listen({ host: '127.0.0.1', port: 0 });
    const f = await collectSockets(new LocalTransport());
    const l = find(f, 'tcp', port)[0];
    expect(l).toMatchObject({ protocol: 'tcp', family: 4, address: '127.0.0.1', port, dualStack: false, uid: process.getuid?.() });
    expect(l?.owners).toContainEqual(expect.objectContaining({ pid: process.pid, comm: myComm, uid: process.getuid?.() }));
    // ownersComplete is not asserted: even root may be refused another process's fds (a non-dumpable init).
    if (process.getuid?.() === 0) {
      expect(l?.user).toBe('root');
      expect(l?.owners.find((o) => o.pid === process.pid)?.user).toBe('root');
    }
  });

  it('decides dual-stack for real :: sockets', async () => {
    const dualPort = await listen({ host: '::', port: 0, ipv6Only: false });
    const v6Port = await listen({ host: '::', port: 0, ipv6Only: true });
    const f = await collectSockets(new LocalTransport());
    const d = find(f, 'tcp', dualPort, '::')[0];
    const v = find(f, 'tcp', v6Port, '::')[0];
    expect(d).toMatchObject({ family: 6, dualStack: true });
    expect(v).toMatchObject({ family: 6, dualStack: false });
    // This host has ss, so the socket's own flag decides both.
    expect(d?.dualStackSource).toBe('socket');
    expect(v?.dualStackSource).toBe('socket');
    expect(d?.owners.map((o) => o.pid)).toContain(process.pid);
  });

  it('finds an unconnected UDP socket and counts established connections', async () => {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((res) => udp.bind(0, '127.0.0.1', () => res()));
    closers.push(() => new Promise<void>((res) => udp.close(() => res())));
    const port = await listen({ host: '127.0.0.1', port: 0 });
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((res, rej) => client.once('connect', res).once('error', rej));
    closers.push(async () => void client.destroy());

    const f = await collectSockets(new LocalTransport());
    expect(find(f, 'udp', udp.address().port)[0]).toMatchObject({ family: 4, address: '127.0.0.1' });
    expect(f.tcpStates.ESTABLISHED).toBeGreaterThanOrEqual(2);
    expect(Object.keys(f.tcpStates)).toEqual(expect.arrayContaining(['TIME_WAIT', 'CLOSE_WAIT', 'NEW_SYN_RECV']));
  });
});

// collectSockets against the kernel of the machine running the tests: real sockets opened by this process
// (on loopback and the wildcards; nothing is sent beyond loopback), read back through the local transport.
import { afterEach, describe, expect, it } from 'vitest';
import { readFamily } from '../helpers/family.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as dgram from 'node:dgram';
import { socketsFamily } from '../../src/facts/families/sockets.js';
import type { Listener, SocketsFact } from '../../src/facts/model.js';
import { LocalTransport } from '../../src/transport/local.js';

const find = (f: SocketsFact, protocol: 'tcp' | 'udp', port: number, address?: string): Listener[] =>
  f.listeners.filter((l) => l.protocol === protocol && l.port === port && (address === undefined || l.address === address));

const why = process.platform === 'linux' ? null : `/proc/net needs Linux (this is ${process.platform})`;
if (why) console.log(`skipping live socket tests: ${why}`);

(why ? describe.skip : describe)('collectSockets on the live host', () => {
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
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, new LocalTransport());
    const l = find(f, 'tcp', port)[0];
    expect(l).toMatchObject({ protocol: 'tcp', family: 4, address: '127.0.0.1', port, dualStack: false, uid: process.getuid?.() });
    expect(l?.owners).toContainEqual(expect.objectContaining({ pid: process.pid, comm: myComm, uid: process.getuid?.() }));
    // ownersComplete is not asserted: even root may be refused another process's fds (a non-dumpable init).
    if (process.getuid?.() === 0) {
      expect(l?.user).toBe('root');
      expect(l?.owners.find((o) => o.pid === process.pid)?.user).toBe('root');
    }
  });

  it('reads a v6 socket bound to an IPv4-mapped address as that canonical text, not dual-stack', async () => {
    const port = await listen({ host: '::ffff:127.0.0.1', port: 0 });
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, new LocalTransport());
    const l = find(f, 'tcp', port)[0];
    expect(l).toMatchObject({ family: 6, address: '::ffff:127.0.0.1', dualStack: false });
    expect(l?.dualStackSource).toBeUndefined();
  });

  // The socket's own flag comes from ss (iproute2, which .ci/run installs): under CI the test always runs.
  const hasSs = spawnSync('ss', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (!hasSs && process.env.CI !== 'true') console.log('skipping the dual-stack test: ss (iproute2) is not installed');
  it.skipIf(!hasSs && process.env.CI !== 'true')('decides dual-stack for real :: sockets from their own flag (ss)', async () => {
    const dualPort = await listen({ host: '::', port: 0, ipv6Only: false });
    const v6Port = await listen({ host: '::', port: 0, ipv6Only: true });
    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, new LocalTransport());
    const d = find(f, 'tcp', dualPort, '::')[0];
    const v = find(f, 'tcp', v6Port, '::')[0];
    expect(d).toMatchObject({ family: 6, dualStack: true });
    expect(v).toMatchObject({ family: 6, dualStack: false });
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

    const f = await readFamily(socketsFamily, { timeoutMs: 5_000 }, new LocalTransport());
    expect(find(f, 'udp', udp.address().port)[0]).toMatchObject({ family: 4, address: '127.0.0.1' });
    expect(f.tcpStates.ESTABLISHED).toBeGreaterThanOrEqual(2);
    expect(Object.keys(f.tcpStates)).toEqual(expect.arrayContaining(['TIME_WAIT', 'CLOSE_WAIT', 'NEW_SYN_RECV']));
  });
});

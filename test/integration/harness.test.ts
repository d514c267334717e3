import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { canUseNetns, isGoneOrZombie, netnsSkipReason, run, TestHost } from './harness/netns.js';

const skipWhy = netnsSkipReason();
if (skipWhy) console.log(`[harness.test] skipping network-namespace tests: ${skipWhy}`);
const suite = skipWhy ? describe.skip : describe;

// Every test registers what it creates here, so a failing assertion still tears everything down.
const hosts: TestHost[] = [];
async function make(spec: Parameters<typeof TestHost.create>[0]): Promise<TestHost> {
  const h = await TestHost.create(spec);
  hosts.push(h);
  return h;
}

afterEach(async () => {
  const all = hosts.splice(0);
  const results = await Promise.allSettled(all.map((h) => h.destroy()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
});

async function nsList(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

// Other runs (and other test files) create namespaces concurrently: only look at this process's own.
async function ownNamespaces(prefix: string): Promise<string[]> {
  return (await nsList()).filter((n) => n.startsWith(`pl-${prefix}-${process.pid}-`));
}

function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) out.add(Number(m[1]));
    } catch {
      // fd closed while listing
    }
  }
  return out;
}

suite('netns test-host harness', () => {
  it('can use network namespaces here (fails loudly in CI when it cannot)', () => {
    expect(canUseNetns()).toEqual({ ok: true });
  });

  it('sets sysctls inside the namespace only', async () => {
    const outsideBefore = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
    // A value the real host does not have, whatever it has.
    const value = String(Number(outsideBefore) + 1);
    const h = await make({ name: 'sysctl', sysctls: { 'net.core.somaxconn': value, 'net.ipv4.tcp_rmem': '4096 131072 6291456' }, listeners: [] });

    const inside = await h.exec('sysctl', ['-n', 'net.core.somaxconn']);
    expect(inside.exitCode).toBe(0);
    expect(inside.stdout.trim()).toBe(value);
    const viaProc = await h.exec('cat', ['/proc/sys/net/core/somaxconn']);
    expect(viaProc.stdout.trim()).toBe(value);
    const rmem = await h.exec('sysctl', ['-n', 'net.ipv4.tcp_rmem']);
    expect(rmem.stdout.trim().split(/\s+/)).toEqual(['4096', '131072', '6291456']);

    expect(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim()).toBe(outsideBefore);
  });

  it('refuses sysctls that are not per-namespace, before creating anything', async () => {
    await expect(TestHost.create({ name: 'badsys', sysctls: { 'vm.swappiness': '1' } })).rejects.toThrow(/only net\.\*/);
    expect(await ownNamespaces('badsys')).toEqual([]);
  });

  it('loads an nft ruleset inside the namespace only', async () => {
    const table = `pl_harness_${randomBytes(4).toString('hex')}`;
    const h = await make({
      name: 'nft',
      sysctls: {},
      listeners: [],
      nft: `table inet ${table} {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    iif "lo" accept\n  }\n}\n`,
    });

    const inside = await h.exec('nft', ['-j', 'list', 'ruleset']);
    expect(inside.exitCode, inside.stderr).toBe(0);
    const items = (JSON.parse(inside.stdout) as { nftables: Array<Record<string, Record<string, unknown>>> }).nftables;
    const chain = items.map((i) => i['chain']).find((c) => c?.['table'] === table && c['name'] === 'input');
    expect(chain).toMatchObject({ family: 'inet', table, name: 'input', type: 'filter', hook: 'input', policy: 'drop' });

    const outside = await run('nft', ['-j', 'list', 'ruleset']);
    expect(outside.exitCode, outside.stderr).toBe(0);
    expect(outside.stdout).not.toContain(table);
  });

  it('applies iptables rules inside the namespace', async () => {
    const comment = `pl-harness-${randomBytes(4).toString('hex')}`;
    const h = await make({
      name: 'ipt',
      iptables: [
        ['-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-m', 'comment', '--comment', comment, '-j', 'ACCEPT'],
        ['-P', 'INPUT', 'DROP'],
      ],
    });
    const inside = await h.exec('iptables', ['-S', 'INPUT']);
    expect(inside.exitCode, inside.stderr).toBe(0);
    expect(inside.stdout).toContain('-P INPUT DROP');
    expect(inside.stdout).toContain(comment);
    const outside = await run('iptables', ['-S', 'INPUT']);
    expect(outside.exitCode, outside.stderr).toBe(0);
    expect(outside.stdout).not.toContain(comment);
  });

  it('runs a named listener with the requested nofile limits, visible in /proc/net/tcp', async () => {
    const h = await make({
      name: 'redis',
      sysctls: {},
      listeners: [{ address: '127.0.0.1', port: 6379, name: 'pl-redis', nofile: { soft: 2048, hard: 8192 } }],
    });
    const [pid] = h.pids;
    expect(pid).toBeTypeOf('number');
    const l = h.listener('pl-redis');
    expect(l).toMatchObject({ port: 6379, protocol: 'tcp', pid });

    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('pl-redis');
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
    expect(limits).toMatch(/^Max open files\s+2048\s+8192\s+files/m);

    // 0100007F:18EB is 127.0.0.1:6379 in /proc's little-endian hex; 0A is LISTEN.
    const tcp = await h.exec('cat', ['/proc/net/tcp']);
    const row = tcp.stdout.split('\n').find((line) => /^\s*\d+: 0100007F:18EB 00000000:0000 0A /.test(line));
    expect(row, tcp.stdout).toBeDefined();
    const inode = Number(row?.trim().split(/\s+/)[9]);
    expect(socketInodes(pid as number).has(inode)).toBe(true);

    const ss = await h.exec('ss', ['-H', '-ltnp', 'sport = :6379']);
    expect(ss.stdout).toContain('"pl-redis"');
    expect(ss.stdout).toContain(`pid=${pid}`);

    // Not visible from the real host's namespace.
    const outside = readFileSync('/proc/self/net/tcp', 'utf8');
    expect(
      outside.split('\n').some((line) => line.includes(`:18EB 00000000:0000 0A`) && socketInodes(pid as number).has(Number(line.trim().split(/\s+/)[9]))),
    ).toBe(false);
  });

  it('supports IPv6, dual-stack, v6only and UDP listeners', async () => {
    const h = await make({
      name: 'v6',
      listeners: [
        { address: '::', port: 8080, name: 'pl-web' },
        { address: '::1', port: 9090, v6only: true, name: 'pl-metrics' },
        { address: '::', port: 9091, v6only: true, name: 'pl-v6only' },
        { address: '0.0.0.0', port: 5353, protocol: 'udp', name: 'pl-dns' },
        { address: '127.0.0.1', port: 0, name: 'pl-any' },
      ],
    });
    const tcp6 = await h.exec('cat', ['/proc/net/tcp6']);
    expect(tcp6.stdout).toMatch(/: 00000000000000000000000000000000:1F90 \S+ 0A /);
    expect(tcp6.stdout).toMatch(/: 00000000000000000000000001000000:2382 \S+ 0A /);
    const udp = await h.exec('cat', ['/proc/net/udp']);
    expect(udp.stdout).toMatch(/: 00000000:14E9 \S+ 07 /);
    expect(h.listener('pl-any').port).toBeGreaterThan(0);

    // The dual-stack socket accepts IPv4 too; the v6only one must not.
    const v4 = await h.exec('python3', ['-c', 'import socket; socket.create_connection(("127.0.0.1", 8080), timeout=3).close()']);
    expect(v4.exitCode, v4.stderr).toBe(0);
    const refused = await h.exec('python3', ['-c', 'import socket; socket.create_connection(("127.0.0.1", 9091), timeout=3).close()']);
    expect(refused.exitCode, 'an IPv4 connection to a v6only wildcard socket must be refused').not.toBe(0);
    expect(refused.stderr).toContain('ConnectionRefusedError');
    const metrics = await h.exec('ss', ['-H', '-ltn', 'sport = :9090']);
    expect(metrics.stdout).toContain('[::1]:9090');
    // ss prints a dual-stack wildcard as *:PORT and a v6only one as [::]:PORT; -e adds the flag itself.
    const dual = await h.exec('ss', ['-H', '-ltne', 'sport = :8080']);
    expect(dual.stdout).toMatch(/\*:8080 .*v6only:0/);
    const v6only = await h.exec('ss', ['-H', '-ltne', 'sport = :9091']);
    expect(v6only.stdout).toMatch(/\[::\]:9091 .*v6only:1/);
  });

  it('creates ESTABLISHED and CLOSE_WAIT connections on a listener', async () => {
    const h = await make({ name: 'conns', listeners: [{ address: '127.0.0.1', port: 7000, name: 'pl-leaky' }] });
    const { clientPid } = await h.openConnections({ port: 7000, count: 3, state: 'established' });
    expect(clientPid).toBeTypeOf('number');
    expect(readFileSync(`/proc/${clientPid}/comm`, 'utf8').trim()).toBe('pl-client');
    await h.openConnections({ port: 7000, count: 4, state: 'close_wait' });

    const ss = await h.exec('ss', ['-H', '-tanp', 'sport = :7000']);
    const lines = ss.stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('CLOSE-WAIT') && l.includes('"pl-leaky"'))).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('ESTAB') && l.includes('"pl-leaky"'))).toHaveLength(3);
    expect(h.livePids).toContain(clientPid);
  });

  it('connects a veth pair in 198.18.0.0/15 with a default route via the host end', async () => {
    // A concurrent run may hold a random subnet already; the harness refuses shared subnets, so pick another.
    let h: TestHost | undefined;
    let hostAddr = '';
    let nsAddr = '';
    for (let attempt = 0; attempt < 5 && !h; attempt++) {
      const third = 100 + ((randomBytes(1)[0] ?? 0) % 150);
      hostAddr = `198.18.${third}.1`;
      nsAddr = `198.18.${third}.2`;
      try {
        h = await make({ name: 'veth', veth: { hostAddr, nsAddr }, listeners: [{ address: '0.0.0.0', port: 8081, name: 'pl-http' }] });
      } catch (e) {
        if (!/already used/.test(String(e))) throw e;
      }
    }
    if (!h) throw new Error('no free 198.18.x.0/24 subnet after 5 attempts');
    expect(h.vethHost).toMatch(/^plh[0-9a-f]{8}$/);

    const route = await h.exec('ip', ['-4', 'route', 'show', 'default']);
    expect(route.stdout).toContain(`default via ${hostAddr} dev ${h.vethNs}`);
    const addr = await h.exec('ip', ['-4', '-o', 'addr', 'show', 'dev', h.vethNs as string]);
    expect(addr.stdout).toContain(`${nsAddr}/24`);

    await new Promise<void>((resolve, reject) => {
      const sock = connect({ host: nsAddr, port: 8081, timeout: 3_000 }, () => {
        sock.destroy();
        resolve();
      });
      sock.on('error', reject);
      sock.on('timeout', () => {
        sock.destroy();
        reject(new Error(`connect to ${nsAddr}:8081 timed out`));
      });
    });

    const vethHost = h.vethHost as string;
    await h.destroy();
    expect((await run('ip', ['link', 'show', vethHost])).exitCode).not.toBe(0);
  });

  it('refuses veth addresses outside 198.18.0.0/15', async () => {
    await expect(TestHost.create({ name: 'badveth', veth: { hostAddr: '10.0.0.1', nsAddr: '10.0.0.2' } })).rejects.toThrow(/198\.18\.0\.0\/15/);
    expect(await ownNamespaces('badveth')).toEqual([]);
  });

  it('cleans up everything when a listener cannot start', async () => {
    // 192.0.2.55 is not configured in a fresh namespace, so bind() fails with EADDRNOTAVAIL.
    await expect(
      TestHost.create({
        name: 'badlisten',
        listeners: [
          { address: '127.0.0.1', port: 6000, name: 'pl-ok' },
          { address: '192.0.2.55', port: 6001, name: 'pl-bad' },
        ],
      }),
    ).rejects.toThrow(/pl-bad.*did not start/s);
    expect(await ownNamespaces('badlisten')).toEqual([]);
  });

  it('destroy() removes the namespace and every process, and is idempotent', async () => {
    const h = await make({
      name: 'destroy',
      listeners: [
        { address: '127.0.0.1', port: 6379, name: 'pl-redis' },
        { address: '::', port: 443, name: 'pl-https', nofile: { soft: 1024, hard: 1024 } },
      ],
    });
    await h.openConnections({ port: 6379, count: 2, state: 'established' });
    // A process started through exec() that outlives its command still belongs to the host.
    await h.exec('sh', ['-c', 'sleep 300 </dev/null >/dev/null 2>&1 &']);
    const stray = (await run('ip', ['netns', 'pids', h.ns])).stdout.split(/\s+/).filter(Boolean).map(Number);
    const started = h.livePids;
    const orphans = stray.filter((p) => !started.includes(p));
    expect(started).toHaveLength(3);
    expect(orphans.length).toBeGreaterThanOrEqual(1);
    expect(await nsList()).toContain(h.ns);

    await h.destroy();
    await h.destroy();

    expect(await nsList()).not.toContain(h.ns);
    expect(existsSync(`/run/netns/${h.ns}`)).toBe(false);
    // Our own children are reaped by us; the orphan is reaped by PID 1 whenever it gets to it.
    for (const pid of started) expect(existsSync(`/proc/${pid}`), `pid ${pid} still exists`).toBe(false);
    for (const pid of orphans) expect(isGoneOrZombie(pid), `pid ${pid} still running`).toBe(true);
    await expect(h.exec('true')).rejects.toThrow(/destroyed/);
  });
});

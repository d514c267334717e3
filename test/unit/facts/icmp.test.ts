// The icmp family read from iputils ping and tracepath output captured in network namespaces
// (fixtures/icmp/capture.sh: a host, a router with MTU 1400 on its far link, a target; nft drops and a blackhole
// router), and the neighbours family read after the pings when a run pings.
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/facts/collect.js';
import { icmpFamily, pingArgv, tracepathArgv } from '../../../src/facts/families/icmp/family.js';
import { readPing, readStatus, readTracepath } from '../../../src/facts/families/icmp/output.js';
import { neighboursFamily } from '../../../src/facts/families/neighbours.js';
import type { IcmpPlan } from '../../../src/plan/plan.js';
import { plan as planChecks } from '../../../src/plan/plan.js';
import { checkOf } from '../../helpers/checks.js';
import { mtuPings, pingBoundMs, pingKey, tracepathBoundMs } from '../../../src/plan/pings.js';
import { gatherWith } from '../../../src/transport/calls.js';
import type { Transport } from '../../../src/transport/types.js';
import { readFamily } from '../../helpers/family.js';
import { ok, replayTransport } from '../../helpers/replay.js';
import { capturedRun, icmpFixture } from '../../helpers/ping-capture.js';

const icmp = icmpFixture;
const captured = capturedRun;

describe('ping output, read', () => {
  it('an IPv6 ping names its address too, though iputils writes no space before it', () => {
    const run = {
      exitCode: 0,
      stderr: '',
      stdout:
        'PING ::1(::1) 56 data bytes\n64 bytes from ::1: icmp_seq=1 ttl=64 time=0.040 ms\n\n--- ::1 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.040/0.040/0.040/0.000 ms\n',
    };
    expect(readPing(run)).toMatchObject({ outcome: 'sent', address: '::1', transmitted: 1, received: 1 });
  });

  it('a host that answers: each reply time, the counts and the address', () => {
    expect(readPing(captured('ok'))).toEqual({
      outcome: 'sent',
      address: '198.19.33.2',
      transmitted: 5,
      received: 5,
      errors: 0,
      lossPercent: 0,
      rttMs: [0.107, 0.078, 0.497, 0.056, 0.072],
    });
  });

  it('echo requests dropped by nft: all lost, no ICMP error', () => {
    expect(readPing(captured('dropped'))).toEqual({
      outcome: 'sent',
      address: '198.19.33.2',
      transmitted: 5,
      received: 0,
      errors: 0,
      lossPercent: 100,
      rttMs: [],
    });
  });

  it('a lossy link: as many reply times as replies, the loss as ping counts it', () => {
    const f = readPing(captured('lossy'));
    expect(f).toMatchObject({ outcome: 'sent', transmitted: 50, received: 37, lossPercent: 26 });
    expect(f.outcome === 'sent' && f.rttMs.length).toBe(37);
  });

  it('Destination Host Unreachable and Destination Net Unreachable from the router, counted by kind and sender', () => {
    expect(readPing(captured('host-unreachable'))).toMatchObject({
      received: 0,
      errors: 5,
      unreachable: [{ kind: 'host', from: '198.19.32.1', count: 5, text: 'Destination Host Unreachable' }],
    });
    expect(readPing(captured('net-unreachable'))).toMatchObject({
      received: 0,
      errors: 5,
      unreachable: [{ kind: 'net', from: '198.19.32.1', count: 5, text: 'Destination Net Unreachable' }],
    });
  });

  it('no route, and a name the resolver could not resolve: nothing sent, and why', () => {
    expect(readPing(captured('no-route'))).toEqual({ outcome: 'not-sent', why: 'network-unreachable', message: 'connect: Network is unreachable' });
    expect(readPing(captured('name-unknown'))).toEqual({
      outcome: 'not-sent',
      why: 'name-unresolved',
      message: 'nosuch.invalid: Temporary failure in name resolution',
    });
    expect(readPing({ stdout: '', stderr: 'ping: nosuch.example: Name or service not known\n', exitCode: 2 })).toMatchObject({ why: 'name-unknown' });
  });

  it('a path MTU: reported by the router (Frag needed), then known to the kernel (local error), or a blackhole with neither', () => {
    expect(readPing(captured('mtu-frag-needed'))).toMatchObject({ transmitted: 2, received: 0, errors: 2, mtu: { mtu: 1400, from: '198.19.32.1' } });
    expect(readPing(captured('mtu-cached'))).toMatchObject({ transmitted: 2, received: 0, errors: 2, mtu: { mtu: 1400 } });
    expect(readPing(captured('mtu-cached'))).not.toHaveProperty('mtu.from');
    const hole = readPing(captured('mtu-blackhole'));
    expect(hole).toMatchObject({ transmitted: 2, received: 0, errors: 0 });
    expect(hole).not.toHaveProperty('mtu');
    expect(hole).not.toHaveProperty('unreachable');
    expect(readPing(captured('mtu-blackhole-small'))).toMatchObject({ received: 2 });
  });

  it('ping that cannot send: no socket it may open, or an interval it refuses this user', () => {
    expect(readPing(captured('no-socket'))).toMatchObject({ outcome: 'cannot-send', why: 'no-socket', message: 'socket: Operation not permitted' });
    expect(readPing(captured('interval-user'))).toEqual({
      outcome: 'cannot-send',
      why: 'refused',
      message: 'cannot flood; minimal interval allowed for user is 2ms',
    });
  });
});

describe('tracepath output, read', () => {
  it('the path MTU a router reported, and the target reached', () => {
    expect(readTracepath(captured('tracepath-pmtu').stdout)).toEqual({ pmtu: 1400, reached: true });
  });

  it('a blackhole: no reply beyond the router, the path MTU left at the link', () => {
    expect(readTracepath(captured('tracepath-blackhole').stdout)).toEqual({ pmtu: 1500, reached: false, silentFrom: 2 });
  });
});

describe('the icmp family', () => {
  const big = mtuPings('198.19.33.2', 1472);
  const five = { host: '198.19.33.2', count: 5, size: 56, intervalMs: 200, dontFragment: false };
  const plan: IcmpPlan = { pings: [{ key: pingKey(five), ...five }, big.large, big.small], tracepaths: ['198.19.33.2'] };
  const line = (argv: string[]) => argv.join(' ');

  it('runs each ping as an argument array and answers each under its key; no tracepath where the path MTU is reported', async () => {
    const t = replayTransport({
      commands: {
        [line(pingArgv(plan.pings[0]!))]: captured('ok'),
        [line(pingArgv(big.large))]: captured('mtu-frag-needed'),
        [line(pingArgv(big.small))]: captured('mtu-small'),
        [line(tracepathArgv('198.19.33.2'))]: captured('tracepath-pmtu'),
      },
    });
    const fact = await readFamily(icmpFamily, plan, t);
    expect(t.execCalls).toEqual([
      'ping -n -c 5 -i 0.2 -s 56 -W 3 -- 198.19.33.2',
      'ping -n -c 2 -i 0.2 -s 1472 -W 3 -M do -- 198.19.33.2',
      'ping -n -c 2 -i 0.2 -s 56 -W 3 -M do -- 198.19.33.2',
    ]);
    expect(t.batches).toHaveLength(1);
    expect(Object.keys(fact.pings)).toEqual(plan.pings.map((p) => p.key));
    expect(fact.pings[big.large.key]).toMatchObject({ mtu: { mtu: 1400, from: '198.19.32.1' } });
    expect(fact.tracepaths).toEqual({});
  });

  it('a full-size probe that passes: tracepath, in the second batch, for a path MTU beyond that packet', async () => {
    const t = replayTransport({
      commands: {
        [line(pingArgv(plan.pings[0]!))]: captured('ok'),
        [line(pingArgv(big.large))]: captured('mtu-small'),
        [line(pingArgv(big.small))]: captured('mtu-small'),
        [line(tracepathArgv('198.19.33.2'))]: captured('tracepath-pmtu'),
      },
    });
    const fact = await readFamily(icmpFamily, plan, t);
    expect(t.batches).toHaveLength(2);
    expect(t.execCalls.at(-1)).toBe('tracepath -n -m 8 -- 198.19.33.2');
    expect(fact.tracepaths).toEqual({ '198.19.33.2': { pmtu: 1400, reached: true } });
  });

  it("an mtu check asking no tracepath plans only its two pings, and its bound is theirs, not tracepath's eight silent hops", () => {
    const spec = { host: '198.19.33.2', size: 1472 };
    const traced = planChecks([checkOf<'mtu'>('m', { kind: 'mtu', spec }, { passes: true })], 5_000);
    const pingsOnly = planChecks([checkOf<'mtu'>('m', { kind: 'mtu', spec: { ...spec, tracepath: false } }, { passes: true })], 5_000);
    expect(traced.icmp?.tracepaths).toEqual(['198.19.33.2']);
    expect(pingsOnly.icmp).toEqual({ pings: [big.large, big.small], tracepaths: [] });
    expect(pingsOnly.timeouts.icmp).toBe(pingBoundMs(big.large));
    expect(traced.timeouts.icmp).toBe(tracepathBoundMs());
  });

  it('bounds each ping by its probes and its wait, and tracepath by every hop being silent', async () => {
    const runs = icmpFamily.needs(plan).filter((r) => r.op === 'run');
    expect(runs.map((r) => r.op === 'run' && r.timeoutMs)).toEqual([4 * 200 + 5_000, 200 + 5_000, 200 + 5_000]);
    const t = replayTransport({ commands: { [line(pingArgv(big.large))]: captured('mtu-small'), [line(pingArgv(big.small))]: captured('mtu-small') } });
    await readFamily(icmpFamily, { pings: [big.large, big.small], tracepaths: ['198.19.33.2'] }, t);
    expect(t.batches[1]!.filter((r) => r.op === 'run').map((r) => r.op === 'run' && r.timeoutMs)).toEqual([8 * 3_000 + 2_000]);
  });

  it('no ping: ICMP cannot be sent, says so, and nothing is traced', async () => {
    const fact = await readFamily(icmpFamily, { pings: [big.large], tracepaths: ['198.19.33.2'] }, replayTransport({}));
    expect(fact.pings[big.large.key]).toEqual({ outcome: 'cannot-send', why: 'not-installed', message: '`ping` (iputils) was not found' });
    expect(fact.tracepaths).toEqual({});
  });

  it('no tracepath: only that reading is missing', async () => {
    const t = replayTransport({ commands: { [line(pingArgv(big.large))]: captured('mtu-small') } });
    const fact = await readFamily(icmpFamily, { pings: [big.large], tracepaths: ['198.19.33.2'] }, t);
    expect(fact.tracepaths['198.19.33.2']).toEqual({ error: '`tracepath` (iputils) was not found' });
  });

  it('no socket: what the kernel allows the user is read in the same batch (the ping group range, the groups, the bounding set)', async () => {
    const t = replayTransport({
      files: { '/proc/sys/net/ipv4/ping_group_range': icmp('no-socket.ping-group-range.txt'), '/proc/self/status': icmp('no-socket.proc-self-status.txt') },
      commands: { [line(pingArgv(plan.pings[0]!))]: captured('no-socket') },
    });
    const fact = await readFamily(icmpFamily, { pings: [plan.pings[0]!], tracepaths: [] }, t);
    expect(t.batches).toHaveLength(1);
    expect(fact.pings[plan.pings[0]!.key]).toEqual({
      outcome: 'cannot-send',
      why: 'no-socket',
      message: 'socket: Operation not permitted',
      pingGroupRange: [1, 0],
      gids: [65534],
      netRawBounded: true,
    });
  });

  it('reads the bounding set from /proc/self/status: cap_net_raw is bit 13', () => {
    expect(readStatus('Gid:\t0\t10\t0\t0\nGroups:\t4 27\nCapBnd:\t0000000000002000\n')).toEqual({ gids: [10, 4, 27], netRawBounded: true });
    expect(readStatus('Gid:\t5\t5\t5\t5\nGroups:\t\nCapBnd:\t000001ffffffdfff\n')).toEqual({ gids: [5], netRawBounded: false });
  });
});

describe('the neighbour table, read after the pings', () => {
  const NEIGH = 'ip -j neigh show';
  const five = { host: '198.19.33.2', count: 5, size: 56, intervalMs: 200 };
  const ping = { key: pingKey({ ...five, dontFragment: false }), ...five, dontFragment: false };

  it('asks ip neigh in the second batch when the run pings, in the first when it does not', async () => {
    const answers = { commands: { [NEIGH]: ok('[]') } };
    const after = replayTransport(answers);
    await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: true }, after);
    expect(after.batches.map((b) => b.filter((r) => r.op === 'run').length)).toEqual([0, 1]);
    const alone = replayTransport(answers);
    await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, alone);
    expect(alone.batches).toHaveLength(1);
  });

  it('in a run, ip neigh starts only once every ping has ended', async () => {
    const events: string[] = [];
    const t: Transport = {
      name: 'ordered',
      gather: (batch, onAnswer) =>
        gatherWith(
          {
            readFile: () => {
              throw Object.assign(new Error('absent'), { code: 'ENOENT' });
            },
            readDir: () => [],
            readLink: () => '',
            run: async (argv) => {
              events.push(`start ${argv[0]}`);
              // A ping takes its probes' time; ip answers at once.
              if (argv[0] === 'ping') await new Promise((r) => setTimeout(r, 50));
              events.push(`end ${argv[0]}`);
              return argv[0] === 'ping' ? captured('ok') : ok('[]');
            },
          },
          batch,
          onAnswer,
        ),
      connect: () => Promise.reject(new Error('no listeners')),
    };
    // The planner's own plan for a neighbour check and a ping to the same address.
    const p = planChecks(
      [
        checkOf<'neighbour'>('nb', { kind: 'neighbour', target: { address: five.host } }, { resolved: true }),
        checkOf<'icmp'>('ping', { kind: 'icmp', spec: five }, { reachable: true }),
      ],
      10_000,
    );
    expect(p.icmp?.pings.map((x) => x.key)).toEqual([ping.key]);
    const snap = await collect(p, t);
    expect(events).toEqual(['start ping', 'end ping', 'start ip', 'end ip']);
    expect(snap.host.gathered?.batches).toBe(2);
    expect(snap.neighbours).toEqual({ source: 'ip', entries: [], noNeighbours: {} });
  });

  it('an address the probes refuse (link-local, cloud metadata) is never pinged unless --allow-target admits it', async () => {
    const meta = { key: '', host: '169.254.169.254', count: 3, size: 56, intervalMs: 200, dontFragment: false };
    const target = { ...meta, key: pingKey(meta) };
    const line = (argv: string[]) => argv.join(' ');
    const t = replayTransport({ commands: { [line(pingArgv(target))]: captured('ok') } });
    const fact = await readFamily(icmpFamily, { pings: [target], tracepaths: [] }, t);
    expect(t.execCalls).toEqual([]);
    expect(fact.pings[target.key]).toEqual({ outcome: 'refused', address: '169.254.169.254', network: '169.254.0.0/16' });
    const admitted = await readFamily(icmpFamily, { pings: [target], tracepaths: [], admitted: ['169.254.0.0/16'] }, t);
    expect(t.execCalls).toEqual(['ping -n -c 3 -i 0.2 -s 56 -W 3 -- 169.254.169.254']);
    expect(admitted.pings[target.key]).toMatchObject({ outcome: 'sent' });
  });
});

// The icmp and mtu kinds judged on pings and tracepaths captured in network namespaces (fixtures/icmp/), read
// by the family's own parser, and worded as the report words them.
import { describe, expect, it } from 'vitest';
import { evaluate as evaluateIcmp } from '../../../src/evaluate/kinds/icmp.js';
import { evaluate as evaluateMtu } from '../../../src/evaluate/kinds/mtu.js';
import { readPing, readTracepath } from '../../../src/facts/families/icmp/output.js';
import type { FactsSnapshot, PingFact, TracepathFact } from '../../../src/facts/model.js';
import { mtuPings, pingKey } from '../../../src/plan/pings.js';
import type { CheckOf } from '../../../src/policy/model.js';
import { checkOf } from '../../helpers/checks.js';
import { capturedRun } from '../../helpers/ping-capture.js';
import { wordedOutcome } from '../../helpers/worded.js';

const HOST = '198.19.33.2';
const spec = { host: HOST, count: 5, size: 56, intervalMs: 200 };
const KEY = pingKey({ ...spec, dontFragment: false });

const facts = (pings: Record<string, PingFact>, tracepaths: Record<string, TracepathFact | { error: string }> = {}): FactsSnapshot => ({
  schema: 'plumbline/facts/v1',
  host: { hostname: 'h', kernel: 'k', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'replay' },
  icmp: { pings, tracepaths },
});
const ping = (name: string): PingFact => readPing(capturedRun(name));

const icmp = (f: FactsSnapshot, expect: CheckOf<'icmp'>['expect'], host = HOST) =>
  wordedOutcome(evaluateIcmp(checkOf<'icmp'>('ping', { kind: 'icmp', spec: { ...spec, host } }, expect), f));

describe('icmp: what came back', () => {
  it('a host that answers passes reachability, loss and round-trip bounds, and says what ping saw', () => {
    const r = icmp(facts({ [KEY]: ping('ok') }), { reachable: true, lossPercent: { lte: 5 }, rttMs: { p50: { lt: 10 }, max: { lt: 10 } } });
    expect(r).toMatchObject({
      status: 'pass',
      expected: 'reachable, loss <= 5 %, rtt p50 < 10 ms, rtt max < 10 ms',
      actual: '5 sent, 5 received, 0% loss, rtt p50 0.078 ms, p95 0.497 ms, max 0.497 ms',
    });
  });

  it('echo requests dropped: no reply, and no ICMP error came back either', () => {
    expect(icmp(facts({ [KEY]: ping('dropped') }), { reachable: true })).toMatchObject({
      status: 'fail',
      message: `no reply from ${HOST}: 5 sent, none answered; no ICMP error came back (dropped or filtered on the way, or the host is down)`,
      reason: { code: 'icmp-no-reply', transmitted: 5, errors: 0, unreachable: [] },
    });
  });

  it('Destination Host Unreachable from the router is named, with its sender and count', () => {
    const r = icmp(facts({ [pingKey({ ...spec, host: '198.19.33.9', dontFragment: false })]: ping('host-unreachable') }), { reachable: true }, '198.19.33.9');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no reply from 198.19.33.9: 5 sent, none answered; Destination Host Unreachable from 198.19.32.1 (5)');
    expect(r.reason).toMatchObject({ code: 'icmp-no-reply', unreachable: [{ kind: 'host', from: '198.19.32.1', count: 5 }] });
  });

  it('loss and round trips over their bounds fail with the figures; a round trip with no reply says so', () => {
    const lossy = icmp(facts({ [KEY]: ping('lossy') }), { lossPercent: { lte: 5 }, rttMs: { p95: { lt: 0.001 } } });
    expect(lossy.status).toBe('fail');
    expect(lossy.message).toMatch(/^loss is 26, not <= 5 %; rtt p95 is 0\.\d+, not < 0\.001 ms$/);
    expect(icmp(facts({ [KEY]: ping('dropped') }), { rttMs: { p50: { lt: 10 } } }).message).toBe(`rtt p50: no reply from ${HOST} to time`);
  });

  it('reachable: false fails on replies', () => {
    expect(icmp(facts({ [KEY]: ping('ok') }), { reachable: false })).toMatchObject({ status: 'fail', message: `${HOST} replied to 5 of 5 echo requests` });
  });

  it('no route: a failure, nothing sent; a resolver that did not answer: an error, no verdict', () => {
    expect(icmp(facts({ [KEY]: ping('no-route') }), { reachable: true })).toMatchObject({
      status: 'fail',
      message: `no ICMP sent to ${HOST}: the network is unreachable (this host has no route there)`,
    });
    expect(icmp(facts({ [KEY]: ping('name-unknown') }), { reachable: true })).toMatchObject({
      status: 'error',
      message: `no ICMP sent: ${HOST} could not be resolved (nosuch.invalid: Temporary failure in name resolution)`,
    });
  });

  it('ICMP that cannot be sent is an error saying which: no socket (with the ping group range and the gid), no ping, a refused start', () => {
    const noSocket: PingFact = {
      ...(ping('no-socket') as Extract<PingFact, { outcome: 'cannot-send' }>),
      pingGroupRange: [1, 0],
      gids: [65534],
      netRawBounded: true,
    };
    expect(icmp(facts({ [KEY]: noSocket }), { reachable: true })).toMatchObject({
      status: 'error',
      message:
        'ICMP cannot be sent from this host: ping has no raw-socket capability (cap_net_raw), and net.ipv4.ping_group_range 1 0 admits no group to ICMP datagram sockets (socket: Operation not permitted)',
    });
    const narrow: PingFact = { ...noSocket, pingGroupRange: [100, 200] };
    expect(icmp(facts({ [KEY]: narrow }), { reachable: true }).message).toBe(
      "ICMP cannot be sent from this host: ping has no raw-socket capability (cap_net_raw), and net.ipv4.ping_group_range 100 200 admits none of the user's groups (gid 65534) (socket: Operation not permitted)",
    );
    expect(
      icmp(facts({ [KEY]: { outcome: 'cannot-send', why: 'not-installed', message: '`ping` (iputils) was not found' } }), { reachable: true }),
    ).toMatchObject({
      status: 'error',
      message: 'ICMP cannot be sent from this host: ping (iputils) is not installed',
    });
    const refused: PingFact = { outcome: 'cannot-send', why: 'exec-refused', message: 'ping: Operation not permitted', netRawBounded: false };
    expect(icmp(facts({ [KEY]: refused }), { reachable: true }).message).toBe(
      'ICMP cannot be sent from this host: the kernel refused to start ping (ping: Operation not permitted): cap_net_raw, the file capability ping carries, is outside the capability bounding set',
    );
  });

  it('a snapshot without the ping is an error that names it', () => {
    expect(icmp(facts({}), { reachable: true })).toMatchObject({ status: 'error', reason: { code: 'fact-missing', family: 'icmp', at: KEY } });
  });
});

const mtu = (f: FactsSnapshot, expect: CheckOf<'mtu'>['expect']) =>
  wordedOutcome(evaluateMtu(checkOf<'mtu'>('mtu', { kind: 'mtu', spec: { host: HOST, size: 1472 } }, expect), f));
const { large, small } = mtuPings(HOST, 1472);
const trace = (name: string) => readTracepath(capturedRun(name).stdout);

describe('mtu: reported, blackhole, or passes', () => {
  it('a router reports fragmentation needed: the path MTU is its figure, and tracepath agrees', () => {
    const f = facts({ [large.key]: ping('mtu-frag-needed'), [small.key]: ping('mtu-small') }, { [HOST]: trace('tracepath-pmtu') });
    expect(mtu(f, { pathMtu: { gte: 1500 } })).toMatchObject({
      status: 'fail',
      expected: 'path MTU >= 1500',
      actual: 'reported: path MTU 1400 (fragmentation needed, from 198.19.32.1); tracepath: pmtu 1400, reached',
      message: 'path MTU is 1400, not >= 1500',
    });
    expect(mtu(f, { pathMtu: { gte: 1400 } }).status).toBe('pass');
    expect(mtu(f, { passes: true })).toMatchObject({
      status: 'fail',
      message: `a 1500-byte packet does not pass to ${HOST}: the path MTU is 1400, reported by 198.19.32.1 (fragmentation needed)`,
    });
  });

  it("the kernel's cached path MTU counts as reported, by this host", () => {
    const f = facts({ [large.key]: ping('mtu-cached'), [small.key]: ping('mtu-small') });
    expect(mtu(f, { passes: true }).message).toBe(`a 1500-byte packet does not pass to ${HOST}: the path MTU is 1400, as this host's kernel knows it`);
  });

  it('a blackhole: the full-size probe vanishes while the small one passes; no figure, so pathMtu fails with the word', () => {
    const f = facts({ [large.key]: ping('mtu-blackhole'), [small.key]: ping('mtu-blackhole-small') }, { [HOST]: trace('tracepath-blackhole') });
    const r = mtu(f, { pathMtu: { gte: 1500 } });
    expect(r).toMatchObject({
      status: 'fail',
      actual: 'blackhole: 1500-byte packets vanish while 84-byte ones pass; tracepath: pmtu 1500, not reached, no reply from hop 2',
      reason: { code: 'mtu-blackhole', packet: 1500, small: 84 },
    });
    expect(r.message).toBe(`blackhole: 1500-byte packets to ${HOST} vanish while 84-byte ones pass, and no fragmentation-needed message comes back`);
    expect(mtu(f, { passes: true, pathMtu: { gte: 1500 } }).reason).toMatchObject({ code: 'mtu-blackhole' });
    expect(mtu(f, { passes: true, pathMtu: { gte: 1500 } }).reason).not.toHaveProperty('also');
  });

  it('a full-size probe that passes passes; the path MTU is at least its size', () => {
    const f = facts({ [large.key]: ping('mtu-small'), [small.key]: ping('mtu-small') });
    expect(mtu(f, { passes: true, pathMtu: { gte: 1500 } })).toMatchObject({ status: 'pass' });
    expect(mtu(f, { passes: false })).toMatchObject({ status: 'fail', message: `a 1500-byte packet passes to ${HOST} unfragmented` });
  });

  it('a host that answers no probe at all gives no MTU verdict: an error', () => {
    const f = facts({ [large.key]: ping('dropped'), [small.key]: ping('dropped') });
    expect(mtu(f, { passes: true })).toMatchObject({ status: 'error', message: `no path MTU verdict: ${HOST} answers no probe, not even 84-byte ones` });
  });

  it('no route to the host: the mtu check fails as the ping does', () => {
    expect(mtu(facts({ [large.key]: ping('no-route'), [small.key]: ping('no-route') }), { passes: true })).toMatchObject({
      status: 'fail',
      expected: 'a 1500-byte packet passes',
      reason: { code: 'icmp-not-sent', why: 'network-unreachable' },
    });
  });
});

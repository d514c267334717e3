// The neighbours family read from answers captured on real hosts (fixtures/neigh/: this machine, and a pair of
// namespaces set up by fixtures/neigh/capture.sh with a resolved peer, a permanent entry, a gateway nobody
// answers for, one still resolving, and a tun link; and fixtures/neigh/capture-proc.sh: /proc/net/arp and
// `ip -j neigh` read at the same moment, with a resolved peer, a FAILED, an INCOMPLETE, a permanent and a
// proxy-ARP entry).
import { describe, expect, it } from 'vitest';
import { neighboursFamily, parseIpNeigh, parseProcArp } from '../../../src/facts/families/neighbours.js';
import { readFamily } from '../../helpers/family.js';
import { flagFiles } from '../../helpers/lower-layers.js';
import { fixtureReader, ok, replayTransport } from '../../helpers/replay.js';
import type { Capture } from '../../helpers/replay.js';

const neigh = fixtureReader('neigh');
const NEIGH = 'ip -j neigh show';

const captured = (stdout: string): Capture => ({ files: flagFiles(), commands: { [NEIGH]: ok(stdout) }, deriveDirs: true });

describe('the neighbours family', () => {
  it('reads every state ip -j neigh lists, IPv4 and IPv6, with link-layer addresses where resolved', async () => {
    const t = replayTransport(captured(neigh('ns.ip-neigh.json')));
    const fact = await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t);
    expect(t.batches).toHaveLength(1);
    expect(t.execCalls).toEqual([NEIGH]);
    expect(fact.entries).toEqual([
      { family: 4, address: '198.18.121.1', dev: 'veth0', lladdr: '82:91:b2:39:e1:8f', state: ['DELAY'] },
      { family: 4, address: '198.18.121.5', dev: 'veth0', lladdr: '02:00:00:00:00:05', state: ['PERMANENT'] },
      { family: 4, address: '198.18.121.9', dev: 'veth0', state: ['FAILED'] },
      { family: 4, address: '198.18.121.10', dev: 'veth0', state: ['INCOMPLETE'] },
      { family: 6, address: 'fe80::8091:b2ff:fe39:e18f', dev: 'veth0', lladdr: '82:91:b2:39:e1:8f', state: ['REACHABLE'] },
    ]);
  });

  it('names the links that resolve no neighbours by their flags: tun is point-to-point and NOARP, veth and lo are neither', async () => {
    const fact = await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, replayTransport(captured(neigh('ns.ip-neigh.json'))));
    expect(fact.noNeighbours).toEqual({ tun7: ['POINTOPOINT', 'NOARP'] });
  });

  it("reads this machine's table (a DELAY gateway, a FAILED IPv6 neighbour)", () => {
    expect(parseIpNeigh(neigh('machine.ip-neigh.json'))).toEqual([
      { family: 4, address: '192.0.2.1', dev: 'eth0', lladdr: '02:fc:00:00:00:05', state: ['DELAY'] },
      { family: 6, address: 'fd00::1', dev: 'eth0', state: ['FAILED'] },
    ]);
  });

  it('keeps the router flag, writes addresses canonically and leaves out what is no neighbour', () => {
    const json = JSON.stringify([
      { dst: 'FE80:0::1', dev: 'eth0', lladdr: '02:00:00:00:00:01', router: null, state: ['STALE'] },
      { dst: 'not-an-address', dev: 'eth0', state: ['FAILED'] },
      { dst: '192.0.2.1', state: ['FAILED'] },
    ]);
    expect(parseIpNeigh(json)).toEqual([{ family: 6, address: 'fe80::1', dev: 'eth0', lladdr: '02:00:00:00:00:01', router: true, state: ['STALE'] }]);
  });

  it('without ip and without /proc/net/arp the family is unreadable, and says both', async () => {
    const t = replayTransport({ files: flagFiles(), deriveDirs: true });
    await expect(readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t)).rejects.toThrow(
      '`ip` (iproute2) was not found; and /proc/net/arp: ENOENT',
    );
  });
});

describe('the neighbours family without ip: /proc/net/arp', () => {
  const ARP = neigh('proc.proc-net-arp.txt');
  const withoutIp = (extra: Capture = {}): Capture => ({ files: { ...flagFiles(), '/proc/net/arp': ARP }, deriveDirs: true, ...extra });

  it("reads the kernel's flags as far as they go: 0x6 permanent, 0x2 resolved, 0x0 not (no link-layer address); proxy entries are no neighbours", () => {
    expect(parseProcArp(ARP)).toEqual([
      { family: 4, address: '198.19.80.10', dev: 'veth0', state: ['UNRESOLVED'] },
      { family: 4, address: '198.19.80.9', dev: 'veth0', state: ['UNRESOLVED'] },
      { family: 4, address: '198.19.80.5', dev: 'veth0', lladdr: '02:00:00:00:00:05', state: ['PERMANENT'] },
      { family: 4, address: '198.19.80.1', dev: 'veth0', lladdr: '72:f8:d5:3f:77:6c', state: ['COMPLETE'] },
    ]);
  });

  it('agrees with ip -j neigh read at the same moment: the same entries, addresses and link-layer addresses, each state within what the flags can say', () => {
    const byIp = parseIpNeigh(neigh('proc.ip-neigh.json'));
    const byProc = parseProcArp(ARP);
    const within: Record<string, string[]> = {
      PERMANENT: ['PERMANENT'],
      COMPLETE: ['REACHABLE', 'STALE', 'DELAY', 'PROBE'],
      UNRESOLVED: ['INCOMPLETE', 'FAILED'],
    };
    expect(byProc.map(({ address, dev, lladdr }) => ({ address, dev, lladdr }))).toEqual(byIp.map(({ address, dev, lladdr }) => ({ address, dev, lladdr })));
    byProc.forEach((e, i) => expect(within[e.state[0]!]).toContain(byIp[i]!.state[0]));
  });

  it('stands in for a missing ip in the same batch, and says that IPv6 neighbours are unknown', async () => {
    const t = replayTransport(withoutIp());
    const fact = await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t);
    expect(t.batches).toHaveLength(1);
    expect(t.reads).toContain('/proc/net/arp');
    expect(fact).toMatchObject({
      source: 'proc',
      unreadable: [6],
      note: 'IPv6 neighbours are unknown: `ip` (iproute2) was not found, and /proc/net/arp, read instead, holds IPv4 alone',
      noNeighbours: { tun7: ['POINTOPOINT', 'NOARP'] },
    });
    expect(fact.entries).toEqual(parseProcArp(ARP));
  });

  it('after the pings, reads ip and /proc/net/arp together in the second batch', async () => {
    const t = replayTransport(withoutIp());
    const fact = await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: true }, t);
    expect(t.batches).toHaveLength(2);
    expect(t.batches[0]!.map((r) => r.op)).toEqual(['glob']);
    expect(t.batches[1]).toEqual([
      { op: 'run', argv: ['ip', '-j', 'neigh', 'show'], timeoutMs: 10_000 },
      { op: 'read', path: '/proc/net/arp' },
    ]);
    expect(fact.source).toBe('proc');
    expect(fact.entries).toHaveLength(4);
  });

  it('an ip that refuses stands aside too, and the note says how it refused', async () => {
    const t = replayTransport(withoutIp({ commands: { [NEIGH]: { stdout: '', stderr: 'Object "neigh" is unknown', exitCode: 255 } } }));
    const fact = await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t);
    expect(fact).toMatchObject({ source: 'proc', unreadable: [6] });
    expect(fact.note).toBe(
      'IPv6 neighbours are unknown: ip -j neigh show exited 255: Object "neigh" is unknown, and /proc/net/arp, read instead, holds IPv4 alone',
    );
  });

  it('a working ip is the reading: both families, every state, no note', async () => {
    const t = replayTransport(withoutIp({ commands: { [NEIGH]: ok(neigh('proc.ip-neigh.json')) } }));
    const fact = await readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t);
    expect(fact).toEqual({ source: 'ip', entries: parseIpNeigh(neigh('proc.ip-neigh.json')), noNeighbours: { tun7: ['POINTOPOINT', 'NOARP'] } });
  });
});

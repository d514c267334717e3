// The neighbours family read from answers captured on real hosts (fixtures/neigh/: this machine, and a pair of
// namespaces set up by fixtures/neigh/capture.sh with a resolved peer, a permanent entry, a gateway nobody
// answers for, one still resolving, and a tun link).
import { describe, expect, it } from 'vitest';
import { neighboursFamily, parseIpNeigh } from '../../../src/facts/families/neighbours.js';
import { readFamily } from '../../helpers/family.js';
import { fixtureReader, ok, replayTransport } from '../../helpers/replay.js';
import type { Capture } from '../../helpers/replay.js';

const neigh = fixtureReader('neigh');
const NEIGH = 'ip -j neigh show';

/** The namespace's links' flags words, as /sys/class/net/NAME/flags holds them. */
function flagFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const line of neigh('ns.sys-class-net-flags.txt').trim().split('\n')) {
    const [path, value] = line.split(' ') as [string, string];
    files[path] = `${value}\n`;
  }
  return files;
}

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

  it('without ip the family is unreadable, and says why', async () => {
    const t = replayTransport({ files: flagFiles(), deriveDirs: true });
    await expect(readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t)).rejects.toThrow('`ip` (iproute2) was not found');
  });

  it('an ip that refuses says how', async () => {
    const t = replayTransport({
      files: flagFiles(),
      deriveDirs: true,
      commands: { [NEIGH]: { stdout: '', stderr: 'Object "neigh" is unknown', exitCode: 255 } },
    });
    await expect(readFamily(neighboursFamily, { timeoutMs: 10_000, afterPings: false }, t)).rejects.toThrow(
      'ip -j neigh show exited 255: Object "neigh" is unknown',
    );
  });
});

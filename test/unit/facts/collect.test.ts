// Collect over a transport that stops answering: only the families still waiting for an answer lose it.
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/facts/collect.js';
import type { Plan } from '../../../src/plan/plan.js';
import type { Transport } from '../../../src/transport/types.js';
import { fixtureReader, ok, replayTransport } from '../../helpers/replay.js';

const proc = fixtureReader('proc');

const PLAN: Plan = {
  sysctl: [],
  sockets: false,
  processes: null,
  netstat: true,
  interfaces: false,
  routes: false,
  firewall: true,
  neighbours: false,
  icmp: null,
  conntrack: false,
  ipv6: false,
  timeouts: { firewall: 10_000, netstat: 10_000 },
  probes: [],
  certificates: [],
  tlsListeners: null,
};

/** A host whose nft cannot list JSON, so the firewall asks a second batch, which never comes back. */
function hangingSecondBatch(): Transport & { batches: number } {
  const inner = replayTransport({
    files: { '/proc/net/netstat': proc('netstat.txt'), '/proc/net/snmp': proc('snmp.txt') },
    commands: { 'nft -j list ruleset': { stdout: '', stderr: 'Error: JSON support not compiled-in\n', exitCode: 1 }, 'iptables-save': ok('') },
  });
  const t = {
    name: 'hanging',
    batches: 0,
    gather: (batch: Parameters<Transport['gather']>[0], onAnswer?: Parameters<Transport['gather']>[1]) => {
      t.batches++;
      return t.batches === 1 ? inner.gather(batch, onAnswer) : new Promise<never>(() => {});
    },
    connect: inner.connect,
  };
  return t;
}

describe('collect', () => {
  it('keeps the families that were answered when a later batch overruns the deadline', async () => {
    const t = hangingSecondBatch();
    const f = await collect(PLAN, t, { deadlineMs: 300 });
    expect(t.batches).toBe(2);
    expect(f.netstat && 'TcpExt' in f.netstat).toBe(true);
    expect(f.firewall).toEqual({ error: 'firewall: not collected within the 300 ms deadline' });
    expect(f.host.gathered).toEqual({ batches: 2, items: expect.any(Number) });
  });
});

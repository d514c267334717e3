import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { collectInterfaces } from '../../../src/facts/interfaces.js';
import { isInterfaceUp } from '../../../src/facts/readings/interfaces.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { FlatCapture } from '../../helpers/replay.js';
import { fixtureReader, ok, replayTransport, splitCapture } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

// A sysfs capture: files map to their text or to the errno the kernel gave; directories end with '/'.
const sys = splitCapture(JSON.parse(fixture('sys-class-net.json')) as FlatCapture);

describe('collectInterfaces', () => {
  it('reads every interface of a captured namespace', async () => {
    const ifs = await collectInterfaces(replayTransport(sys));
    expect(Object.keys(ifs).sort()).toEqual(['lo', 'pl-down0', 'pl-down1', 'pl-veth0']);

    const lo = ifs.lo!;
    expect(lo).toMatchObject({ name: 'lo', operstate: 'unknown', carrier: true, mtu: 65536, loopback: true });
    expect(lo.stats.rx_packets).toBe(8);
    expect(lo.stats.tx_bytes).toBe(434);
    expect(Object.keys(lo.stats)).toHaveLength(24);
    expect(isInterfaceUp(lo)).toBe(true);

    expect(ifs['pl-veth0']).toMatchObject({
      operstate: 'up',
      carrier: true,
      mtu: 1400,
      loopback: false,
    });
    expect(isInterfaceUp(ifs['pl-veth0']!)).toBe(true);

    // Administratively up, peer down: the carrier reads 0.
    expect(ifs['pl-down0']).toMatchObject({ operstate: 'lowerlayerdown', carrier: false });
    expect(isInterfaceUp(ifs['pl-down0']!)).toBe(false);
    // Administratively down: the kernel answers EINVAL for carrier, which is "unknown", not an error.
    expect(ifs['pl-down1']).toMatchObject({ operstate: 'down', carrier: null, mtu: 1500, loopback: false });
    expect(isInterfaceUp(ifs['pl-down1']!)).toBe(false);
  });

  it('reads only the interfaces asked for, and leaves out those that do not exist', async () => {
    const t = replayTransport(sys);
    const ifs = await collectInterfaces(t, ['pl-veth0', 'eth9', '../lo']);
    expect(Object.keys(ifs)).toEqual(['pl-veth0']);
    expect(t.reads.every((p) => p.startsWith('/sys/class/net/pl-veth0/') || p.startsWith('/sys/class/net/eth9/'))).toBe(true);
  });

  it('finds lo up on this host', async () => {
    const ifs = await collectInterfaces(new LocalTransport());
    const lo = ifs.lo;
    expect(lo).toBeDefined();
    expect(lo!.loopback).toBe(true);
    expect(isInterfaceUp(lo!)).toBe(true);
    expect(lo!.mtu).toBe(Number(readFileSync('/sys/class/net/lo/mtu', 'utf8')));
    expect(lo!.stats.rx_bytes).toBeGreaterThanOrEqual(0);
  });
});

import { describe, it, expect } from 'vitest';
import { interfacesFamily } from '../../../src/facts/families/interfaces.js';
import { readFamily } from '../../helpers/family.js';
import { carrierOf, isInterfaceUp } from '../../../src/facts/readings/interfaces.js';
import type { InterfaceFact } from '../../../src/facts/model.js';
import type { FlatCapture } from '../../helpers/replay.js';
import { fixtureReader, replayTransport, splitCapture } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

// A sysfs capture: files map to their text or to the errno the kernel gave; directories end with '/'.
const sys = splitCapture(JSON.parse(fixture('sys-class-net.json')) as FlatCapture);

describe('collectInterfaces', () => {
  it('reads every interface of a captured namespace', async () => {
    const ifs = await readFamily(interfacesFamily, true, replayTransport(sys));
    expect(Object.keys(ifs).sort()).toEqual(['lo', 'pl-down0', 'pl-down1', 'pl-veth0']);

    const lo = ifs.lo!;
    expect(lo).toMatchObject({ name: 'lo', operstate: 'unknown', carrier: true, adminUp: true, mtu: 65536, loopback: true });
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

    // Administratively up (flags 0x1003), peer down: the carrier reads 0.
    expect(ifs['pl-down0']).toMatchObject({ operstate: 'lowerlayerdown', carrier: false, adminUp: true });
    expect(isInterfaceUp(ifs['pl-down0']!)).toBe(false);
    // Administratively down (flags 0x1002, IFF_UP clear): the kernel answers EINVAL for carrier; a link set down
    // has no carrier, so the fact says false, and adminUp says why.
    expect(ifs['pl-down1']).toMatchObject({ operstate: 'down', carrier: false, adminUp: false, mtu: 1500, loopback: false });
    expect(isInterfaceUp(ifs['pl-down1']!)).toBe(false);
  });

  it('reads every interface in one batch of globs, and only attributes under /sys/class/net', async () => {
    const t = replayTransport(sys);
    const ifs = await readFamily(interfacesFamily, true, t);
    expect(Object.keys(ifs)).toEqual(['lo', 'pl-down0', 'pl-down1', 'pl-veth0']);
    expect(t.batches).toHaveLength(1);
    expect(t.reads.every((p) => /^\/sys\/class\/net\/[^/]+\/(operstate|carrier|mtu|flags|type|statistics\/\w+)$/.test(p))).toBe(true);
  });

  it('keeps an unanswered carrier unknown while the interface is up or its flags are unreadable', async () => {
    const { files, dirs } = sys;
    const patched = { ...files, '/sys/class/net/pl-veth0/carrier': { error: 'EINVAL' }, '/sys/class/net/pl-down1/flags': { error: 'EACCES' } };
    const ifs = await readFamily(interfacesFamily, true, replayTransport({ files: patched, dirs }));
    expect(ifs['pl-veth0']).toMatchObject({ carrier: null, adminUp: true });
    expect(ifs['pl-down1']!.carrier).toBeNull();
    expect(ifs['pl-down1']!.adminUp).toBeUndefined();
  });
});

describe('carrierOf', () => {
  const base: InterfaceFact = { name: 'x', operstate: 'down', carrier: null, mtu: 1500, loopback: false, stats: {} };
  it('reads a link set down as without carrier, and an older fact without adminUp as it was', () => {
    expect(carrierOf({ ...base, adminUp: false })).toBe(false);
    expect(carrierOf(base)).toBeNull();
    expect(carrierOf({ ...base, adminUp: true, carrier: true })).toBe(true);
  });
});

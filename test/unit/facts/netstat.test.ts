import { describe, it, expect } from 'vitest';
import { netstatFamily, parseNetstat } from '../../../src/facts/families/netstat.js';
import { readFamily } from '../../helpers/family.js';
import { netstatCounter } from '../../../src/facts/readings/netstat.js';
import type { NetstatFact } from '../../../src/facts/model.js';
import { fixtureReader, replayTransport } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

describe('parseNetstat', () => {
  const fact = parseNetstat(fixture('snmp.txt'), parseNetstat(fixture('netstat.txt')));

  it('pairs header and value lines per section across both files', () => {
    expect(Object.keys(fact).sort()).toEqual(['Icmp', 'Ip', 'IpExt', 'MPTcpExt', 'Tcp', 'TcpExt', 'Udp', 'UdpLite']);
    expect(fact.TcpExt?.ListenOverflows).toBe(24);
    expect(fact.TcpExt?.ListenDrops).toBe(24);
    expect(fact.Tcp?.RetransSegs).toBe(21);
    expect(fact.Tcp?.OutSegs).toBe(36);
    expect(fact.Tcp?.PassiveOpens).toBe(7);
    expect(fact.Tcp?.MaxConn).toBe(-1);
    expect(fact.Ip?.DefaultTTL).toBe(64);
    expect(fact.IpExt?.InOctets).toBeGreaterThan(0);
  });

  it('keeps every counter of a section', () => {
    const header = fixture('netstat.txt').split('\n')[0]?.split(/\s+/).slice(1) ?? [];
    expect(Object.keys(fact.TcpExt ?? {})).toEqual(header);
  });
});

describe('netstatCounter', () => {
  const fact = parseNetstat(fixture('snmp.txt'), parseNetstat(fixture('netstat.txt')));

  it('resolves bare TcpExt names and Section.Counter names', () => {
    expect(netstatCounter(fact, 'ListenOverflows')).toBe(24);
    expect(netstatCounter(fact, 'ListenDrops')).toBe(24);
    expect(netstatCounter(fact, 'Tcp.RetransSegs')).toBe(21);
    expect(netstatCounter(fact, 'TcpExt.TW')).toBe(fact.TcpExt?.TW);
    expect(netstatCounter(fact, 'RetransSegs')).toBe(21); // unique to Tcp
  });

  it('derives RetransRatio and ListenOverflowRatio', () => {
    expect(netstatCounter(fact, 'RetransRatio')).toBeCloseTo(21 / 36, 10);
    expect(netstatCounter(fact, 'ListenOverflowRatio')).toBeCloseTo(24 / 7, 10);
  });

  it('guards the ratios against zero denominators', () => {
    const quiet: NetstatFact = { Tcp: { RetransSegs: 0, OutSegs: 0, PassiveOpens: 0 }, TcpExt: { ListenOverflows: 3 } };
    expect(netstatCounter(quiet, 'RetransRatio')).toBe(0);
    expect(netstatCounter(quiet, 'ListenOverflowRatio')).toBe(3);
  });

  it('reports a missing section for a derived ratio', () => {
    expect(netstatCounter({ TcpExt: { ListenOverflows: 1 } }, 'RetransRatio')).toEqual({ error: 'netstat section Tcp was not collected' });
  });

  it('names close matches for unknown counters', () => {
    const r = netstatCounter(fact, 'ListenOverflow');
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toMatch(/^unknown netstat counter "ListenOverflow"; did you mean .*TcpExt\.ListenOverflows/);
    const c = netstatCounter(fact, 'tcp.retranssegs') as { error: string };
    expect(c.error).toContain('Tcp.RetransSegs');
    expect((netstatCounter(fact, 'Nonsense.Zzzzzzzzzz') as { error: string }).error).toBe('unknown netstat counter "Nonsense.Zzzzzzzzzz"');
  });

  it('refuses bare names that several sections share', () => {
    const r = netstatCounter(fact, 'InCsumErrors') as { error: string };
    expect(r.error).toMatch(/ambiguous/);
    expect(r.error).toContain('Tcp.InCsumErrors');
    expect(r.error).toContain('Udp.InCsumErrors');
  });
});

describe('collectNetstat', () => {
  it('merges both captured files', async () => {
    const t = replayTransport({ files: { '/proc/net/netstat': fixture('netstat.txt'), '/proc/net/snmp': fixture('snmp.txt') } });
    const fact = await readFamily(netstatFamily, true, t);
    expect(fact.TcpExt?.ListenOverflows).toBe(24);
    expect(fact.Tcp?.OutSegs).toBe(36);
  });

  it('still answers from one file, and fails only when both are missing', async () => {
    const fact = await readFamily(netstatFamily, true, replayTransport({ files: { '/proc/net/snmp': fixture('snmp.txt') } }));
    expect(fact.Tcp?.RetransSegs).toBe(21);
    expect(fact.TcpExt).toBeUndefined();
    await expect(readFamily(netstatFamily, true, replayTransport())).rejects.toThrow(/cannot read \/proc\/net\/netstat or \/proc\/net\/snmp/);
  });
});

import { describe, it, expect } from 'vitest';
import { sysctlFamily, sysctlPath, sysctlValues } from '../../../src/facts/families/sysctl.js';
import { readFamily } from '../../helpers/family.js';
import type { FlatCapture } from '../../helpers/replay.js';
import { fixtureReader, replayTransport, splitCapture } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

// A /proc/sys capture: files map to their text or to the errno the kernel gave; directories end with '/'.
// Paths that were not captured behave as absent.
const netns = JSON.parse(fixture('sysctl-netns.json')) as FlatCapture;
const replay = (captured: FlatCapture) => replayTransport(splitCapture(captured));

describe('sysctlPath', () => {
  it('accepts the forms sysctl(8) accepts', () => {
    expect(sysctlPath('net.core.somaxconn')).toBe('/proc/sys/net/core/somaxconn');
    expect(sysctlPath('net/ipv4/conf/eth0.100/rp_filter')).toBe('/proc/sys/net/ipv4/conf/eth0.100/rp_filter');
    expect(sysctlPath('net.ipv4.conf.eth0/100.rp_filter')).toBe('/proc/sys/net/ipv4/conf/eth0.100/rp_filter');
    // Interface names may contain dots: the per-interface trees are split around the name.
    expect(sysctlPath('net.ipv4.conf.eth0.100.rp_filter')).toBe('/proc/sys/net/ipv4/conf/eth0.100/rp_filter');
    expect(sysctlPath('net.ipv6.neigh.br0.10.base_reachable_time_ms')).toBe('/proc/sys/net/ipv6/neigh/br0.10/base_reachable_time_ms');
    expect(sysctlPath('net.ipv4.conf.all.rp_filter')).toBe('/proc/sys/net/ipv4/conf/all/rp_filter');
  });

  it('refuses keys that would leave /proc/sys', () => {
    expect(sysctlPath('net/../../etc/shadow')).toBeUndefined();
    expect(sysctlPath('/net//core')).toBeUndefined();
    expect(sysctlPath('net..core')).toBeUndefined();
  });
});

describe('sysctlValues', () => {
  it('splits multi-value keys into numbers', () => {
    expect(sysctlValues('32768\t60999')).toEqual([32768, 60999]);
    expect(sysctlValues('4096 131072 33554432')).toEqual([4096, 131072, 33554432]);
    expect(sysctlValues('4096')).toEqual([4096]);
    expect(sysctlValues('-1')).toEqual([-1]);
  });

  it('keeps words as strings', () => {
    expect(sysctlValues('reno bbr cubic')).toEqual(['reno', 'bbr', 'cubic']);
    expect(sysctlValues('')).toEqual([]);
  });
});

describe('collectSysctl', () => {
  it('reads keys captured in a namespace, collapsing whitespace', async () => {
    const t = replay(netns);
    const facts = await readFamily(
      sysctlFamily,
      [
        'net.core.somaxconn',
        'net.ipv4.ip_local_port_range',
        'net.ipv4.tcp_rmem',
        'net.ipv4.tcp_available_congestion_control',
        'net.ipv4.conf.pl.v0.rp_filter',
        'net/ipv6/conf/pl.v0/disable_ipv6',
      ],
      t,
    );
    expect(facts).toEqual({
      'net.core.somaxconn': { value: '4096' },
      'net.ipv4.ip_local_port_range': { value: '32768 60999' },
      'net.ipv4.tcp_rmem': { value: '4096 131072 33554432' },
      'net.ipv4.tcp_available_congestion_control': { value: 'reno bbr cubic' },
      'net.ipv4.conf.pl.v0.rp_filter': { value: '0' },
      'net/ipv6/conf/pl.v0/disable_ipv6': { value: '0' },
    });
  });

  it('says why a key is missing', async () => {
    const facts = await readFamily(sysctlFamily, ['net.ipv4.no_such_key', 'net.ipv4.conf.eth9.rp_filter'], replay(netns));
    expect(facts['net.ipv4.no_such_key']).toEqual({ missing: 'no such key in /proc/sys' });
    expect(facts['net.ipv4.conf.eth9.rp_filter']).toEqual({ missing: 'no interface eth9 on this host (in this network namespace)' });
  });

  it('names disabled IPv6 as the reason net.ipv6 keys are absent', async () => {
    const noV6: FlatCapture = { ...netns };
    for (const k of Object.keys(noV6)) if (k.startsWith('/proc/sys/net/ipv6')) delete noV6[k];
    const t = replay(noV6);
    const facts = await readFamily(sysctlFamily, ['net.ipv6.conf.all.disable_ipv6', 'net.ipv6.bindv6only', 'net.core.somaxconn'], t);
    expect(facts).toEqual({
      'net.ipv6.conf.all.disable_ipv6': { missing: 'net.ipv6.* keys are absent: IPv6 is disabled on this host' },
      'net.ipv6.bindv6only': { missing: 'net.ipv6.* keys are absent: IPv6 is disabled on this host' },
      'net.core.somaxconn': { value: '4096' },
    });
  });

  it('reports unreadable keys and directories as errors', async () => {
    const facts = await readFamily(sysctlFamily, ['net.ipv4.route.flush', 'net.ipv4.conf', 'net/../../etc/passwd'], replay(netns));
    expect(facts['net.ipv4.route.flush']).toEqual({
      error: 'permission denied reading /proc/sys/net/ipv4/route/flush (a write-only key, or one that needs root)',
    });
    expect(facts['net.ipv4.conf']).toEqual({ error: 'net.ipv4.conf is a directory of keys, not a key' });
    expect(facts['net/../../etc/passwd']).toEqual({ error: 'net/../../etc/passwd: not a valid sysctl key' });
  });

  it('reads each file once, however many ways the key is written', async () => {
    const t = replay(netns);
    const facts = await readFamily(sysctlFamily, ['net.core.somaxconn', 'net.core.somaxconn', 'net/core/somaxconn'], t);
    expect(t.reads).toEqual(['/proc/sys/net/core/somaxconn']);
    expect(facts['net/core/somaxconn']).toEqual(facts['net.core.somaxconn']);
  });
});

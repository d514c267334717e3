// sysctl checks against facts that do not hold a value: absent keys, and IPv6 switched off.
import { describe, expect, it } from 'vitest';
import { readFamily } from '../../helpers/family.js';
import { evaluateSysctl } from '../../../src/evaluate/kinds/sysctl.js';
import { wordedOutcome } from '../../helpers/worded.js';
import type { CheckOf, Matcher } from '../../../src/policy/model.js';
import type { FactsSnapshot, Ipv6Fact, SysctlFact } from '../../../src/facts/model.js';
import { ipv6Family } from '../../../src/facts/families/ipv6.js';
import { replayTransport } from '../../helpers/replay.js';

function check(key: string, expect: Matcher): CheckOf<'sysctl'> {
  return {
    id: `t.${key}`,
    title: key,
    severity: 'medium',
    area: 'kernel',
    selector: { kind: 'sysctl', key },
    expect,
    tags: [],
    refs: [],
    source: { file: 't.yaml', line: 1, column: 1 },
  };
}

function facts(sysctl: Record<string, SysctlFact>, ipv6?: Ipv6Fact | { error: string }): FactsSnapshot {
  return {
    schema: 'plumbline/facts/v1',
    host: { hostname: 'h', kernel: 'k', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'replay' },
    sysctl,
    ...(ipv6 ? { ipv6 } : {}),
  };
}

const run = (key: string, m: Matcher, f: FactsSnapshot) => wordedOutcome(evaluateSysctl(check(key, m), key, f));

describe('an absent key', () => {
  const f = facts({ 'net.netfilter.nf_conntrack_max': { missing: 'no such key in /proc/sys' } });
  const key = 'net.netfilter.nf_conntrack_max';

  it('fails exists: true and passes exists: false, saying why it is absent', () => {
    expect(run(key, { exists: true }, f)).toMatchObject({ status: 'fail', actual: '(absent)', message: 'absent: no such key in /proc/sys' });
    expect(run(key, { exists: false }, f)).toMatchObject({ status: 'pass', actual: '(absent)' });
    expect(run(key, { exists: true, gte: 1 }, f).status).toBe('fail');
  });

  it('skips any other expectation, with the reason', () => {
    expect(run(key, { gte: 65536 }, f)).toMatchObject({ status: 'skip', message: 'no such key in /proc/sys' });
    expect(run(key, 1, f).status).toBe('skip');
  });

  it('a present key judges exists as before', () => {
    const g = facts({ [key]: { value: '262144' } });
    expect(run(key, { exists: true }, g).status).toBe('pass');
    expect(run(key, { exists: false }, g).status).toBe('fail');
  });
});

describe('IPv6 switched off', () => {
  // With disable_ipv6 = 1 the keys are still there and hold values.
  const values = {
    'net.ipv6.conf.all.forwarding': { value: '1' },
    'net.ipv6.conf.all.accept_ra': { value: '1' },
    'net.ipv6.conf.all.disable_ipv6': { value: '1' },
  };
  const off = { enabled: false, reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)' };

  it('skips net.ipv6 checks with the reason, though the keys have values', () => {
    for (const key of ['net.ipv6.conf.all.forwarding', 'net.ipv6.conf.all.accept_ra']) {
      expect(run(key, 0, facts(values, off))).toMatchObject({ status: 'skip', message: `not applicable: ${off.reason}` });
    }
    expect(run('net/ipv6/conf/all/forwarding', 0, facts({ 'net/ipv6/conf/all/forwarding': { value: '1' } }, off)).status).toBe('skip');
  });

  it('still judges disable_ipv6 itself: that check is about whether IPv6 is off', () => {
    expect(run('net.ipv6.conf.all.disable_ipv6', 1, facts(values, off)).status).toBe('pass');
  });

  it('judges as before when IPv6 is on, when the snapshot has no ipv6 family, or when it could not be read', () => {
    expect(run('net.ipv6.conf.all.forwarding', 0, facts(values, { enabled: true })).status).toBe('fail');
    expect(run('net.ipv6.conf.all.forwarding', 0, facts(values)).status).toBe('fail');
    expect(run('net.ipv6.conf.all.forwarding', 0, facts(values, { error: 'boom' })).status).toBe('fail');
  });

  it('leaves IPv4 keys alone', () => {
    expect(run('net.ipv4.ip_forward', 0, facts({ 'net.ipv4.ip_forward': { value: '0' } }, off)).status).toBe('pass');
  });
});

describe('collectIpv6', () => {
  it('reads disable_ipv6 on all, and a missing IPv6 stack', async () => {
    const path = '/proc/sys/net/ipv6/conf/all/disable_ipv6';
    expect(await readFamily(ipv6Family, true, replayTransport({ files: { [path]: '1\n' } }))).toEqual({
      enabled: false,
      reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)',
    });
    expect(await readFamily(ipv6Family, true, replayTransport({ files: { [path]: '0\n' } }))).toEqual({ enabled: true });
    expect((await readFamily(ipv6Family, true, replayTransport())).enabled).toBe(false);
  });

  it('has IPv6 while one interface does, whatever all says; and none when every interface is off', async () => {
    const conf = (all: string, lo: string, eth0: string) =>
      replayTransport({
        files: {
          '/proc/sys/net/ipv6/conf/all/disable_ipv6': all,
          '/proc/sys/net/ipv6/conf/default/disable_ipv6': '0\n',
          '/proc/sys/net/ipv6/conf/lo/disable_ipv6': lo,
          '/proc/sys/net/ipv6/conf/eth0/disable_ipv6': eth0,
        },
        deriveDirs: true,
      });
    // `all = 1` was written, then lo set back to 0: lo has ::1 and can listen on it.
    expect(await readFamily(ipv6Family, true, conf('1\n', '0\n', '1\n'))).toEqual({ enabled: true });
    expect(await readFamily(ipv6Family, true, conf('1\n', '1\n', '1\n'))).toEqual({
      enabled: false,
      reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)',
    });
    expect(await readFamily(ipv6Family, true, conf('0\n', '1\n', '1\n'))).toEqual({
      enabled: false,
      reason: 'IPv6 is disabled on every interface (disable_ipv6 = 1 on eth0, lo)',
    });
  });
});

// Which addresses a probe refuses to connect to (link-local, where cloud metadata services answer) and how
// --allow-target admits them: pure, no network.
import { describe, expect, it } from 'vitest';
import { REFUSED_NETWORKS, invalidAllowTarget, refusedNetwork } from '../../../src/lib/targets.js';
import { matcherKey, unseen, match } from '../../../src/lib/match.js';

describe('refused targets', () => {
  it('refuses link-local and metadata addresses in every spelling, and nothing else', () => {
    expect(refusedNetwork('169.254.169.254')).toBe('169.254.0.0/16');
    expect(refusedNetwork('169.254.170.2')).toBe('169.254.0.0/16');
    expect(refusedNetwork('169.254.0.1')).toBe('169.254.0.0/16');
    // IPv4-mapped, in either text form, is the IPv4 address it maps.
    expect(refusedNetwork('::ffff:169.254.169.254')).toBe('169.254.0.0/16');
    expect(refusedNetwork('::ffff:a9fe:a9fe')).toBe('169.254.0.0/16');
    expect(refusedNetwork('fe80::1')).toBe('fe80::/10');
    expect(refusedNetwork('fe80::1%eth0')).toBe('fe80::/10');
    expect(refusedNetwork('febf:ffff::1')).toBe('fe80::/10');
    expect(refusedNetwork('fd00:ec2::254')).toBe('fd00:ec2::254/128');
    expect(refusedNetwork('fd00:ec2:0:0:0:0:0:254')).toBe('fd00:ec2::254/128');
    expect(refusedNetwork('64:ff9b::169.254.169.254')).toBe('64:ff9b::a9fe:0/112');
    for (const ok of ['127.0.0.1', '::1', '198.18.0.2', '169.253.255.255', '169.255.0.0', 'fec0::1', 'fd00:ec2::253', '10.0.0.1', '::ffff:10.0.0.1']) {
      expect(refusedNetwork(ok), ok).toBeUndefined();
    }
    expect(REFUSED_NETWORKS).toEqual(['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '64:ff9b::a9fe:0/112']);
  });

  it('admits what an allowed network holds, and only that', () => {
    expect(refusedNetwork('169.254.169.254', ['169.254.0.0/16'])).toBeUndefined();
    expect(refusedNetwork('::ffff:169.254.169.254', ['169.254.169.254/32'])).toBeUndefined();
    expect(refusedNetwork('169.254.169.254', ['169.254.169.254'])).toBeUndefined();
    expect(refusedNetwork('169.254.170.2', ['169.254.169.254/32'])).toBe('169.254.0.0/16');
    expect(refusedNetwork('169.254.169.254', ['198.18.0.0/15', '10.0.0.0/8'])).toBe('169.254.0.0/16');
    // The families stay apart: an IPv6 network admits no IPv4 address.
    expect(refusedNetwork('169.254.169.254', ['::/0'])).toBe('169.254.0.0/16');
    expect(refusedNetwork('fd00:ec2::254', ['::/0'])).toBeUndefined();
    expect(refusedNetwork('fe80::1', ['fe80::/64'])).toBeUndefined();
    expect(refusedNetwork('fe80:0:0:1::1', ['fe80::/64'])).toBe('fe80::/10');
  });

  it('says why a network to admit is unusable', () => {
    expect(invalidAllowTarget('169.254.0.0/16')).toBeUndefined();
    expect(invalidAllowTarget('[fd00:ec2::254/128]')).toBeUndefined();
    expect(invalidAllowTarget('169.254.169.254')).toBeUndefined();
    expect(invalidAllowTarget('169.254.1.0/16')).toBe(
      '169.254.1.0/16 has bits set past the /16: the network is 169.254.0.0/16 (write a network, like 169.254.169.254/32 or fd00:ec2::254/128)',
    );
    expect(invalidAllowTarget('metadata')).toMatch(/^"metadata" is not an IP address \(write a network/);
    expect(invalidAllowTarget('169.254.0.0/33')).toMatch(/longer than an IPv4 address/);
    expect(invalidAllowTarget('fe80::1%eth0')).toMatch(/zone index/);
    expect(invalidAllowTarget('*')).toBe('"*" is no network: write 0.0.0.0/0 and ::/0 to admit every address');
  });
});

describe('a body judged without keeping it', () => {
  it('keys a matcher whatever the order of its operators', () => {
    expect(matcherKey({ match: 'ok', contains: 'up' })).toBe(matcherKey({ contains: 'up', match: 'ok' }));
    expect(matcherKey({ match: 'ok' })).not.toBe(matcherKey({ match: 'ko' }));
    expect(matcherKey('ok')).toBe('"ok"');
  });

  it('drops what was seen from every operator finding, and keeps the rest', () => {
    const body = 'token=s3cr3t-AKIA';
    const failures = match(body, { eq: 'x', ne: body, match: '^ok', contains: 'nope', in: ['a'], notIn: [body], gte: 5 }).failures.map(unseen);
    expect(JSON.stringify(failures)).not.toContain('s3cr3t');
    expect(failures).toEqual([
      { code: 'not-equal', expected: 'x' },
      { code: 'equal' },
      { code: 'not-a-number' },
      { code: 'not-in', allowed: ['a'] },
      { code: 'excluded' },
      { code: 'no-match', pattern: '^ok' },
      { code: 'not-contained', needle: 'nope' },
    ]);
  });
});

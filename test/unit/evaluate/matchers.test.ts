import { describe as group, expect, it } from 'vitest';
import { describe, match as matchData, matchAddress as matchAddressData } from '../../../src/evaluate/matchers.js';
import type { MatchOutcome } from '../../../src/evaluate/matchers.js';
import { say } from '../../../src/report/reasons.js';

// The operators' findings are data; the report words them. These tests read both.
const worded = (o: MatchOutcome): { ok: boolean; why: string } => ({ ok: o.ok, why: o.failures.map(say).join('; ') });
const match = (...a: Parameters<typeof matchData>) => worded(matchData(...a));
const matchAddress = (...a: Parameters<typeof matchAddressData>) => worded(matchAddressData(...a));

group('matchers', () => {
  it('treats a bare scalar as eq and compares sysctl strings as numbers', () => {
    expect(match('1', 1).ok).toBe(true);
    expect(match('0', 1)).toEqual({ ok: false, why: 'is 0, not 1' });
    expect(match('4096', { gte: 4096 }).ok).toBe(true);
    expect(match('128', { gte: 4096 })).toEqual({ ok: false, why: 'is 128, not >= 4096' });
  });

  it('compares multi-value sysctls element-wise, by index, or as a whole', () => {
    const range = '32768\t60999';
    expect(match(range, { gte: [1024, 60999], lte: [15000, 65535] })).toEqual({
      ok: false,
      why: 'is 32768 60999, not <= 15000 65535',
    });
    expect(match('10240 65535', { gte: [1024, 60999], lte: [15000, 65535] }).ok).toBe(true);
    expect(match(range, { index: 0, lte: 32768 }).ok).toBe(true);
    expect(match(range, { index: 1, gte: 65000 }).ok).toBe(false);
    expect(match(range, '32768 60999').ok).toBe(true);
    expect(match(range, { gte: 1024 }).ok).toBe(true);
    expect(match(range, { gte: [1, 2, 3] }).why).toBe('has 2 value(s), the bound has 3');
  });

  it('supports every operator', () => {
    expect(match('2', { ne: 0 }).ok).toBe(true);
    expect(match('0', { ne: 0 }).ok).toBe(false);
    expect(match(5, { gt: 4, lt: 6 }).ok).toBe(true);
    expect(match(5, { between: [1, 5] }).ok).toBe(true);
    expect(match(6, { between: [1, 5] }).why).toBe('is 6, not between 1 and 5');
    expect(match('2', { in: [1, 2] }).ok).toBe(true);
    expect(match('0', { notIn: [0] }).ok).toBe(false);
    expect(match('cubic', { match: '^(bbr|cubic)$' }).ok).toBe(true);
    expect(match('reno', { match: '^(bbr|cubic)$' }).ok).toBe(false);
    expect(match('reno cubic bbr', { contains: 'bbr' }).ok).toBe(true);
    expect(match(undefined, { exists: false }).ok).toBe(true);
    expect(match('1', { exists: true }).ok).toBe(true);
    expect(match(undefined, { gte: 1 })).toEqual({ ok: false, why: 'is absent' });
  });

  it('says which operator failed as a code with its arguments', () => {
    expect(matchData('128', { gte: 4096 }).failures).toEqual([{ code: 'below', actual: '128', op: 'gte', bound: '4096' }]);
    expect(matchData(9, { lt: 5 }).failures).toEqual([{ code: 'above', actual: '9', op: 'lt', bound: '5' }]);
    expect(matchData(undefined, { gte: 1 }).failures).toEqual([{ code: 'absent' }]);
    expect(matchData('1', { exists: false }).failures).toEqual([{ code: 'present', actual: '1' }]);
    expect(matchData('0', { notIn: [0] }).failures.map((f) => f.code)).toEqual(['excluded']);
    expect(matchData('reno', { in: ['bbr', 'cubic'] }).failures).toEqual([{ code: 'not-in', actual: 'reno', allowed: ['bbr', 'cubic'] }]);
    expect(matchData('x', { match: '(' }).failures.map((f) => f.code)).toEqual(['bad-pattern']);
    expect(matchData('1', { exists: true }).failures).toEqual([]);
  });

  it('treats unlimited as infinity for limits', () => {
    expect(match('unlimited', { gte: 65535 }).ok).toBe(true);
    expect(match(1024, { gte: 65535 }).ok).toBe(false);
  });

  it('reports a broken regular expression instead of throwing', () => {
    expect(match('x', { match: '(' }).why).toContain('not a valid regular expression');
  });

  it('describes expectations in words', () => {
    expect(describe({ gte: 4096 })).toBe('>= 4096');
    expect(describe(0)).toBe('0');
    expect(describe({ in: [1, 2] })).toBe('one of 1, 2');
    expect(describe({ index: 0, lte: 15000 })).toBe('[0] <= 15000');
    expect(describe({ between: [1, 2] })).toBe('between 1 and 2');
  });
});

group('matchAddress', () => {
  it('compares addresses in canonical form on both sides', () => {
    expect(matchAddress('fe80::1', 'fe80:0:0::1').ok).toBe(true);
    expect(matchAddress('fe80:0::1', { in: ['FE80::1'] }).ok).toBe(true);
    expect(matchAddress('fe80::1', { notIn: ['fe80:0:0:0:0:0:0:1'] }).ok).toBe(false);
    expect(matchAddress('fe80::1', { ne: 'fe80::2' }).ok).toBe(true);
    expect(matchAddress('198.18.0.1', '198.18.0.1').ok).toBe(true);
    // Patterns see the canonical text.
    expect(matchAddress('fe80:0:0::1', { match: '^fe80::1$' }).ok).toBe(true);
  });

  it('leaves non-addresses and absence to match', () => {
    expect(matchAddress(undefined, { exists: false }).ok).toBe(true);
    expect(matchAddress(undefined, '198.18.0.1')).toEqual({ ok: false, why: 'is absent' });
    expect(matchAddress('eth0', 'eth0').ok).toBe(true);
  });
});

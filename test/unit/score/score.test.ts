import { describe, expect, it } from 'vitest';
import { scoreOf, verdict } from '../../../src/score/score.js';
import type { Result, Status } from '../../../src/evaluate/model.js';
import type { Severity } from '../../../src/policy/model.js';
import { resultOf } from '../../helpers/checks.js';

function r(id: string, severity: Severity, status: Status, area = 'kernel'): Result {
  return resultOf(id, status, { severity, area });
}

describe('score', () => {
  it('weights by severity: critical 10, high 5, medium 3, low 1, info 0', () => {
    // earned 5 + 1 of possible 10 + 5 + 3 + 1 = 19
    const rs = [r('a', 'critical', 'fail'), r('b', 'high', 'pass'), r('c', 'medium', 'error'), r('d', 'low', 'pass'), r('e', 'info', 'fail')];
    expect(scoreOf(rs)).toBe(31.5);
  });

  it('leaves skip and waived out of the denominator; error counts against', () => {
    expect(scoreOf([r('a', 'high', 'pass'), r('b', 'critical', 'skip'), r('c', 'critical', 'waived')])).toBe(100);
    expect(scoreOf([r('a', 'high', 'pass'), r('b', 'high', 'error')])).toBe(50);
  });

  it('is 100 with nothing weighted to judge', () => {
    expect(scoreOf([r('a', 'info', 'fail')])).toBe(100);
    expect(scoreOf([])).toBe(100);
  });

  it('is not ready when a critical check fails, whatever the score', () => {
    const rs = [r('crit', 'critical', 'fail'), ...Array.from({ length: 30 }, (_, i) => r(`p${i}`, 'high', 'pass'))];
    const v = verdict(rs, 80);
    expect(v.score).toBeGreaterThan(90);
    expect(v.ready).toBe(false);
    expect(v.reason).toBe('critical check failed: crit');
  });

  it('is not ready when a critical check could not be verified', () => {
    const v = verdict([r('crit', 'critical', 'error'), r('p', 'low', 'pass')], 0);
    expect(v.ready).toBe(false);
    expect(v.reason).toContain('could not be verified: crit');
  });

  it('is ready at or above the threshold', () => {
    const rs = [r('a', 'high', 'pass'), r('b', 'high', 'pass'), r('c', 'high', 'pass'), r('d', 'high', 'pass'), r('e', 'high', 'fail')];
    expect(verdict(rs, 80)).toMatchObject({ score: 80, ready: true });
    expect(verdict(rs, 81)).toMatchObject({ ready: false, reason: 'score 80 is below the threshold 81' });
  });

  it('gives per-area sub-scores with counts', () => {
    const v = verdict([r('a', 'high', 'pass', 'kernel'), r('b', 'high', 'fail', 'firewall'), r('c', 'low', 'skip', 'firewall')], 80);
    expect(v.areas).toEqual([
      { area: 'firewall', score: 0, counts: { pass: 0, fail: 1, error: 0, skip: 1, waived: 0 } },
      { area: 'kernel', score: 100, counts: { pass: 1, fail: 0, error: 0, skip: 0, waived: 0 } },
    ]);
    expect(v.counts).toEqual({ pass: 1, fail: 1, error: 0, skip: 1, waived: 0 });
  });
});

describe('a run that judged nothing is no evidence of readiness', () => {
  it('every check skipped (a misspelt sysctl, say): not ready, and it says why', () => {
    const v = verdict([r('a', 'high', 'skip'), r('b', 'low', 'skip')], 80);
    expect(v).toMatchObject({ ready: false, score: 100, reason: 'no check could be judged: 2 skipped' });
  });

  it('skipped and unverifiable, or no check at all: not ready', () => {
    expect(verdict([r('a', 'high', 'skip'), r('b', 'low', 'error')], 80)).toMatchObject({
      ready: false,
      reason: 'no check could be judged: 1 skipped, 1 could not be verified',
    });
    expect(verdict([], 80)).toMatchObject({ ready: false, reason: 'no check to judge: the policy has none' });
  });

  it('one judged check is enough for the score to decide', () => {
    expect(verdict([r('a', 'high', 'skip'), r('b', 'low', 'pass')], 80)).toMatchObject({ ready: true });
  });
});

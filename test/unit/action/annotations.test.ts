import { describe, expect, it } from 'vitest';
import { PER_LEVEL, annotationsFor } from '../../../src/action/annotations.js';
import { inWorkspace, rebased } from '../../../src/action/workspace.js';
import { fixtureReport } from '../../helpers/reports.js';

const everywhere = (): boolean => true;

describe('annotationsFor', () => {
  it('the 5,000-check report: at most ten per level, worst first, the rest counted', async () => {
    const r = await fixtureReport('large');
    const { annotations, left } = annotationsFor(r, everywhere);
    for (const level of ['error', 'warning', 'notice'] as const) expect(annotations.filter((a) => a.level === level).length).toBeLessThanOrEqual(PER_LEVEL);
    const findings = r.results.filter((x) => (x.status === 'fail' || x.status === 'error') && !x.impliedBy).length;
    expect(annotations.length + left).toBe(findings);
    // The error level holds the critical failures before any high one.
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors.every((a) => a.title.startsWith('CRITICAL '))).toBe(true);
  });

  it('places built-in checks at the extends line and leaves files outside the workspace unplaced', async () => {
    const r = await fixtureReport('extends');
    const { annotations } = annotationsFor(r, (f) => f.startsWith('fixtures/'));
    const redis = annotations.find((a) => a.title.includes('listen.redis'))!;
    expect(redis).toMatchObject({ level: 'error', file: 'fixtures/reports/extends-baseline.yaml', line: 8, column: 5 });
    const own = annotations.find((a) => a.title.includes('web.somaxconn'))!;
    expect(own).toMatchObject({ file: 'fixtures/reports/extends-baseline.yaml', line: 12 });
    expect(own.message).toBe(
      'net.core.somaxconn is 128, not >= 4096\nexpected >= 4096, got 128\nfix: sysctl -w net.core.somaxconn=4096 and persist it in /etc/sysctl.d/',
    );
    const plain = annotationsFor(await fixtureReport('not-ready'), (f) => f.startsWith('fixtures/'));
    expect(plain.annotations.every((a) => a.file === undefined)).toBe(true);
  });

  it('a check that could not be verified is a warning that says so', async () => {
    const r = await fixtureReport('ready');
    const err = r.results.find((x) => x.status === 'pass' && x.severity === 'critical')!;
    Object.assign(err, { status: 'error', message: 'ss failed (exit 1)' });
    expect(annotationsFor(r, everywhere).annotations).toEqual([
      expect.objectContaining({ level: 'warning', message: 'could not be verified: ss failed (exit 1)', title: `CRITICAL ${err.id}: ${err.title}` }),
    ]);
  });
});

describe('workspace paths', () => {
  it('names files from the workspace root; built-ins and outside files stay as they are', () => {
    expect(inWorkspace('policies/web.yaml', '/ws/ops', '/ws')).toBe('ops/policies/web.yaml');
    expect(inWorkspace('/ws/a.yaml', '/ws/ops', '/ws')).toBe('a.yaml');
    expect(inWorkspace('builtin:baseline', '/ws', '/ws')).toBeUndefined();
    expect(inWorkspace('../../etc/x.yaml', '/ws/ops', '/ws')).toBeUndefined();
  });

  it('rebased moves source and anchor, and leaves the input alone', async () => {
    const r = await fixtureReport('extends');
    const copy = structuredClone(r);
    const moved = rebased(r, '/ws/sub', '/ws');
    expect(moved.results.find((x) => x.id === 'listen.redis')!.anchor!.file).toBe('sub/fixtures/reports/extends-baseline.yaml');
    expect(r).toEqual(copy);
  });
});

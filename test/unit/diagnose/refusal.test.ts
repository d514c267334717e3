// Targets the probes refuse (link-local, cloud metadata) are refused before anything is sent: an address up
// front, a name once its first collect resolved it to nothing else. The collects are recorded, never run.
import { describe, expect, it } from 'vitest';
import { runDiagnosis } from '../../../src/cli/diagnose-run.js';
import { UsageError } from '../../../src/cli/errors.js';
import { addressOf } from '../../../src/diagnose/checks.js';
import { parseTarget } from '../../../src/diagnose/target.js';
import type { DiagnoseTarget } from '../../../src/diagnose/target.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { Plan } from '../../../src/plan/model.js';

/** The facts of a first collect where `name` resolved to `answers` (and nothing else was read). */
function resolved(name: string, answers: string[]): FactsSnapshot {
  return {
    schema: 'plumbline/facts/v1',
    host: { hostname: 'h1', kernel: '6.1', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'local' },
    probes: {
      [`dns ${name} ADDRESS`]: { name, type: 'ADDRESS', resolves: true, answers: answers.map((value) => ({ type: 'A', value })), latencyMs: 1 },
    },
  } as FactsSnapshot;
}

function recorder(facts: FactsSnapshot) {
  const plans: Plan[] = [];
  return { plans, gather: async (p: Plan) => (plans.push(p), structuredClone(facts)) };
}

const target = (given: string) => parseTarget(given) as DiagnoseTarget;

describe('diagnose: refused targets', () => {
  it.each(['169.254.169.254:80', '169.254.169.254', 'http://169.254.169.254/latest/meta-data/', '[fd00:ec2::254]:80', '[fe80::1]:22'])(
    '%s is refused before any collect, naming the network and the --allow-target that admits it',
    async (given) => {
      const r = recorder(resolved('x', []));
      const run = runDiagnosis(target(given), { timeoutMs: 1000, gather: r.gather });
      await expect(run).rejects.toBeInstanceOf(UsageError);
      await expect(run).rejects.toThrow(
        /is in (169\.254\.0\.0\/16|fd00:ec2::254\/128|fe80::\/10) .*not connected to, nothing sent; --allow-target \S+ .*admits it/,
      );
      expect(r.plans).toEqual([]);
    },
  );

  it('--allow-target admits it: the diagnosis runs', async () => {
    const r = recorder(resolved('x', []));
    await runDiagnosis(target('169.254.169.254:80'), { timeoutMs: 1000, allowTargets: ['169.254.169.254/32'], gather: r.gather });
    expect(r.plans.length).toBeGreaterThan(0);
  });

  it('a name resolving only to refused addresses stops after the first collect: no pings, no second collect', async () => {
    const r = recorder(resolved('meta.diag.test', ['169.254.169.254']));
    const run = runDiagnosis(target('meta.diag.test:80'), { timeoutMs: 1000, gather: r.gather });
    await expect(run).rejects.toThrow(
      'diagnose: meta.diag.test resolves to 169.254.169.254, which is in 169.254.0.0/16 (link-local, where cloud metadata services answer): not connected to, nothing sent; --allow-target 169.254.0.0/16',
    );
    expect(r.plans).toHaveLength(1);
    expect(r.plans[0]!.icmp).toBeFalsy();
  });

  it('a name resolving to a refused and a reachable address is judged for the reachable one', () => {
    const facts = resolved('mixed.diag.test', ['169.254.169.254', '198.19.48.2']);
    expect(addressOf(target('mixed.diag.test:80'), facts)).toBe('198.19.48.2');
    expect(addressOf(target('mixed.diag.test:80'), facts, ['169.254.0.0/16'])).toBe('169.254.169.254');
  });

  it.each([
    ['0.0.0.0', '127.0.0.1'],
    ['0.0.0.0:80', '127.0.0.1'],
    ['[::]:443', '::1'],
    ['::', '::1'],
    ['http://0.0.0.0:8080/', '127.0.0.1'],
  ])('%s is a wildcard bind address, a usage error', (given, instead) => {
    const t = parseTarget(given);
    expect('why' in t && t.why).toContain(`is a wildcard bind address, not a target; give the address to connect to, e.g. ${instead}`);
  });
});

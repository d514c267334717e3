// Results as data: every result of a broad policy carries a reason from the catalogue, the report's words are
// made from it, decisions (root causes, "not collected") read codes and never words, and a report of the previous
// format (no reason, or a code alone) still reads, renders and diffs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import { attributeCauses } from '../../../src/evaluate/causes.js';
import type { Result } from '../../../src/evaluate/model.js';
import type { Reason } from '../../../src/evaluate/reasons.js';
import type { Check, CheckOf, ResolvedPolicy, SelectorName } from '../../../src/policy/model.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { Report } from '../../../src/report/model.js';
import { REASON_CODES, say } from '../../../src/report/reasons.js';
import { buildReport } from '../../../src/report/build.js';
import { diffReports } from '../../../src/report/diff.js';
import { loadRenderer } from '../../../src/report/registry.js';
import { readReport } from '../../../src/cli/saved-report.js';
import { ensureValidators } from '../policy/helpers.js';
import { checkOf, resultOf } from '../../helpers/checks.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NOW = new Date('2026-11-25T00:00:00Z');
const schema = JSON.parse(readFileSync(`${ROOT}schemas/report.schema.json`, 'utf8')) as {
  $defs: { reason: { properties: { code: { enum: string[] } } } };
};
const CATALOGUE = schema.$defs.reason.properties.code.enum;

async function policy(file: string): Promise<ResolvedPolicy> {
  ensureValidators();
  const { resolvePolicy } = await import('../../../src/policy/resolve.js');
  return resolvePolicy([file], { builtinDir: `${ROOT}policies`, cwd: ROOT });
}

const snapshot = (host: string): FactsSnapshot => JSON.parse(readFileSync(`${ROOT}fixtures/snapshots/${host}.json`, 'utf8')) as FactsSnapshot;

/** Every reason a reason holds: itself, its further findings, notes, the items of "could not decide" ... */
function reasonsIn(r: Reason): Reason[] {
  const inner: Reason[] = [...(r.also ?? []), ...(r.notes ?? [])];
  if (r.code === 'undecided') inner.push(...r.items);
  if (r.code === 'time-wait' || r.code === 'expires-soon' || r.code === 'leaf-expires-soon') inner.push(...r.failures);
  if (r.code === 'caused-by' && r.was) inner.push(r.was);
  return [r, ...inner.flatMap(reasonsIn)];
}

describe('the catalogue of reason codes', () => {
  it('the words table and the report schema list the same codes', () => {
    expect([...REASON_CODES()].sort()).toEqual([...CATALOGUE].sort());
    expect(new Set(CATALOGUE).size).toBe(CATALOGUE.length);
    for (const c of CATALOGUE) expect(c, c).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('every result of every kind, on three recorded hosts, carries a catalogued reason whose words are the report message of its golden', async () => {
    const seen = new Set<string>();
    for (const [file, name] of [
      ['fixtures/snapshots/all-selectors.yaml', 'all-selectors'],
      ['builtin:baseline', 'baseline'],
    ] as const) {
      const p = await policy(file);
      for (const host of ['good', 'bad', 'edge']) {
        const results = evaluate(p, snapshot(host), NOW);
        expect(results.length).toBe(p.checks.length);
        for (const r of results) {
          for (const x of reasonsIn(r.reason)) {
            expect(CATALOGUE, `${r.id}: ${x.code}`).toContain(x.code);
            seen.add(x.code);
          }
        }
        // The edge goldens were written before results carried reasons: their messages are what users read.
        if (host === 'edge') {
          const golden = JSON.parse(readFileSync(`${ROOT}test/unit/report/golden/${name}-edge.json`, 'utf8')) as Report;
          const byId = new Map(golden.results.map((g) => [g.id, g]));
          for (const r of results) expect(say(r.reason), r.id).toBe(byId.get(r.id)!.message);
        }
      }
    }
    // The fixtures reach every status: passes, failures, errors, skips, waivers, expired waivers.
    for (const code of [
      'matched',
      'below',
      'no-listener',
      'key-absent',
      'not-applicable',
      'waiver-expired',
      'items-failed',
      'firewall-verdict',
      'bind-breach',
    ]) {
      expect(seen, code).toContain(code);
    }
  });
});

describe('decisions read codes, never words', () => {
  const check = <K extends SelectorName>(id: string, selector: CheckOf<K>['selector'], expect: CheckOf<K>['expect']) =>
    checkOf<K>(id, selector, expect, 'probes');
  const result = (id: string, status: Result['status'], reason: Reason, actual = ''): Result => resultOf(id, status, { area: 'probes', reason, actual });
  const checks: Check[] = [
    check<'dns'>('dns', { kind: 'dns', spec: { name: 'db.example' } }, { resolves: true }),
    check<'tcp'>('tcp', { kind: 'tcp', spec: { host: 'db.example', port: 5432 } }, { connect: 'open' }),
  ];
  const dnsFails = (): Result => result('dns', 'fail', { code: 'resolves-not', why: 'NXDOMAIN' });

  it('an unjudged upper probe whose lower layer failed becomes a failure caused by it, keeping the reason it had', () => {
    const was: Reason = { code: 'probe-failed', at: 'db.example:5432', why: 'no address', errorCode: 'ENOTFOUND' };
    const [, tcp] = attributeCauses(checks, [dnsFails(), result('tcp', 'error', was, 'anything at all')]);
    expect(tcp).toMatchObject({ status: 'fail', cause: 'dns', reason: { code: 'caused-by', was }, actual: 'no answer: a lower layer failed' });
    expect(say(tcp!.reason)).toBe('db.example:5432: no address (ENOTFOUND)');
  });

  it('"(not collected)" in the words is not "not collected": the code decides', () => {
    const silence: Reason = { code: 'no-answer', why: 'no answer within 2 s' };
    const [, tcp] = attributeCauses(checks, [dnsFails(), result('tcp', 'error', silence, '(not collected)')]);
    expect(tcp).toMatchObject({ status: 'fail', cause: 'dns', reason: { code: 'caused-by', was: silence } });
    // Only a fact that could not be collected has its actual replaced; this one's stays as it was.
    expect(tcp!.actual).toBe('(not collected)');
  });

  it('a lower probe missing from the snapshot is no cause, whatever its words', () => {
    const missing = result('dns', 'error', { code: 'not-in-snapshot', probe: 'dns db.example A' }, 'DNS failed');
    const [, tcp] = attributeCauses(checks, [missing, result('tcp', 'fail', { code: 'connect-verdict', verdict: 'refused', wanted: ['open'] })]);
    expect(tcp!.cause).toBeUndefined();
    // And the same words with a code that is a verdict are a cause.
    const failed = result('dns', 'error', { code: 'probe-failed', why: 'the facts snapshot has no probe', errorCode: 'SERVFAIL' });
    const [, tcp2] = attributeCauses(checks, [failed, result('tcp', 'fail', { code: 'connect-verdict', verdict: 'refused', wanted: ['open'] })]);
    expect(tcp2!.cause).toBe('dns');
  });
});

describe('a report of the previous format', () => {
  // errors-waived-causes as plumbline wrote it before results carried reasons as data: most results have no
  // reason, a few a code alone (not-collected).
  const FILE = `${ROOT}fixtures/reports/previous-format.json`;

  it('reads, renders in every format with its own words, and diffs against a report of today', async () => {
    const old = await readReport(FILE);
    expect(old.results.some((r) => r.reason === undefined)).toBe(true);
    expect(old.results.some((r) => r.reason !== undefined && Object.keys(r.reason).length === 1)).toBe(true);
    for (const format of ['pretty', 'markdown', 'html', 'junit', 'sarif', 'prometheus', 'json']) {
      const text = (await loadRenderer(format))(old, { color: false });
      expect(text.length, format).toBeGreaterThan(0);
    }
    const pretty = (await loadRenderer('pretty'))(old, { color: false });
    const failing = old.results.find((r) => r.status === 'fail' && r.cause === undefined)!;
    expect(pretty).toContain(failing.message);
    // Today's report of the same checks of the policy (it has more now) and host: the same verdicts, so nothing
    // is newly failing.
    const all = await policy('fixtures/snapshots/all-selectors.yaml');
    const then = new Set(old.results.map((r) => r.id));
    const p = { ...all, checks: all.checks.filter((c) => then.has(c.id)) };
    const facts = snapshot('bad');
    const now = buildReport(p, facts, evaluate(p, facts, NOW), { threshold: p.defaults.failUnder, now: NOW, version: '0.0.0-test' });
    const d = diffReports(old, now);
    expect(d.regression).toBe(false);
    // Process ids are the captured host's: a re-captured snapshot has others, and the words around them stand.
    const said = (m: string | undefined) => m?.replace(/\[\d+\]/g, '[PID]');
    expect(now.results.map((r) => [r.id, r.status, said(r.message)])).toEqual(old.results.map((r) => [r.id, r.status, said(r.message)]));
    expect(diffReports(now, old).regression).toBe(false);
  });
});

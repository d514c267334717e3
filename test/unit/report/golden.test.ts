// Golden tests of the renderers: the report of every captured snapshot (fixtures/snapshots/) under the built-in
// baseline and under fixtures/snapshots/all-selectors.yaml, rendered as pretty text (coloured; the plain text is
// it less the colour codes) and JSON, compared byte for byte with test/unit/report/golden/. The clock and version are fixed, so the output only changes
// when a renderer, an evaluator or a policy does.
//
//   npm run test:update-golden     # rewrite the golden files after an intended change, then review the diff
//
// A golden file that does not exist fails the test: goldens are written only by that explicit command.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { golden as goldenFile } from '../../helpers/golden.js';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormatsNs from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import { buildReport } from '../../../src/report/build.js';
import { renderJson } from '../../../src/report/json.js';
import { renderPretty } from '../../../src/report/pretty.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { ResolvedPolicy } from '../../../src/policy/model.js';
import type { Report } from '../../../src/report/model.js';
import { ensureValidators } from '../policy/helpers.js';

// ajv-formats is CommonJS with a default export: Node hands over module.exports, bundlers may unwrap it.
const addFormats: FormatsPlugin =
  (ajvFormatsNs as unknown as { default?: FormatsPlugin & { default?: FormatsPlugin } }).default?.default ??
  (ajvFormatsNs as unknown as { default?: FormatsPlugin }).default ??
  (ajvFormatsNs as unknown as FormatsPlugin);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GOLDEN = `${ROOT}test/unit/report/golden/`;
const NOW = new Date('2026-11-25T00:00:00Z');
const VERSION = '0.0.0-test';
const HOSTS = ['good', 'bad', 'edge'] as const;
const POLICIES = { baseline: 'builtin:baseline', 'all-selectors': 'fixtures/snapshots/all-selectors.yaml' } as const;
type PolicyKey = keyof typeof POLICIES;
const CASES = (Object.keys(POLICIES) as PolicyKey[]).flatMap((policy) => HOSTS.map((host) => ({ policy, host, name: `${policy}-${host}` })));

const ANSI = /\x1b\[[0-9;]*m/g;
const reports = new Map<string, Report>();
const policies = new Map<string, ResolvedPolicy>();

function reportFor(policy: ResolvedPolicy, host: string): Report {
  const facts = JSON.parse(readFileSync(`${ROOT}fixtures/snapshots/${host}.json`, 'utf8')) as FactsSnapshot;
  const results = evaluate(policy, facts, NOW);
  return buildReport(policy, facts, results, { threshold: policy.defaults.failUnder, now: NOW, version: VERSION });
}

/**
 * Cases that are the very reports test/helpers/reports.ts builds (the same snapshot and policy): one golden file
 * each, the fixture suite's, so one rendering is held in one place.
 */
const TWINS: Partial<Record<string, string>> = {
  'baseline-good': 'ready',
  'baseline-bad': 'not-ready',
  'all-selectors-good': 'ready-with-failures',
  'all-selectors-bad': 'errors-waived-causes',
};

function golden(file: string, actual: string): void {
  const [name = '', ...rest] = file.split('.');
  const twin = TWINS[name];
  goldenFile(GOLDEN + (twin !== undefined ? `fixtures/${[twin, ...rest].join('.')}` : file), actual);
}

beforeAll(async () => {
  ensureValidators();
  const { resolvePolicy } = await import('../../../src/policy/resolve.js');
  for (const [key, entry] of Object.entries(POLICIES)) {
    const policy = resolvePolicy([entry], { builtinDir: `${ROOT}policies`, cwd: ROOT });
    policies.set(key, policy);
    for (const host of HOSTS) reports.set(`${key}-${host}`, reportFor(policy, host));
  }
});

/** The case's report built a second time, from a fresh copy of its snapshot and a fresh copy of the policy. */
function rebuilt(name: string): Report {
  const c = CASES.find((x) => x.name === name)!;
  return reportFor(structuredClone(policies.get(c.policy)!), c.host);
}

describe.each(CASES)('$name', ({ name }) => {
  const report = (): Report => reports.get(name)!;

  // The plain text is held by the test below: the coloured text less its colour codes.
  it('pretty (colour) matches the golden file', () => {
    golden(`${name}.pretty.ansi.txt`, renderPretty(report(), { color: true }));
  });

  it('json matches the golden file', () => {
    golden(`${name}.json`, renderJson(report()));
  });

  it('is deterministic: the same report renders to the same text, with the fixed clock and version', () => {
    const r = report();
    // A report built again from the same snapshot and policy renders the same, byte for byte.
    expect(renderPretty(rebuilt(name), { color: false })).toBe(renderPretty(r, { color: false }));
    expect(r.generatedAt).toBe('2026-11-25T00:00:00.000Z');
    expect(r.tool).toEqual({ name: 'plumbline', version: VERSION });
    expect(renderPretty(r, { color: false }).split('\n')[0]).toContain(`plumbline ${VERSION} · host ${r.host.hostname} (kernel ${r.host.kernel})`);
  });

  it('json is the report, follows schemas/report.schema.json, and ends with a newline', () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(`${ROOT}schemas/report.schema.json`, 'utf8')));
    const text = renderJson(report());
    const parsed = JSON.parse(text) as unknown;
    expect(validate(parsed), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(parsed).toEqual(report());
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('pretty: no ANSI escapes without colour; with colour, the same text plus escapes', () => {
    const plain = renderPretty(report(), { color: false });
    const color = renderPretty(report(), { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(color).toMatch(ANSI);
    expect(color.replace(ANSI, '')).toBe(plain);
  });

  it('pretty: failures first, root causes before their symptoms, then areas, then counts and the verdict last', () => {
    const r = report();
    const plain = renderPretty(r, { color: false });
    const lines = plain.trimEnd().split('\n');
    const areaLine = (area: string) => lines.findIndex((l) => new RegExp(`^${area.replace('.', '\\.')}\\s+[\\d.]+%  `).test(l));
    const areaIdx = r.areas.map((a) => areaLine(a.area));
    expect(areaIdx.every((i) => i > 0)).toBe(true);
    // Areas in report order.
    expect([...areaIdx].sort((a, b) => a - b)).toEqual(areaIdx);

    const failures = r.results.filter((x) => x.status === 'fail');
    const roots = failures.filter((x) => !x.cause);
    const symptoms = failures.filter((x) => x.cause);
    const failuresAt = lines.indexOf(`Failures (${roots.length})`);
    const symptomsAt = lines.indexOf(`Failing because of a failure above (${symptoms.length})`);
    if (failures.length) {
      expect(failuresAt).toBeGreaterThan(0);
      expect(failuresAt).toBeLessThan(Math.min(...areaIdx));
      // Each failure's heading line, in the failures section: root causes in full, then one line per symptom.
      const heading = (id: string) =>
        lines.findIndex((l, i) => i > failuresAt && i < Math.min(...areaIdx) && new RegExp(`^  ✗ \\S+\\s+${id.replace(/\./g, '\\.')}  `).test(l));
      const rootAt = roots.map((x) => heading(x.id));
      const symptomAt = symptoms.map((x) => heading(x.id));
      expect([...rootAt, ...symptomAt].every((i) => i > failuresAt)).toBe(true);
      if (symptoms.length) {
        expect(symptomsAt).toBeGreaterThan(Math.max(...rootAt));
        expect(Math.min(...symptomAt)).toBeGreaterThan(symptomsAt);
      } else {
        expect(symptomsAt).toBe(-1);
      }
    } else {
      expect(failuresAt).toBe(-1);
    }
    const errors = r.results.filter((x) => x.status === 'error');
    const errorsAt = lines.indexOf(`Could not check (${errors.length})`);
    if (errors.length) {
      expect(errorsAt).toBeGreaterThan(failuresAt);
      expect(errorsAt).toBeLessThan(Math.min(...areaIdx));
    }

    // Every result appears once in its area section.
    for (const x of r.results) {
      const rows = lines.filter((l) => new RegExp(`^  [✓✗!~-] ${x.id.replace(/\./g, '\\.')}\\s`).test(l));
      expect(rows, x.id).toHaveLength(1);
    }

    const k = r.counts;
    expect(lines.at(-2)).toBe(
      `Score ${r.score}% (threshold ${r.threshold}) · ${k.pass} pass · ${k.fail} fail · ${k.error} error · ${k.skip} skip · ${k.waived} waived`,
    );
    expect(lines.at(-1)).toBe(`${r.ready ? 'READY' : 'NOT READY'} — ${r.verdictReason}`);
    expect(plain.endsWith('\n')).toBe(true);
  });
});

describe('what the golden reports say', () => {
  it('the good host is ready under the baseline; the bad and edge hosts are not, and say why', () => {
    expect(reports.get('baseline-good')).toMatchObject({ ready: true, score: 100 });
    expect(reports.get('baseline-bad')?.verdictReason).toBe('critical checks failed: listen.redis, listen.memcached-udp, listen.elasticsearch');
    expect(reports.get('baseline-edge')).toMatchObject({ ready: false, verdictReason: 'critical check failed: listen.elasticsearch' });
  });

  it('the failures section shows the root cause with its fix, and the symptom pointing at it', () => {
    const plain = renderPretty(reports.get('all-selectors-bad')!, { color: false });
    const root = plain.indexOf('  ✗ HIGH     all.if-eth0  eth0 is up with a full-size MTU\n');
    const symptom = plain.indexOf('  ✗ HIGH     all.route-default  ← all.if-eth0: no default route\n');
    expect(root).toBeGreaterThan(0);
    expect(symptom).toBeGreaterThan(root);
    // The root cause says what it explains, right under its title; the symptom is one line naming it.
    expect(plain.slice(root)).toMatch(
      /^ {2}✗ HIGH {5}all\.if-eth0 {2}eth0 is up with a full-size MTU\n {6}explains {2}all\.route-default fails because of this\n/,
    );
    expect(reports.get('all-selectors-bad')!.rootCauses).toEqual([{ id: 'all.if-eth0', explains: ['all.route-default'] }]);
    // The area row of a symptom says what failed and names its cause.
    expect(plain).toMatch(/^ {2}✗ all\.route-default +no default route \(cause: all\.if-eth0\)$/m);
  });

  it('waived and expired-waiver results read as such in the area sections', () => {
    const plain = renderPretty(reports.get('all-selectors-edge')!, { color: false });
    expect(plain).toMatch(/^ {2}~ all\.fw-output-drop\s+waived until 2027-06-30: Egress filtering is done by the upstream proxy$/m);
    expect(plain).toMatch(/^ {6}why {7}CLOSE_WAIT is 25, not <= 10 \(waiver expired on 2026-01-31: Known CLOSE_WAIT leak, ticket OPS-1234\)$/m);
  });
});

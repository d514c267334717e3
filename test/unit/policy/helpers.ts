// The policy front end imports a validator generated from schemas/ at build time. Tests may run before any
// build (a fresh clone, `npx vitest run`), so regenerate it when it is missing or older than its inputs, and
// only then import the modules that need it.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PolicyError, PolicyIssue, ResolvedPolicy } from '../../../src/policy/model.js';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
const casesDir = `${root}test/unit/policy/cases`;
export const builtinDir = `${casesDir}/builtin`;

export function ensureValidators(): void {
  const outs = ['policy', 'waivers'].map((n) => `${root}src/policy/generated/${n}-validator.js`);
  const inputs = ['schemas/policy.schema.json', 'schemas/waivers.schema.json', 'scripts/gen-validators.mjs'].map((f) => `${root}${f}`);
  const stale = outs.some((out) => !existsSync(out) || inputs.some((f) => statSync(f).mtimeMs > statSync(out).mtimeMs));
  if (stale) execFileSync(process.execPath, [`${root}scripts/gen-validators.mjs`], { stdio: 'inherit' });
}

export async function policyModules() {
  ensureValidators();
  const [load, validate, resolve, model] = await Promise.all([
    import('../../../src/policy/load.js'),
    import('../../../src/policy/validate.js'),
    import('../../../src/policy/resolve.js'),
    import('../../../src/policy/model.js'),
  ]);
  return { ...load, ...validate, ...resolve, ...model };
}

export function fmt(issues: readonly PolicyIssue[]): string[] {
  return issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`);
}

/** The issues of the PolicyError that `fn` throws; fails the test if it throws anything else or nothing. */
export function issuesOf(fn: () => unknown, PolicyErrorClass: typeof PolicyError): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyErrorClass) return fmt(e.issues);
    throw e;
  }
  throw new Error('expected a PolicyError');
}

/** The first lines of a policy file, for tests that write the rest. */
export const HEAD = 'apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: t\n';

/** The issues of resolving one policy held in memory as p.yaml, read the way the CLI reads files (fast first). */
export async function errorsOfTextFn(): Promise<(text: string) => string[]> {
  const { resolvePolicy, PolicyError } = await policyModules();
  return (text) =>
    issuesOf(
      () =>
        resolvePolicy(['p.yaml'], {
          builtinDir: '/virt/builtin',
          cwd: '/virt',
          readFile: (abs) => {
            if (abs === '/virt/p.yaml') return text;
            throw Object.assign(new Error(`ENOENT: no such file or directory, open '${abs}'`), { code: 'ENOENT' });
          },
        }),
      PolicyError,
    );
}

/**
 * A resolver of one-line checks (`id: a, sysctl: x, expect: 1`) into a policy held in memory, with a 2 s
 * default timeout: for tests of planning and evaluation that need a real resolved policy.
 */
export async function checksPolicyFn(): Promise<(...lines: string[]) => ResolvedPolicy> {
  const { resolvePolicy } = await policyModules();
  return (...lines) => {
    const text = `${HEAD}defaults: { timeout: 2s }\nchecks:\n${lines.map((l) => `  - { title: t, severity: high, ${l} }`).join('\n')}\n`;
    return resolvePolicy(['p.yaml'], { builtinDir: '/virt/builtin', cwd: '/virt', readFile: () => text });
  };
}

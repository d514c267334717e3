// schemas/policy.schema.json is the language as editors and the validator read it; the build writes it from the
// one definition, the check kinds' TypeBox schemas (src/policy/schema.ts, src/policy/kinds/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fmt, policyModules, root } from './helpers.js';
import { POLICY_KEYS } from '../../../src/policy/rules.js';
import { policySchemaText } from '../../../scripts/policy-schema.js';

const { resolvePolicy, PolicyError, SELECTORS, SEVERITIES } = await policyModules();
const schema = JSON.parse(readFileSync(`${root}schemas/policy.schema.json`, 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;
const defs = schema.$defs as Record<string, Json>;
const deref = (s: Json): Json => (typeof s.$ref === 'string' ? defs[s.$ref.replace('#/$defs/', '')]! : s);

describe('policy schema', () => {
  it("is the file the build writes from the kinds' definitions (run npm run build when this fails)", () => {
    expect(readFileSync(`${root}schemas/policy.schema.json`, 'utf8')).toBe(policySchemaText());
  });

  it('needs no TypeBox at run time: src/ imports only its types (the build alone runs the definitions)', () => {
    const files = (readdirSync(`${root}src`, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const loads = files.filter((f) => /^import (?!type )[^;]*from 'typebox(\/[^']*)?';/m.test(readFileSync(`${root}src/${f}`, 'utf8')));
    expect(files.length).toBeGreaterThan(100);
    expect(loads).toEqual([]);
  });

  it('promises nothing the code does not do: no feature "coming", no filtering by tags until something filters', () => {
    const descriptions: string[] = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        for (const [k, v] of Object.entries(x)) {
          if (k === 'description' && typeof v === 'string') descriptions.push(v);
          else walk(v);
        }
      }
    };
    walk(schema);
    expect(descriptions.length).toBeGreaterThan(100);
    expect(descriptions.filter((d) => /\(coming\)|coming soon|not yet/i.test(d))).toEqual([]);
    expect(descriptions.filter((d) => /tags/i.test(d) && /filter/i.test(d))).toEqual([]);
  });

  it('compiles under ajv strict mode (as the build does)', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allowMatchingProperties: true, strictRequired: false, allErrors: true });
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('describes every property, so editors can explain it', () => {
    const missing: string[] = [];
    const walk = (s: unknown, where: string): void => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${where}/${i}`));
      if (typeof s !== 'object' || s === null) return;
      const o = s as Json;
      if (o.properties && typeof o.properties === 'object') {
        for (const [k, p] of Object.entries(o.properties as Record<string, Json>)) {
          // Properties inside if/then only refine the shape of a property declared (and described) elsewhere.
          if (where.includes('/if') || where.includes('/then')) continue;
          if (typeof p.description !== 'string' && typeof deref(p).description !== 'string') missing.push(`${where}/properties/${k}`);
        }
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('offers exactly the selectors and severities of the Check model', () => {
    const check = defs.check!;
    const props = Object.keys(check.properties as Json);
    for (const s of SELECTORS) expect(props).toContain(s);
    const thenSelectors = (check.allOf as Json[]).flatMap((a) => ((a.if as Json | undefined)?.required as string[] | undefined) ?? []);
    expect(thenSelectors.filter((s) => s !== 'enabled').sort()).toEqual([...SELECTORS].sort());
    expect((check.properties as Record<string, Json>).severity!.enum as string[]).toEqual([...SEVERITIES]);
  });

  it('tells a policy from another file by exactly the top-level keys it declares', () => {
    expect(POLICY_KEYS).toEqual(Object.keys(schema.properties as Json));
  });

  it('bounds durations by what a timer can hold', () => {
    const int = (defs.duration!.anyOf as Json[]).find((b) => b.type === 'integer')!;
    expect(int).toMatchObject({ exclusiveMinimum: 0, maximum: 2 ** 31 - 1 });
  });

  it('validates every built-in policy in policies/', () => {
    const dir = `${root}policies`;
    const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
    expect(names).toContain('baseline.yaml');
    for (const n of names) {
      try {
        resolvePolicy([`policies/${n}`], { builtinDir: dir, cwd: root });
      } catch (e) {
        if (e instanceof PolicyError) expect.fail(fmt(e.issues).join('\n'));
        throw e;
      }
    }
  });
});

// schemas/policy.schema.json, made from the one definition of the language: src/policy/schema.ts and each
// check kind's `schema` (src/policy/kinds/), written with TypeBox. The build writes it (scripts/build.mjs), a
// unit test and .ci/run fail when the committed file is not what this makes. TypeBox runs here only.
import Type from 'typebox';
import type { Static, TSchema } from 'typebox';
import type { CommonDef, Kit } from '../src/policy/kinds/kit.js';
import { policySchema } from '../src/policy/schema.js';

// Keys of a schema node in the order a reader expects them; the rest keep the order they were written in.
const KEY_ORDER = [
  '$schema',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'default',
  'required',
  'minProperties',
  'additionalProperties',
  'propertyNames',
  'properties',
  'patternProperties',
  'prefixItems',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'pattern',
  'patternErrorMessage',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'anyOf',
  'allOf',
  'if',
  'then',
  'else',
  '$defs',
];
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs']);
const SCHEMAS = new Set(['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else']);
const SCHEMA_LISTS = new Set(['anyOf', 'allOf', 'oneOf', 'prefixItems']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function ordered(node: Json): Json {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const keys = Object.keys(node).sort((a, b) => rank(a) - rank(b));
  const out: { [k: string]: Json } = {};
  for (const k of keys) {
    const v = node[k]!;
    if (SCHEMA_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, ordered(s)]));
    } else if (SCHEMAS.has(k)) out[k] = ordered(v);
    else if (SCHEMA_LISTS.has(k) && Array.isArray(v)) out[k] = v.map(ordered);
    else out[k] = v;
  }
  return out;
}

function rank(key: string): number {
  const i = KEY_ORDER.indexOf(key);
  return i < 0 ? KEY_ORDER.length : i;
}

/** The policy schema as JSON text, as it is committed. */
export function policySchemaText(): string {
  const defs: Record<string, TSchema> = {};
  const refTo = <X>(name: string, options: Record<string, unknown> = {}) => Type.Unsafe<X>({ $ref: `#/$defs/${name}`, ...options });
  const kit: Kit = {
    T: Type,
    ref: <X>(name: CommonDef, options?: Record<string, unknown>) => refTo<X>(name, options),
    raw: <X>(schema: Record<string, unknown>) => Type.Unsafe<X>(schema),
    def<S extends TSchema>(name: string, schema: S) {
      const seen = defs[name];
      if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(schema)) throw new Error(`two different schema definitions named ${name}`);
      defs[name] = schema;
      return { ref: (options?: Record<string, unknown>) => refTo<Static<S>>(name, options) };
    },
  };
  const root = policySchema(kit);
  // JSON.stringify drops TypeBox's symbol-keyed markers, leaving plain JSON Schema.
  const doc = JSON.parse(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...root, $defs: defs })) as Json;
  return `${JSON.stringify(ordered(doc), null, 2)}\n`;
}

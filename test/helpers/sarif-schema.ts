// The official SARIF 2.1.0 schema, as the devDependency @microsoft/jest-sarif ships it, compiled once for every
// test that holds a SARIF log to it (the reports' and validate's).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormatsNs from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS with a default export: Node hands over module.exports, bundlers may unwrap it.
const addFormats: FormatsPlugin =
  (ajvFormatsNs as unknown as { default?: FormatsPlugin & { default?: FormatsPlugin } }).default?.default ??
  (ajvFormatsNs as unknown as { default?: FormatsPlugin }).default ??
  (ajvFormatsNs as unknown as FormatsPlugin);

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

/**
 * The schema file is draft-04, which Ajv 8 has no meta-schema for; it uses nothing that reads differently under
 * Ajv's default draft (no boolean exclusiveMinimum/Maximum: `usesExclusiveBounds` says so), so it compiles
 * without its $schema and id. Its `language` pattern is not a valid unicode regular expression, hence
 * unicodeRegExp off.
 */
export function sarifValidator(): { validate: ValidateFunction; usesExclusiveBounds: boolean } {
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id: _id, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (!compiled) {
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return { validate: compiled, usesExclusiveBounds: /"exclusive(Minimum|Maximum)"/.test(JSON.stringify(schema)) };
}

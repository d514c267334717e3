// Read a facts snapshot written by `plumbline facts`, with positions for broken JSON.
import type { FactsSnapshot } from '../facts/model.js';
import { UsageError } from './errors.js';
import { readJson, schemaError } from './json-file.js';
import { validate as validateFacts } from '../facts/generated/facts-validator.js';

export async function readSnapshot(path: string): Promise<FactsSnapshot> {
  const { text, data } = readJson(path, 'the facts snapshot');
  const snap = data as Partial<FactsSnapshot> | null;
  const schema = snap && typeof snap === 'object' && !Array.isArray(snap) ? snap.schema : undefined;
  if (schema !== 'plumbline/facts/v1') {
    const newer = typeof schema === 'string' ? /^plumbline\/facts\/v(\d+)$/.exec(schema) : null;
    if (newer && Number(newer[1]) > 1)
      throw new UsageError(
        `${path}:1:1: the snapshot is from a newer plumbline (schema ${schema}); this plumbline reads plumbline/facts/v1: upgrade plumbline to judge it`,
      );
    const report = typeof schema === 'string' ? /^plumbline\/(report|fleet-report)\/v\d+$/.exec(schema) : null;
    const hint = report ? ` (it is ${report[1] === 'report' ? "a host's report" : "a fleet's report"}: render it again with "plumbline report FILE")` : '';
    throw new UsageError(`${path}:1:1: not a plumbline facts snapshot${hint}; expected "schema": "plumbline/facts/v1", as "plumbline facts -o FILE" writes`);
  }
  if (!validateFacts(data)) throw await schemaError(path, text, validateFacts.errors ?? [], 'the facts snapshot does not match schemas/facts.schema.json');
  return snap as FactsSnapshot;
}

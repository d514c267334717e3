// Read a facts snapshot written by `plumbline facts`, with positions for broken JSON.
import type { FactsSnapshot } from '../facts/model.js';
import { UsageError } from './errors.js';
import { readJson, schemaError } from './json-file.js';
import { validate as validateFacts } from '../facts/generated/facts-validator.js';

export async function readSnapshot(path: string): Promise<FactsSnapshot> {
  const { text, data } = readJson(path, 'the facts snapshot');
  const snap = data as Partial<FactsSnapshot> | null;
  if (!snap || typeof snap !== 'object' || snap.schema !== 'plumbline/facts/v1') {
    throw new UsageError(`${path}:1:1: not a plumbline facts snapshot (expected "schema": "plumbline/facts/v1"); write one with "plumbline facts -o FILE"`);
  }
  if (!validateFacts(data)) throw await schemaError(path, text, validateFacts.errors ?? [], 'the facts snapshot does not match schemas/facts.schema.json');
  return snap as FactsSnapshot;
}

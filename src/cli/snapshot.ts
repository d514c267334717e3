// Read a facts snapshot written by `plumbline facts`, with positions for broken JSON.
import { readFileSync } from 'node:fs';
import type { FactsSnapshot } from '../facts/model.js';
import { UsageError } from './errors.js';
import validateFacts from '../facts/generated/facts-validator.js';

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

export async function readSnapshot(path: string): Promise<FactsSnapshot> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}:1:1: cannot read the facts snapshot: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    const at = m ? lineCol(text, Number(m[1])) : /end of JSON input/.test(msg) ? lineCol(text, text.length) : '1:1';
    throw new UsageError(`${path}:${at}: not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
  }
  const snap = data as Partial<FactsSnapshot> | null;
  if (!snap || typeof snap !== 'object' || snap.schema !== 'plumbline/facts/v1') {
    throw new UsageError(`${path}:1:1: not a plumbline facts snapshot (expected "schema": "plumbline/facts/v1"); write one with "plumbline facts -o FILE"`);
  }
  if (!validateFacts(data)) {
    // oneOf branches ({data} | {error}) report every branch; the deepest errors are the ones that say what is wrong.
    const all = validateFacts.errors ?? [];
    const deepest = all.filter((e) => e.keyword !== 'oneOf' && !all.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)));
    const errors = [...new Map(deepest.map((e) => [`${e.instancePath} ${e.message}`, e])).values()].slice(0, 5);
    // Only on the error path: the YAML parser (JSON is YAML) gives positions for JSON pointers.
    const { positionOf } = await import('./json-position.js');
    const lines = errors.map((e) => `${path}:${positionOf(text, e.instancePath)}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new UsageError(`${lines.join('\n')}\nthe facts snapshot does not match schemas/facts.schema.json`);
  }
  return snap as FactsSnapshot;
}

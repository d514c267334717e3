// Read a facts snapshot written by `plumbline facts`, with positions for broken JSON.
import { readFileSync } from 'node:fs';
import type { FactsSnapshot } from '../facts/model.js';
import { UsageError } from './errors.js';

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

export function readSnapshot(path: string): FactsSnapshot {
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
    const at = m ? lineCol(text, Number(m[1])) : '1:1';
    throw new UsageError(`${path}:${at}: not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
  }
  const snap = data as Partial<FactsSnapshot> | null;
  if (!snap || typeof snap !== 'object' || snap.schema !== 'plumbline/facts/v1' || typeof snap.host !== 'object') {
    throw new UsageError(`${path}:1:1: not a plumbline facts snapshot (expected "schema": "plumbline/facts/v1"); write one with "plumbline facts -o FILE"`);
  }
  return snap as FactsSnapshot;
}

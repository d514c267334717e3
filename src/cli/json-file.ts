// Reading a JSON document plumbline wrote earlier (a facts snapshot, a report): every way it can be wrong gets
// one message with the file, line and column, and exit 2.
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { UsageError } from './errors.js';
import { errCode, errText } from '../lib/errno.js';

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/**
 * Where JSON.parse gave up. V8 names a position only for some errors; otherwise find the shortest prefix that
 * fails for a reason other than ending early (every shorter prefix is a valid start), by bisection.
 */
function jsonErrorOffset(text: string): number {
  const fails = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (e) {
      // Running out of input (said either way) means the prefix was fine so far.
      const msg = (e as Error).message;
      const at = /at position (\d+)/.exec(msg);
      return !/end of JSON input/.test(msg) && !(at && Number(at[1]) >= n);
    }
  };
  if (!fails(text.length)) return text.length;
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fails(mid)) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** V8 quotes a piece of the input, newlines and all; keep the words. */
function oneLineJsonError(msg: string): string {
  return msg
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/^(Unexpected token '.'), .*$/s, '$1')
    .replace(/ in JSON at position \d+.*$/s, '')
    .split('\n')[0]!;
}

/** The file's text and its parsed value; `what` names the document in messages ("the facts snapshot"). */
export function readJson(path: string, what: string): { text: string; data: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = errCode(err) === 'EISDIR' ? 'it is a directory' : errText(err);
    throw new UsageError(`${path}: cannot read ${what}: ${why}`);
  }
  if (text.trim() === '') throw new UsageError(`${path}:1:1: ${what} is empty`);
  try {
    return { text, data: JSON.parse(text) };
  } catch (err) {
    const offset = jsonErrorOffset(text);
    // Every byte read so far was fine and then the text stopped: a write that did not finish.
    if (offset >= text.trimEnd().length) throw new UsageError(`${path}:${lineCol(text, text.trimEnd().length)}: ${what} ends early: the file is truncated`);
    throw new UsageError(`${path}:${lineCol(text, offset)}: not valid JSON: ${oneLineJsonError((err as Error).message)}`);
  }
}

/** Schema errors as `file:line:col: pointer message` lines, the deepest first few, ending with `closing`. */
export async function schemaError(path: string, text: string, all: readonly ErrorObject[], closing: string): Promise<UsageError> {
  // oneOf branches ({data} | {error}) report every branch; the deepest errors are the ones that say what is wrong.
  const deepest = all.filter((e) => e.keyword !== 'oneOf' && !all.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)));
  const errors = [...new Map(deepest.map((e) => [`${e.instancePath} ${e.message}`, e])).values()].slice(0, 5);
  // Only on the error path: the YAML parser (JSON is YAML) gives positions for JSON pointers.
  const { positionOf } = await import('./json-position.js');
  const lines = errors.map((e) => `${path}:${positionOf(text, e.instancePath)}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return new UsageError(`${lines.join('\n')}\n${closing}`);
}

// `--vars FILE`: a flat YAML map of policy var names to values, one file per environment (staging.yaml,
// production.yaml), so one policy serves them all. Values read as in a policy's own `vars:`; a problem is said
// at its file:line:col. Where each var came from is kept for the messages about it.
import { readFileSync } from 'node:fs';
import { yamlLib } from '../lib/yaml-lib.js';
import type { Scalar } from '../policy/model.js';
import { UsageError } from './errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface VarsFromFile {
  values: Record<string, Scalar>;
  /** Each var's place: FILE:LINE:COL of its key. */
  origin: Record<string, string>;
}

export function readVarsFile(file: string): VarsFromFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--vars ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (err as Error).message}`);
  }
  const { LineCounter, parseDocument, isMap, isScalar } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): string => {
    const p = lines.linePos(offset ?? 0);
    return `${file}:${p.line}:${p.col}`;
  };
  const [first] = doc.errors;
  if (first) throw new UsageError(`${at(first.pos[0])}: ${first.message.split('\n')[0]}`);
  const values: Record<string, Scalar> = {};
  const origin: Record<string, string> = {};
  if (doc.contents === null) return { values, origin };
  if (!isMap(doc.contents)) throw new UsageError(`${at(doc.contents.range?.[0])}: --vars takes a map of var names to values (NAME: VALUE, one a line)`);
  for (const pair of doc.contents.items) {
    const key = pair.key;
    const where = at(isScalar(key) ? key.range?.[0] : undefined);
    const name = isScalar(key) ? key.value : undefined;
    if (typeof name !== 'string' || !NAME.test(name))
      throw new UsageError(
        `${where}: a var name is letters, digits and _, not starting with a digit; got ${JSON.stringify(isScalar(key) ? key.value : String(key))}`,
      );
    const v = pair.value;
    const value = isScalar(v) ? v.value : undefined;
    if (!(typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) {
      const place = v && typeof v === 'object' && 'range' in v && Array.isArray(v.range) ? at(v.range[0] as number) : where;
      throw new UsageError(`${place}: ${name} must be a string, a number or true/false, as in a policy's vars`);
    }
    values[name] = value;
    origin[name] = where;
  }
  return { values, origin };
}

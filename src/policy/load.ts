// Load: YAML text to a plain value, keeping where each node was written so that any later finding (an ajv
// instancePath, a check, an undefined variable) can be pointed back at its line and column.
//
// Two readers. The precise one keeps `yaml`'s parsed Document and words every YAML problem; it is what
// loadPolicyText uses unless told otherwise. The fast one (load-fast.ts) gives the same value and the start of
// every node for plain documents, and nothing else: the resolver reads with it first and starts over with the
// precise reader as soon as any file has any problem, so every message still comes from the precise one.
import { readFileSync } from 'node:fs';
import type { Document, LineCounter, Node as YamlNode, Pair } from 'yaml';
import type { PolicyIssue } from './model.js';
import { fastLoad, placeOf } from './load-fast.js';
import type { Place } from './load-fast.js';
import { yamlLib } from './yaml-lib.js';

/** A path into the policy value: map keys and list indices, as in an ajv instancePath. */
export type DataPath = readonly (string | number)[];

export interface LoadedPolicy {
  /** The file as it appears in messages (relative to cwd, or builtin:NAME). */
  file: string;
  /** Precise reader: the Document and its line index. */
  doc?: Document.Parsed;
  lineCounter?: LineCounter;
  /** Fast reader: where each node starts (load-fast.ts), and the text's line starts. */
  places?: Place;
  lineStarts?: number[];
  /** The plain value; undefined when the YAML could not be read as data (see issues). */
  value: unknown;
  /** Problems found while reading: YAML syntax, duplicate keys, unsupported YAML features. */
  issues: PolicyIssue[];
}

// Only the JSON-compatible core tags: anything else (!!binary, !!set, custom tags) yields values that are not
// plain data and that the language has no use for.
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

export interface LoadOptions {
  /** Try the fast reader first; undefined back from it means the precise reader runs. */
  fast?: boolean;
}

export function loadPolicyText(text: string, file: string, opts: LoadOptions = {}): LoadedPolicy {
  if (opts.fast) {
    const f = fastLoad(text);
    if (f) return { file, value: f.value, issues: [], places: f.places, lineStarts: lineStartsOf(text) };
  }
  const { isCollection, LineCounter, parseDocument, visit } = yamlLib();
  const lineCounter = new LineCounter();
  // logLevel 'silent' would also drop some errors (MULTIPLE_DOCS) from doc.errors; 'error' only keeps the console quiet.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  const loaded: LoadedPolicy = { file, doc, lineCounter, value: undefined, issues: [] };
  const at = (offset: number, message: string): void => {
    const { line, column } = linePos(loaded, offset);
    loaded.issues.push({ file, line, column, message });
  };

  for (const err of [...doc.errors, ...doc.warnings]) {
    const offset = err.pos[0];
    if (err.code === 'DUPLICATE_KEY') at(offset, duplicateKeyMessage(doc, text, loaded, offset));
    else at(offset, `invalid YAML: ${oneLine(err.message)}`);
  }
  if (loaded.issues.length > 0) return loaded;

  visit(doc, {
    Alias(_key, node, path) {
      // An alias inside the node it names makes a cyclic value, which no policy needs and every walker would chase.
      const target = node.resolve(doc);
      if (target && path.includes(target)) at(node.range?.[0] ?? 0, `alias *${node.source} refers to a node that contains it`);
    },
    Node(_key, node) {
      const tag = (node as { tag?: string }).tag;
      if (tag !== undefined && !CORE_TAGS.has(tag)) {
        at(node.range?.[0] ?? 0, `unsupported YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')}; policies hold plain strings, numbers, booleans, lists and maps`);
      }
    },
    Pair(_key, pair) {
      // JS objects only have string keys: a list or map used as a key would be silently stringified.
      if (isCollection(pair.key)) at(pair.key.range?.[0] ?? 0, 'a list or map cannot be a key; keys are plain strings');
    },
  });
  if (loaded.issues.length > 0) return loaded;

  try {
    loaded.value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolvable or exploding aliases only surface here; point at the first alias, the likely culprit.
    let offset = 0;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    at(offset, `invalid YAML: ${oneLine((e as Error).message)}`);
  }
  return loaded;
}

/** Reads and loads a policy file; an unreadable file becomes an issue at 1:1, never an exception. */
export function loadPolicyFile(path: string, display: string = path): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { file: display, value: undefined, issues: [{ file: display, line: 1, column: 1, message: `cannot read: ${readErrorText(e)}` }], lineStarts: [0] };
  }
  return loadPolicyText(text, display);
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** "ENOENT: no such file or directory" without the path that the message prefix already names. */
export function readErrorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return oneLine(msg.replace(/, \w+ '[^']*'$/, ''));
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function linePos(loaded: Pick<LoadedPolicy, 'lineCounter' | 'lineStarts'>, offset: number): { line: number; column: number } {
  const at = Math.max(0, offset);
  if (loaded.lineCounter) {
    const { line, col } = loaded.lineCounter.linePos(at);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  }
  // Same numbering as yaml's LineCounter: the last line start at or before the offset, both 1-based.
  const starts = loaded.lineStarts ?? [0];
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: at - starts[lo]! + 1 };
}

/**
 * The node written at `path`, or at its nearest ancestor when the path leaves what the Document holds
 * (through an alias, say): a position that is roughly right beats none.
 */
export function nodeAt(doc: Document.Parsed, path: DataPath): { node: YamlNode | null; pair?: Pair; exact: boolean } {
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!found) return { node: node as YamlNode, exact: false };
      pair = found;
      // A key with no value (`expect:`) has a null value node without a useful range: use the pair's key.
      node = isNodeWithRange(found.value) ? found.value : found.key;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(seg)];
      if (!isNodeWithRange(item)) return { node: node as YamlNode, exact: false };
      pair = undefined;
      node = item;
    } else {
      return { node: isNodeWithRange(node) ? node : null, exact: false };
    }
  }
  return { node: isNodeWithRange(node) ? node : null, ...(pair ? { pair } : {}), exact: true };
}

function isNodeWithRange(n: unknown): n is YamlNode {
  const { isAlias, isCollection, isScalar } = yamlLib();
  return (isScalar(n) || isCollection(n) || isAlias(n)) && Array.isArray((n as YamlNode).range);
}

export interface PosOptions {
  /** Point at this key of the map at `path` instead of at the map (unknown keys, duplicate selectors). */
  key?: string;
}

export function posAt(loaded: LoadedPolicy, path: DataPath, opts: PosOptions = {}): { line: number; column: number } {
  if (!loaded.doc) return linePos(loaded, loaded.places ? placeOf(loaded.places, path) : 0);
  const { isMap, isScalar } = yamlLib();
  const { node, exact } = nodeAt(loaded.doc, path);
  if (opts.key !== undefined && exact && isMap(node)) {
    const p = node.items.find((it) => isScalar(it.key) && String(it.key.value) === opts.key);
    if (p && isNodeWithRange(p.key) && p.key.range) return linePos(loaded, p.key.range[0]);
  }
  return linePos(loaded, node?.range?.[0] ?? 0);
}

export function issueAt(loaded: LoadedPolicy, path: DataPath, message: string, opts: PosOptions = {}): PolicyIssue {
  return { file: loaded.file, ...posAt(loaded, path, opts), message };
}

function duplicateKeyMessage(doc: Document.Parsed, text: string, loaded: LoadedPolicy, offset: number): string {
  const { isPair, isScalar, visit } = yamlLib();
  let message = 'duplicate key';
  visit(doc, {
    Map(_key, map) {
      const idx = map.items.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (idx < 0) return undefined;
      const dup = map.items[idx];
      if (!dup || !isPair(dup) || !isScalar(dup.key)) return undefined;
      const name = String(dup.key.value);
      const first = map.items.slice(0, idx).find((p) => isScalar(p.key) && String(p.key.value) === name);
      message = `duplicate key "${name}"`;
      if (first && isScalar(first.key) && first.key.range) {
        message += `; first defined on line ${linePos(loaded, first.key.range[0]).line}`;
      }
      return visit.BREAK;
    },
  });
  if (message === 'duplicate key') {
    const word = /^[^\s:]+/.exec(text.slice(offset))?.[0];
    if (word) message += ` "${word}"`;
  }
  return message;
}

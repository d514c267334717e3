// Load: YAML text to a plain value, keeping where each node was written so that any later finding (an ajv
// instancePath, a check, an undefined variable) can be pointed back at its line and column.
//
// One reader, `yaml`: it keeps the parsed Document (so every node's position) and words every YAML problem.
// Text that is no YAML at all (binary data, nesting too deep to walk) is refused before it composes a document.
import type { CST, Document, LineCounter, Node as YamlNode } from 'yaml';
import type { DataPath } from './data-path.js';
import type { PolicyIssue } from './model.js';
import { yamlLib } from '../lib/yaml-lib.js';

interface Common {
  /** The file as it appears in messages (relative to cwd, or builtin:NAME). */
  file: string;
  /** Problems found while reading: YAML syntax, duplicate keys, unsupported YAML features. */
  issues: PolicyIssue[];
}

/** Read by `yaml`: the Document and its line index. `value` is undefined when `issues` says why. */
interface ParsedLoad extends Common {
  reader: 'yaml';
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

/** Not read at all: `issues` says why (binary data, nesting too deep). */
interface NoLoad extends Common {
  reader: 'none';
  value: undefined;
}

export type LoadedPolicy = ParsedLoad | NoLoad;

// Only the JSON-compatible core tags: anything else (!!binary, !!set, custom tags) yields values that are not
// plain data and that the language has no use for.
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * How deeply lists and maps may nest. A policy needs a handful of levels; every walker after loading
 * (composing, validating, interpolating) recurses, so deeper texts are refused.
 */
const MAX_NESTING = 64;

export function loadPolicyText(text: string, file: string): LoadedPolicy {
  const notText = notTextIssue(text, file);
  if (notText) return { reader: 'none', file, value: undefined, issues: [notText] };
  return parse(text, file);
}

function parse(text: string, file: string): ParsedLoad | NoLoad {
  const { Composer, LineCounter, Parser, isCollection, visit } = yamlLib();
  const lineCounter = new LineCounter();
  // What parseDocument does, in two steps so that the nesting is measured before the recursive composer
  // (and everything after it) walks the tokens: the parser itself keeps its own stack.
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const deep = tooDeepAt(tokens);
  if (deep !== undefined) {
    const message = `nesting is too deep: more than ${MAX_NESTING} levels of lists and maps (a policy needs a handful)`;
    return { reader: 'none', file, value: undefined, issues: [{ file, ...linePos(lineCounter, deep), message }] };
  }
  // logLevel 'silent' would also drop some errors from doc.errors; 'error' only keeps the console quiet.
  const composer = new Composer({ uniqueKeys: true, logLevel: 'error' });
  let doc: Document.Parsed | undefined;
  let secondAt: number | undefined;
  for (const d of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = d;
    else {
      secondAt = d.range[0];
      break;
    }
  }
  // compose(…, forceDoc) always yields a document, even for an empty text.
  const loaded: ParsedLoad = { reader: 'yaml', file, doc: doc!, lineCounter, value: undefined, issues: [] };
  const at = (offset: number, message: string): void => {
    loaded.issues.push({ file, ...linePos(lineCounter, offset), message });
  };

  for (const err of [...loaded.doc.errors, ...loaded.doc.warnings]) {
    const offset = err.pos[0];
    if (err.code === 'DUPLICATE_KEY') at(offset, duplicateKeyMessage(loaded, text, offset));
    else at(offset, `invalid YAML: ${yamlMessage(err.message)}`);
  }
  if (secondAt !== undefined) at(secondAt, 'a second YAML document starts here; a policy file holds one');
  if (loaded.issues.length > 0) return loaded;

  visit(loaded.doc, {
    Alias(_key, node, path) {
      // An alias inside the node it names makes a cyclic value, which no policy needs and every walker would chase.
      const target = node.resolve(loaded.doc);
      if (target && path.includes(target)) at(node.range?.[0] ?? 0, `alias *${node.source} refers to a node that contains it`);
    },
    Node(_key, node) {
      const tag = (node as { tag?: string }).tag;
      if (tag !== undefined && !CORE_TAGS.has(tag)) {
        at(
          node.range?.[0] ?? 0,
          `unsupported YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')}; policies hold plain strings, numbers, booleans, lists and maps`,
        );
      }
    },
    Pair(_key, pair) {
      // JS objects only have string keys: a list or map used as a key would be silently stringified.
      if (isCollection(pair.key)) at(pair.key.range?.[0] ?? 0, 'a list or map cannot be a key; keys are plain strings');
    },
  });
  if (loaded.issues.length > 0) return loaded;

  try {
    loaded.value = loaded.doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolvable or exploding aliases only surface here; point at the first alias, the likely culprit.
    let offset = 0;
    visit(loaded.doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    at(offset, `invalid YAML: ${yamlMessage((e as Error).message)}`);
  }
  return loaded;
}

/**
 * Where the nesting of lists and maps first goes past MAX_NESTING, or undefined. Walked with a stack of its
 * own: recursion is what a deeply nested text would break.
 */
function tooDeepAt(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth + 1 > MAX_NESTING) return t.offset;
      for (const item of t.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * A text that is not YAML at all: binary data (a NUL byte) or bytes that are not UTF-8 (which decoding
 * turned into U+FFFD). Said once, at the first such character, without quoting the text: it is some other
 * file, and its contents are nobody's business in a policy error.
 */
function notTextIssue(text: string, file: string): PolicyIssue | undefined {
  const i = text.search(/[\0\ufffd]/);
  if (i < 0) return undefined;
  const message = text.includes('\0')
    ? 'not a policy: binary data, not YAML text'
    : 'not UTF-8 text here (bytes in another encoding, or binary data); save the policy as UTF-8';
  return { file, ...textPos(lineStartsOf(text), i), message };
}

// `yaml` appends the source of an unexpected token to some messages (`…: "text"`) and the rest of the line to
// others; from a file that is not YAML at all (a script, say) that would print its contents.
function yamlMessage(message: string): string {
  return oneLine(message)
    .replace(/: ".*"$/, '')
    .replace(/^(Block scalar header includes extra characters):.*$/, '$1');
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** "ENOENT: no such file or directory" without the path that the message prefix already names. */
export function readErrorText(e: unknown): string {
  if ((e as NodeJS.ErrnoException | null)?.code === 'EISDIR') return 'it is a directory, not a policy file';
  const msg = e instanceof Error ? e.message : String(e);
  return oneLine(msg.replace(/, \w+ '[^']*'$/, ''));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function linePos(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(Math.max(0, offset));
  return { line: Math.max(1, line), column: Math.max(1, col) };
}

/** Same numbering as yaml's LineCounter: the last line start at or before the offset, both 1-based. */
function textPos(starts: readonly number[], offset: number): { line: number; column: number } {
  const at = Math.max(0, offset);
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
function nodeAt(doc: Document.Parsed, path: DataPath): { node: YamlNode | null; exact: boolean } {
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!found) return { node: node as YamlNode, exact: false };
      // A key with no value (`expect:`) has a null value node without a useful range: use the pair's key.
      node = isNodeWithRange(found.value) ? found.value : found.key;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(seg)];
      if (!isNodeWithRange(item)) return { node: node as YamlNode, exact: false };
      node = item;
    } else {
      return { node: isNodeWithRange(node) ? node : null, exact: false };
    }
  }
  return { node: isNodeWithRange(node) ? node : null, exact: true };
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
  switch (loaded.reader) {
    case 'none':
      return { line: 1, column: 1 };
    case 'yaml': {
      const { isMap, isScalar } = yamlLib();
      const { node, exact } = nodeAt(loaded.doc, path);
      if (opts.key !== undefined && exact && isMap(node)) {
        const p = node.items.find((it) => isScalar(it.key) && String(it.key.value) === opts.key);
        if (p && isNodeWithRange(p.key) && p.key.range) return linePos(loaded.lineCounter, p.key.range[0]);
      }
      return linePos(loaded.lineCounter, node?.range?.[0] ?? 0);
    }
  }
}

export function issueAt(loaded: LoadedPolicy, path: DataPath, message: string, opts: PosOptions = {}): PolicyIssue {
  return { file: loaded.file, ...posAt(loaded, path, opts), message };
}

function duplicateKeyMessage(loaded: ParsedLoad, text: string, offset: number): string {
  const { isPair, isScalar, visit } = yamlLib();
  let message = 'duplicate key';
  visit(loaded.doc, {
    Map(_key, map) {
      const idx = map.items.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (idx < 0) return undefined;
      const dup = map.items[idx];
      if (!dup || !isPair(dup) || !isScalar(dup.key)) return undefined;
      const name = String(dup.key.value);
      const first = map.items.slice(0, idx).find((p) => isScalar(p.key) && String(p.key.value) === name);
      message = `duplicate key "${name}"`;
      if (first && isScalar(first.key) && first.key.range) {
        message += `; first defined on line ${linePos(loaded.lineCounter, first.key.range[0]).line}`;
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

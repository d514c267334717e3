// YAML as Ansible reads it, with where each node was written. Ansible tries JSON first and then PyYAML, which
// speaks YAML 1.1: `yes`/`no`/`on`/`off` are booleans, `0755` is octal, `1:20` is sexagesimal, `1e3` (no dot)
// stays a string, and `!unsafe` marks a plain string. The scalar tags below are PyYAML's resolvers, so a var has
// the type Ansible gives it; timestamps stay the strings they are written as.
import type { Document, LineCounter, Node, ScalarTag, Tags } from 'yaml';
import { yamlLib } from '../lib/yaml-lib.js';
import { InventoryError, type InventoryPosition } from './model.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

/** 1:20:30 is 1·3600 + 20·60 + 30, as YAML 1.1 reads it. */
function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function pyInt(text: string): number {
  const t = text.replace(/_/g, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const d = t.replace(/^[-+]/, '');
  if (d.startsWith('0b')) return sign * Number.parseInt(d.slice(2), 2);
  if (d.startsWith('0x')) return sign * Number.parseInt(d.slice(2), 16);
  if (d.includes(':')) return sign * sexagesimal(d);
  if (d.length > 1 && d.startsWith('0')) return sign * Number.parseInt(d, 8);
  return sign * Number(d);
}

function pyFloat(text: string): number {
  const t = text.replace(/_/g, '').toLowerCase();
  const sign = t.startsWith('-') ? -1 : 1;
  const d = t.replace(/^[-+]/, '');
  if (d === '.inf') return sign * Number.POSITIVE_INFINITY;
  if (d === '.nan') return Number.NaN;
  if (d.includes(':')) return sign * sexagesimal(d);
  return sign * Number(d);
}

const PY_TAGS: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:bool', default: true, test: BOOL, resolve: (s) => /^(?:y|t|on)/i.test(s) },
  { tag: 'tag:yaml.org,2002:int', default: true, test: INT, resolve: pyInt },
  { tag: 'tag:yaml.org,2002:float', default: true, test: FLOAT, resolve: pyFloat },
  { tag: 'tag:yaml.org,2002:null', default: true, test: NULL, resolve: () => null },
  // Ansible's marker for "never template this": to plumbline it is the string it holds.
  { tag: '!unsafe', resolve: (s) => s },
  // Resolved only so that the walk below can say what it is, where it is.
  { tag: '!vault', resolve: (s) => s },
];
const REPLACED = new Set(PY_TAGS.map((t) => t.tag).concat('tag:yaml.org,2002:timestamp'));

function ansibleTags(tags: Tags): Tags {
  // Tags named by a string are the built-in scalars, all of which PY_TAGS replaces.
  return [...PY_TAGS, ...tags.filter((t) => typeof t !== 'string' && !REPLACED.has(t.tag))];
}

export function parseYaml(text: string, file: string): YamlFile {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  let json = true;
  try {
    JSON.parse(text);
  } catch {
    json = false;
  }
  const doc = json
    ? parseDocument(text, { schema: 'json', uniqueKeys: true, lineCounter, logLevel: 'error' })
    : parseDocument(text, { version: '1.1', customTags: ansibleTags, uniqueKeys: true, lineCounter, logLevel: 'error' });
  const y: YamlFile = { file, doc, lineCounter };
  const problem = [...doc.errors, ...doc.warnings][0];
  if (problem?.code === 'DUPLICATE_KEY') duplicateKey(y);
  if (problem) throw new InventoryError(posAt(y, problem.pos[0]), `invalid YAML: ${oneLine(problem.message)}`);
  const { visit } = yamlLib();
  visit(doc, {
    Node(_key, node) {
      if ((node as { tag?: string }).tag === '!vault') {
        throw new InventoryError(posOf(y, node), 'a value encrypted with ansible-vault: plumbline does not decrypt vault values');
      }
    },
  });
  return y;
}

/** The plain value of a node (or of the whole document), as Ansible's loader gives it. */
export function valueOf(y: YamlFile, node: unknown): unknown {
  const { isNode } = yamlLib();
  if (!isNode(node)) return node ?? null;
  try {
    return node.toJS(y.doc, { maxAliasCount: 100 });
  } catch (e) {
    throw new InventoryError(posOf(y, node), `invalid YAML: ${oneLine((e as Error).message)}`);
  }
}

function posAt(y: YamlFile, offset: number): InventoryPosition {
  const { line, col } = y.lineCounter.linePos(Math.max(0, offset));
  return { file: y.file, line: Math.max(1, line), col: Math.max(1, col) };
}

export function posOf(y: YamlFile, node: unknown): InventoryPosition {
  const range = (node as Node | null | undefined)?.range;
  return posAt(y, range?.[0] ?? 0);
}

/** Throws at the second of two equal keys of a map, which `yaml` reports at the map. */
function duplicateKey(y: YamlFile): void {
  const { isScalar, visit } = yamlLib();
  visit(y.doc, {
    Map(_key, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const first = seen.get(name);
        if (first !== undefined) {
          throw new InventoryError(posOf(y, pair.key), `duplicate key "${name}" (first on line ${first})`);
        }
        seen.set(name, posOf(y, pair.key).line ?? 1);
      }
    },
  });
}

// `yaml` adds the source line and a caret to some messages; one line is what a `file:line:col:` message holds.
function oneLine(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/\s+/g, ' ')
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

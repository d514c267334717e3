// The YAML inventory, walked as Ansible's yaml plugin walks it: a map of groups, each a map of `hosts` (host
// pattern → its vars), `children` (group → the same shape, recursively) and `vars`; a section written as a
// single string names one entry. Where Ansible only warns and skips (a group or a key that is not a map, an
// unknown key in a group), this refuses with the place: a host left out of a fleet audit by a typo would
// otherwise be silently unaudited.
import type { Node, Pair } from 'yaml';
import { yamlLib } from '../lib/yaml-lib.js';
import { type InventoryBuilder, setVar } from './builder.js';
import { InventoryError } from './model.js';
import { expandHostPattern } from './ranges.js';
import { posOf, valueOf, type YamlFile } from './yaml-doc.js';

const SECTIONS = ['vars', 'children', 'hosts'];

export function parseYamlInventory(y: YamlFile, inv: InventoryBuilder): void {
  const { isMap } = yamlLib();
  const root = y.doc.contents;
  if (isEmpty(root)) throw new InventoryError({ file: y.file }, 'the YAML file is empty: no inventory in it');
  if (!isMap(root)) {
    throw new InventoryError(posOf(y, root), 'a YAML inventory is a map of groups (all: {hosts: ..., children: ..., vars: ...})');
  }
  for (const pair of root.items) group(y, inv, nameOf(y, pair, 'a group name'), deref(y, pair.value));
}

/** The node an alias (*name) stands for; any other node itself. */
function deref(y: YamlFile, node: unknown): unknown {
  const { isAlias } = yamlLib();
  return isAlias(node) ? node.resolve(y.doc) : node;
}

function isEmpty(node: unknown): boolean {
  const { isScalar } = yamlLib();
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The key of a pair as a string, or an error when it is none (Ansible refuses non-string names). */
function nameOf(y: YamlFile, pair: Pair, what: string): string {
  const { isScalar } = yamlLib();
  if (isScalar(pair.key) && typeof pair.key.value === 'string') return pair.key.value;
  const written = isScalar(pair.key) ? String(pair.key.value) : 'this';
  throw new InventoryError(posOf(y, pair.key), `${what} must be a string: quote ${written}`);
}

function group(y: YamlFile, inv: InventoryBuilder, name: string, body: unknown): void {
  const { isMap, isScalar } = yamlLib();
  inv.addGroup(name);
  if (isEmpty(body)) return;
  if (!isMap(body)) {
    throw new InventoryError(posOf(y, body), `group "${name}" must be a map of hosts, children and vars, not ${kindOf(body)}`);
  }
  for (const entry of body.items) {
    const key = nameOf(y, entry, 'a key of a group');
    if (!SECTIONS.includes(key)) {
      throw new InventoryError(posOf(y, entry.key), `unknown key "${key}" in group "${name}": a group holds hosts, children and vars`);
    }
    const value = deref(y, entry.value);
    if (isEmpty(value)) continue;
    // A section written as one string names one entry, with nothing under it.
    const entries: { name: string; at: unknown; value: unknown }[] = [];
    if (isScalar(value) && typeof value.value === 'string') entries.push({ name: value.value, at: value, value: null });
    else if (isMap(value)) {
      for (const p of value.items) {
        const what = key === 'hosts' ? 'a host pattern' : key === 'children' ? 'a group name' : 'a var name';
        entries.push({ name: nameOf(y, p, what), at: p.key, value: deref(y, p.value) ?? null });
      }
    } else {
      const shape = key === 'hosts' ? '(host: its vars)' : key === 'children' ? '(group: its hosts, children and vars)' : '(name: value)';
      throw new InventoryError(posOf(y, value), `"${key}" of group "${name}" must be a map ${shape}, not ${kindOf(value)}`);
    }
    for (const e of entries) {
      if (key === 'vars') inv.setGroupVar(name, e.name, valueOf(y, e.value), posOf(y, e.at));
      else if (key === 'children') {
        group(y, inv, e.name, e.value);
        inv.addChild(name, e.name, posOf(y, e.at));
      } else hosts(y, inv, name, e);
    }
  }
}

function hosts(y: YamlFile, inv: InventoryBuilder, groupName: string, e: { name: string; at: unknown; value: unknown }): void {
  const { isMap } = yamlLib();
  const pattern = expandHostPattern(e.name);
  if ('error' in pattern) throw new InventoryError(posOf(y, e.at), pattern.error);
  const vars = isEmpty(e.value) ? {} : valueOf(y, e.value);
  if (!isMap(e.value) && !isEmpty(e.value) && vars !== '' && vars !== false && vars !== 0) {
    throw new InventoryError(
      posOf(y, e.value),
      `host "${e.name}" of group "${groupName}" must have a map of vars (key: value) or nothing, not ${kindOf(e.value)}`,
    );
  }
  for (const n of pattern.names) {
    const host = inv.addHost(n, groupName, pattern.port);
    if (isMap(e.value)) for (const [k, v] of Object.entries(vars as Record<string, unknown>)) setVar(host.vars, k, v);
  }
}

function kindOf(node: unknown): string {
  const { isMap, isScalar, isSeq } = yamlLib();
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  if (isScalar(node)) return typeof node.value === 'string' ? `the string "${node.value}"` : `the value ${String(node.value)}`;
  return `a ${(node as Node).constructor.name}`;
}

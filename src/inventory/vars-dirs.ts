// group_vars/ and host_vars/ beside an inventory file, found as Ansible's host_group_vars plugin finds them:
// for a group or host NAME the first of NAME, NAME.yml, NAME.yaml and NAME.json that exists; when that is a
// directory, every file in it (and in its subdirectories without an extension) with no extension or one of
// those, in sorted order, skipping hidden files and backups (`~`). Each file holds a map of vars; a later file
// replaces the keys of an earlier one.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isObject } from '../lib/is-object.js';
import { InventoryError } from './model.js';
import { readText } from './files.js';
import { parseYaml, posOf, valueOf } from './yaml-doc.js';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

export interface VarsFiles {
  group(name: string): Record<string, unknown>;
  host(name: string): Record<string, unknown>;
}

/** The vars of every named group and host from the group_vars/ and host_vars/ directories in `dir`. */
export async function readVarsDirs(dir: string, groups: string[], hosts: string[]): Promise<VarsFiles> {
  const [g, h] = await Promise.all([readKind(join(dir, 'group_vars'), groups), readKind(join(dir, 'host_vars'), hosts)]);
  return { group: (name) => g.get(name) ?? {}, host: (name) => h.get(name) ?? {} };
}

async function readKind(dir: string, names: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  let base: string;
  try {
    base = await realpath(dir);
    if (!(await stat(base)).isDirectory()) return out;
  } catch {
    return out;
  }
  await Promise.all(
    names.map(async (name) => {
      // A name with a path separator is no file name of this directory (Ansible skips names that start with one).
      if (name.includes('/') || name === '.' || name === '..') return;
      const merged = new Map<string, unknown>();
      for (const file of await varsFilesFor(base, name)) {
        for (const [k, v] of Object.entries(await readVarsFile(file))) merged.set(k, v);
      }
      if (merged.size > 0) out.set(name, Object.fromEntries(merged));
    }),
  );
  return out;
}

async function kindOf(path: string): Promise<'dir' | 'file' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** Ansible's find_vars_files: the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists. */
async function varsFilesFor(base: string, name: string): Promise<string[]> {
  for (const ext of ['', ...EXTENSIONS]) {
    const path = join(base, name + ext);
    const kind = await kindOf(path);
    if (kind === 'dir') return filesUnder(path);
    if (kind === 'file') return [path];
  }
  return [];
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  // Python's sorted(): by code point, which for these names is JavaScript's default order.
  for (const entry of (await readdir(dir)).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const path = join(dir, entry);
    const ext = /(?<=[^.])\.[^.]*$/.exec(entry)?.[0] ?? '';
    const kind = await kindOf(path);
    if (kind === 'dir' && !ext) found.push(...(await filesUnder(path)));
    else if (kind === 'file' && (!ext || EXTENSIONS.includes(ext))) found.push(path);
  }
  return found;
}

async function readVarsFile(path: string): Promise<Record<string, unknown>> {
  const file = relative(process.cwd(), path) || path;
  const y = parseYaml(await readText(path, file), file);
  const value = valueOf(y, y.doc.contents);
  // An empty file holds no vars, as for Ansible.
  if (value === null || value === undefined || value === '') return {};
  if (!isObject(value)) throw new InventoryError(posOf(y, y.doc.contents), 'a vars file holds a map of vars (name: value)');
  return value;
}

// loadInventory: an Ansible inventory path to an Inventory. Files are told apart as Ansible tells them: an
// executable file is a script; a .yml/.yaml/.json file (or one without extension that reads as a YAML map) is a
// YAML inventory, or a plugin configuration when it has `plugin:`; a .toml file is TOML; anything else is INI.
// INI and YAML inventories are read here, with the group_vars/ and host_vars/ beside them; directories,
// scripts, plugin configurations and TOML go through ansible-inventory.
import { stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { errText } from '../lib/errno.js';
import { yamlLib } from '../lib/yaml-lib.js';
import { viaAnsibleInventory } from './ansible-inventory.js';
import { InventoryBuilder } from './builder.js';
import { readText } from './files.js';
import { parseIni } from './ini.js';
import { type Inventory, InventoryError } from './model.js';
import { mergedVars } from './precedence.js';
import { readVarsDirs } from './vars-dirs.js';
import { parseYamlInventory } from './yaml.js';
import { parseYaml, valueOf, type YamlFile } from './yaml-doc.js';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

export async function loadInventory(path: string): Promise<Inventory> {
  let kind: 'dir' | 'file' | 'script';
  try {
    const s = await stat(path);
    if (s.isDirectory()) kind = 'dir';
    else if (!s.isFile()) throw new InventoryError({ file: path }, 'not a file or directory: no inventory');
    else kind = (s.mode & 0o111) !== 0 ? 'script' : 'file';
  } catch (e) {
    if (e instanceof InventoryError) throw e;
    throw new InventoryError({ file: path }, `cannot read the inventory: ${errText(e)}`);
  }
  if (kind === 'dir') return viaAnsibleInventory(path, 'directory');
  if (kind === 'script') return viaAnsibleInventory(path, 'script');

  const ext = extname(path);
  if (ext === '.toml') return viaAnsibleInventory(path, 'toml');
  const text = await readText(path, path);
  const inv = new InventoryBuilder();
  const yaml = YAML_EXTENSIONS.includes(ext) || ext === '' ? yamlMap(text, path, ext === '') : undefined;
  if (yaml === 'plugin') return viaAnsibleInventory(path, 'plugin');
  if (yaml) parseYamlInventory(yaml, inv);
  else parseIni(text, path, inv);
  inv.finish();

  const groups = [...inv.groups.keys()];
  const hostNames = [...inv.hosts.keys()];
  const files = await readVarsDirs(dirname(path), groups, hostNames);
  return {
    source: path,
    hosts: hostNames.map((name) => ({
      name,
      groups: inv
        .groupsOf(name)
        .map((g) => g.name)
        .filter((g) => g !== 'all')
        .sort(),
      vars: mergedVars(inv, name, files),
    })),
    groups: Object.fromEntries([...inv.groups].map(([name, g]) => [name, { children: [...g.children], hosts: [...g.hosts] }])),
  };
}

/**
 * The file as a YAML inventory, 'plugin' for a plugin configuration, or undefined for INI. A file without
 * extension is YAML only when it reads as a YAML map (Ansible tries YAML, then INI).
 */
function yamlMap(text: string, path: string, mayBeIni: boolean): YamlFile | 'plugin' | undefined {
  let y: YamlFile;
  try {
    y = parseYaml(text, path);
  } catch (e) {
    if (mayBeIni) return undefined;
    throw e;
  }
  const { isMap, isScalar } = yamlLib();
  const root = y.doc.contents;
  if (mayBeIni && !isMap(root)) return undefined;
  const plugin = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'plugin') : undefined;
  return plugin && valueOf(y, plugin.value) ? 'plugin' : y;
}

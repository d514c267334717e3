// What plumbline does not read itself (inventory directories, scripts, plugin configurations, TOML) Ansible
// reads: `ansible-inventory --list -i PATH`, run with an argument array (no shell), whose JSON gives the groups
// and, in `_meta.hostvars`, every host's merged vars. Without ansible-inventory such an inventory is an error
// that says so.
import { execFile } from 'node:child_process';
import { errCode } from '../lib/errno.js';
import { isObject } from '../lib/is-object.js';
import { type Inventory, InventoryError, type InventoryHost } from './model.js';

/** A script or a cloud plugin may take a while; one that never ends must not hold the audit forever. */
const TIMEOUT_MS = 120_000;

export type AnsibleOnlyKind = 'directory' | 'script' | 'plugin' | 'toml';

const WHAT: Record<AnsibleOnlyKind, string> = {
  directory: 'an inventory directory',
  script: 'an inventory script (an executable file)',
  plugin: 'an inventory plugin configuration (a YAML file with plugin:)',
  toml: 'a TOML inventory',
};

export async function viaAnsibleInventory(path: string, kind: AnsibleOnlyKind): Promise<Inventory> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      'ansible-inventory',
      ['--list', '-i', path],
      {
        // A source Ansible cannot parse is otherwise a warning and an empty inventory.
        env: { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True', ...process.env, ANSIBLE_NOCOLOR: '1' },
        maxBuffer: 512 * 1024 * 1024,
        timeout: TIMEOUT_MS,
      },
      (err, out, stderr) => {
        if (!err) return resolve(out);
        if (errCode(err) === 'ENOENT') {
          return reject(
            new InventoryError(
              { file: path },
              `${WHAT[kind]} is read through ansible-inventory, which is not installed (install Ansible, e.g. apt-get install ansible-core)`,
            ),
          );
        }
        const said = lastLines(stderr) || (err.killed ? `no answer within ${TIMEOUT_MS / 1000} s` : err.message);
        reject(new InventoryError({ file: path }, `ansible-inventory could not read ${WHAT[kind]}: ${said}`));
      },
    );
  });
  let listed: unknown;
  try {
    listed = JSON.parse(stdout, unwrapUnsafe);
  } catch {
    throw new InventoryError({ file: path }, 'ansible-inventory --list printed no JSON');
  }
  const inventory = fromList(path, listed);
  if (!inventory) throw new InventoryError({ file: path }, 'ansible-inventory --list printed JSON that is no inventory');
  return inventory;
}

/**
 * ansible-inventory writes a value marked !unsafe (never to be templated) as {"__ansible_unsafe": "..."}; to
 * plumbline, which templates nothing, it is the string itself.
 */
function unwrapUnsafe(_key: string, value: unknown): unknown {
  if (isObject(value) && Object.keys(value).length === 1 && '__ansible_unsafe' in value) return value.__ansible_unsafe;
  return value;
}

/** The last few lines Ansible wrote on stderr, on one line: its error, without its colours and banners. */
function lastLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-3)
    .join(' ');
}

/** The Inventory `ansible-inventory --list` describes: groups as listed, each host's groups from that graph. */
function fromList(source: string, listed: unknown): Inventory | undefined {
  if (!isObject(listed)) return undefined;
  const meta = listed._meta;
  const hostvars = isObject(meta) && isObject(meta.hostvars) ? meta.hostvars : {};
  const groups = new Map<string, { children: string[]; hosts: string[] }>();
  const names = (v: unknown): string[] | undefined => (v === undefined ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
  for (const [name, g] of Object.entries(listed)) {
    if (name === '_meta') continue;
    if (!isObject(g)) return undefined;
    const children = names(g.children);
    const hosts = names(g.hosts);
    if (!children || !hosts) return undefined;
    groups.set(name, { children: [...children], hosts: [...hosts] });
  }
  // --list leaves out groups with neither hosts nor children; their parents still name them.
  for (const name of ['all', 'ungrouped', ...[...groups.values()].flatMap((g) => g.children)]) {
    if (!groups.has(name)) groups.set(name, { children: [], hosts: [] });
  }
  const parents = new Map<string, string[]>();
  for (const [name, g] of groups) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), name]);
  const order = new Set<string>();
  for (const g of groups.values()) for (const h of g.hosts) order.add(h);
  for (const h of Object.keys(hostvars)) order.add(h);
  const hosts: InventoryHost[] = [...order].map((name) => {
    const member = new Set<string>();
    const todo = [...groups].filter(([, g]) => g.hosts.includes(name)).map(([n]) => n);
    while (todo.length > 0) {
      const g = todo.pop()!;
      if (member.has(g)) continue;
      member.add(g);
      todo.push(...(parents.get(g) ?? []));
    }
    member.delete('all');
    const vars = hostvars[name];
    return { name, groups: [...member].sort(), vars: isObject(vars) ? vars : {} };
  });
  return { source, hosts, groups: Object.fromEntries(groups) };
}

// Which value of a var a host gets, in Ansible's order (VariableManager.get_vars with its default
// VARIABLE_PRECEDENCE), each later source replacing a key of an earlier one whole (hash_behaviour "replace"):
//
//   1. the `all` group's vars from the inventory file
//   2. the host's other groups' vars from the inventory file, shallowest first; at equal depth the lower
//      ansible_group_priority first, then by name: so a child beats its parent, and of two groups at one
//      depth the later name alphabetically (or the higher priority) wins
//   3. group_vars/all
//   4. group_vars/ of the host's other groups, in the same order as 2 (so any group_vars/ file beats every
//      group var of the inventory file)
//   5. the host's own vars from the inventory file (its `:port`, then its key=value in order of the lines)
//   6. host_vars/ of the host
//
// Then the vars Ansible keeps for itself are dropped, as `ansible-inventory` drops them from what it prints.
import type { GroupData, InventoryBuilder } from './builder.js';
import type { VarsFiles } from './vars-dirs.js';

/** Names Ansible sets itself and `ansible-inventory` leaves out (its INTERNAL_VARS). */
const INTERNAL_VARS = new Set([
  'ansible_config_file',
  'ansible_diff_mode',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

function withoutInternal(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !INTERNAL_VARS.has(k)));
}

/** Ansible's sort_groups: by depth, then priority, then name. */
function sortGroups(builder: InventoryBuilder, groups: GroupData[]): GroupData[] {
  const memo = new Map<string, number>();
  const key = (g: GroupData): [number, number, string] => [builder.depth(g, memo), g.priority, g.name];
  return [...groups].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || (ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0);
  });
}

export function mergedVars(builder: InventoryBuilder, host: string, files: VarsFiles): Record<string, unknown> {
  const all = builder.groups.get('all')!;
  const others = sortGroups(
    builder,
    builder.groupsOf(host).filter((g) => g.name !== 'all'),
  );
  const layers: Record<string, unknown>[] = [
    all.vars,
    ...others.map((g) => g.vars),
    files.group('all'),
    ...others.map((g) => files.group(g.name)),
    builder.hosts.get(host)!.vars,
    files.host(host),
  ];
  // A Map, not Object.assign: a var may be called __proto__, and assigning that key would set a prototype.
  const merged = new Map<string, unknown>();
  for (const layer of layers) for (const [k, v] of Object.entries(layer)) merged.set(k, v);
  return withoutInternal(Object.fromEntries(merged));
}

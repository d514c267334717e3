// The inventory as a parser fills it, with the rules Ansible's InventoryData keeps while it does: a host is
// created once (its first `:port` sticks, later lines only set vars), a group's vars are set key by key (the
// last assignment wins), `ansible_group_priority` is the group's priority rather than a var, and a child that
// would make a loop is refused. `finish` then adds what Ansible reconciles: top groups under `all`, hosts in no
// group of their own in `ungrouped`.
import { InventoryError, type InventoryPosition } from './model.js';

/** vars[key] = value, also for a key called __proto__ (which an assignment would take as the prototype). */
export function setVar(vars: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(vars, key, { value, writable: true, enumerable: true, configurable: true });
}

export interface GroupData {
  name: string;
  vars: Record<string, unknown>;
  children: string[];
  parents: string[];
  hosts: string[];
  priority: number;
}

export interface HostData {
  name: string;
  vars: Record<string, unknown>;
}

export class InventoryBuilder {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
  }

  addGroup(name: string): GroupData {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, vars: {}, children: [], parents: [], hosts: [], priority: 1 };
      this.groups.set(name, g);
    }
    return g;
  }

  addChild(parent: string, child: string, at: InventoryPosition): void {
    const p = this.addGroup(parent);
    const c = this.addGroup(child);
    if (p === c) throw new InventoryError(at, `group "${child}" cannot be a child of itself`);
    if (p.children.includes(child)) return;
    if (this.ancestors(p).has(child)) {
      throw new InventoryError(at, `making "${child}" a child of "${parent}" makes a loop: "${parent}" is already inside "${child}"`);
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  addHost(name: string, group: string, port: number | undefined): HostData {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: port === undefined ? {} : { ansible_port: port } };
      this.hosts.set(name, h);
    }
    const g = this.addGroup(group);
    if (!g.hosts.includes(name)) g.hosts.push(name);
    return h;
  }

  setGroupVar(group: string, key: string, value: unknown, at: InventoryPosition): void {
    const g = this.addGroup(group);
    if (key !== 'ansible_group_priority') {
      setVar(g.vars, key, value);
      return;
    }
    // Python's int(): a whole number, or a string of one; a fraction is cut to its whole part.
    const n =
      typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)
        ? Number(value)
        : typeof value === 'number'
          ? Math.trunc(value)
          : value === true
            ? 1
            : value === false
              ? 0
              : Number.NaN;
    if (!Number.isFinite(n)) throw new InventoryError(at, `ansible_group_priority of "${group}" must be a whole number, not ${JSON.stringify(value)}`);
    g.priority = n;
  }

  ancestors(g: GroupData): Set<string> {
    const seen = new Set<string>();
    const todo = [...g.parents];
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      todo.push(...this.groups.get(name)!.parents);
    }
    return seen;
  }

  /** Ansible's reconcile_inventory: every group inside `all`, every host in a group of its own or in `ungrouped`. */
  finish(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name, { file: '' });
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const h of this.hosts.values()) {
      const own = this.directGroups(h.name).filter((g) => g !== 'all' && g !== 'ungrouped');
      if (own.length > 0) ungrouped.hosts = ungrouped.hosts.filter((n) => n !== h.name);
      else if (!ungrouped.hosts.includes(h.name)) ungrouped.hosts.push(h.name);
    }
  }

  directGroups(host: string): string[] {
    return [...this.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
  }

  /** The host's groups with their ancestors, `all` included. */
  groupsOf(host: string): GroupData[] {
    const names = new Set<string>();
    for (const d of this.directGroups(host)) {
      names.add(d);
      for (const a of this.ancestors(this.groups.get(d)!)) names.add(a);
    }
    return [...names].map((n) => this.groups.get(n)!);
  }

  /** How far below `all` a group sits: its longest path from `all`, as Ansible's depth grows with each edge. */
  depth(g: GroupData, memo = new Map<string, number>()): number {
    const known = memo.get(g.name);
    if (known !== undefined) return known;
    const d = g.parents.length === 0 ? 0 : Math.max(...g.parents.map((p) => this.depth(this.groups.get(p)!, memo) + 1));
    memo.set(g.name, d);
    return d;
  }
}

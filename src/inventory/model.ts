// What an inventory is once read, whichever way it was read (natively or through ansible-inventory): the hosts
// with their merged vars and the group graph. Plain data: a fleet run and a report can keep it as it is.

export interface InventoryHost {
  /** The inventory name, after range expansion (`web01`), which is also `inventory_hostname`. */
  name: string;
  /**
   * Every group the host belongs to, ancestors included, sorted, without `all`: Ansible's `group_names`. A host
   * in no group of its own is in `ungrouped`.
   */
  groups: string[];
  /** The host's vars merged with Ansible's precedence: what `ansible-inventory --host NAME` prints. */
  vars: Record<string, unknown>;
}

interface InventoryGroup {
  /** The direct child groups, in the order they were declared. */
  children: string[];
  /** The hosts placed in the group itself (not through a child), in the order they were declared. */
  hosts: string[];
}

export interface Inventory {
  /** The inventory path as given. */
  source: string;
  /** Every host once, in the order the inventory first names it. */
  hosts: InventoryHost[];
  /** Every group, `all` and `ungrouped` included. */
  groups: Record<string, InventoryGroup>;
}

/** Where a problem was written; line and column are 1-based and absent when the whole file is at fault. */
export interface InventoryPosition {
  file: string;
  line?: number;
  col?: number;
}

/** A problem with an inventory, said as `file:line:col: what is wrong`; the CLI maps it to exit code 2. */
export class InventoryError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  /** What is wrong, without the position. */
  readonly detail: string;

  constructor(at: InventoryPosition, detail: string) {
    const where = at.line === undefined ? at.file : `${at.file}:${at.line}:${at.col ?? 1}`;
    super(`${where}: ${detail}`);
    this.name = 'InventoryError';
    this.file = at.file;
    if (at.line !== undefined) {
      this.line = at.line;
      this.col = at.col ?? 1;
    }
    this.detail = detail;
  }
}

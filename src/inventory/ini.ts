// The INI inventory, read line by line as Ansible's ini plugin reads it: `[group]` sections of host lines
// (`name[:port] key=value ...`, split like a POSIX shell's words but never given to one), `[group:vars]` of
// `key = value`, `[group:children]` of group names; values are Python literals or else the text itself. A
// group named under `:children` or `:vars` before it is defined must be defined somewhere in the file.
import type { InventoryBuilder } from './builder.js';
import { setVar } from './builder.js';
import { InventoryError, type InventoryPosition } from './model.js';
import { pythonLiteral } from './python-literal.js';
import { expandHostPattern } from './ranges.js';
import { ShlexError, shlexWords } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
const STATES = ['hosts', 'children', 'vars'] as const;
type State = (typeof STATES)[number];

/** A group met under `:vars` or `:children` before any section of its own defined it. */
interface Pending {
  state: 'vars' | 'children';
  at: InventoryPosition;
  parents: { name: string; at: InventoryPosition }[];
}

/** Ansible reads a value as a Python literal and keeps the text where it is none. */
function iniValue(text: string): unknown {
  const literal = pythonLiteral(text);
  return literal ? literal.value : text;
}

export function parseIni(text: string, file: string, inv: InventoryBuilder): void {
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: State = 'hosts';
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lead = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const at = (col = lead + 1): InventoryPosition => ({ file, line: index + 1, col });

    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (!(STATES as readonly string[]).includes(kind)) {
        throw new InventoryError(
          at(lead + group.length + 3),
          `unknown section type "${kind}" in [${group}:${kind}]: a section is [${group}], [${group}:vars] or [${group}:children]`,
        );
      }
      state = kind as State;
      if (!inv.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { state, at: at(lead + 2), parents: [] });
        inv.addGroup(group);
      }
      const p = pending.get(group);
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(inv, group, pending);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new InventoryError(
        at(),
        `"${line}" is no section header: a group name holds no spaces, ':' or ']' (a section is [GROUP], [GROUP:vars] or [GROUP:children])`,
      );
    }

    if (state === 'hosts') hostLine(raw, at, group, inv);
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InventoryError(at(), `expected key=value in [${group}:vars], got "${line}"`);
      inv.setGroupVar(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()), at());
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) throw new InventoryError(at(), `expected a group name in [${group}:children], got "${line}"`);
      const child = m[1]!;
      if (inv.groups.has(child)) inv.addChild(group, child, at());
      else {
        const p = pending.get(child) ?? { state: 'children', at: at(), parents: [] };
        p.parents.push({ name: group, at: at() });
        pending.set(child, p);
      }
    }
  });

  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      throw new InventoryError(p.at, `[${name}:vars] sets vars of a group that is defined nowhere: add a [${name}] or [${name}:children] section`);
    }
    const parent = p.parents.at(-1)!;
    throw new InventoryError(
      parent.at,
      `[${parent.name}:children] names group "${name}", which is defined nowhere: add a [${name}] or [${name}:children] section`,
    );
  }
}

/** Ansible's _add_pending_children: the group is defined now, so its waiting parents get it. */
function addPendingChildren(inv: InventoryBuilder, group: string, pending: Map<string, Pending>): void {
  const p = pending.get(group)!;
  for (const parent of p.parents) {
    inv.addChild(parent.name, group, parent.at);
    if (pending.get(parent.name)?.state === 'children') addPendingChildren(inv, parent.name, pending);
  }
  pending.delete(group);
}

function hostLine(raw: string, at: (col?: number) => InventoryPosition, group: string, inv: InventoryBuilder): void {
  let words: { word: string; at: number }[];
  try {
    words = shlexWords(raw, { comments: true });
  } catch (e) {
    if (!(e instanceof ShlexError)) throw e;
    throw new InventoryError(at(), `cannot split this host line into words: ${e.message}`);
  }
  const [first, ...rest] = words;
  if (!first) return;
  const pattern = expandHostPattern(first.word);
  if ('error' in pattern) throw new InventoryError(at(first.at + 1), pattern.error);
  const vars: Record<string, unknown> = {};
  for (const w of rest) {
    const eq = w.word.indexOf('=');
    if (eq < 0) throw new InventoryError(at(w.at + 1), `expected key=value after the host name, got "${w.word}"`);
    setVar(vars, w.word.slice(0, eq), iniValue(w.word.slice(eq + 1)));
  }
  for (const name of pattern.names) {
    const host = inv.addHost(name, group, pattern.port);
    for (const [k, v] of Object.entries(vars)) setVar(host.vars, k, v);
  }
}

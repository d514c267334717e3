// --limit: which hosts of an inventory a pattern selects, with Ansible's pattern language (InventoryManager):
// `all` or `*`; host and group names; shell globs (`web*`, `db?`, `[ab]*`); `~regex` (matched from the start of
// the name); `a:b` or `a,b` for a union, `&g` to keep only hosts also in g, `!g` to drop hosts in g (unions
// first, then intersections, then exclusions, whatever the written order); and `group[0]`, `group[-1]`,
// `group[1:3]`, `group[2:]` to take hosts of a group by position. A pattern that matches nothing adds nothing;
// an empty selection is the caller's to report. The hosts keep the inventory's order.
import { type Inventory, InventoryError, type InventoryHost } from './model.js';
import { parseAddress } from './ranges.js';

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

export function selectHosts(inv: Inventory, limit: string): InventoryHost[] {
  const byName = new Map(inv.hosts.map((h) => [h.name, h]));
  const patterns = orderPatterns(splitPatterns(limit));
  let picked: string[] = [];
  for (const p of patterns) {
    if (byName.has(p)) {
      picked.push(p);
      continue;
    }
    const that = new Set(matchOne(inv, p));
    if (p.startsWith('!')) picked = picked.filter((h) => !that.has(h));
    else if (p.startsWith('&')) picked = picked.filter((h) => that.has(h));
    else picked.push(...[...that].filter((h) => !picked.includes(h)));
  }
  const chosen = new Set(picked);
  return inv.hosts.filter((h) => chosen.has(h.name));
}

/** Ansible's split_host_pattern: commas always separate; colons only where the whole is not one address. */
function splitPatterns(limit: string): string[] {
  let parts: string[];
  if (limit.includes(',')) parts = limit.split(',');
  else if (parseAddress(limit)) parts = [limit];
  else parts = limit.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The patterns of a limit that name no host and no group of the inventory, not even an empty one: most likely
 * typos. Ansible warns of them and goes on; an audit that silently leaves hosts out is worse than one refused.
 */
export function unmatchedPatterns(inv: Inventory, limit: string): string[] {
  const byName = new Set(inv.hosts.map((h) => h.name));
  return splitPatterns(limit).filter((written) => {
    const pattern = written.replace(/^[&!]/, '');
    if (byName.has(pattern) || pattern === 'all' || pattern === '*') return false;
    const sub = pattern.startsWith('~') ? null : SUBSCRIPT.exec(pattern);
    const test = matcher(sub ? sub[1]! : pattern);
    return !Object.keys(inv.groups).some(test) && !inv.hosts.some((h) => test(h.name));
  });
}

function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => !p.startsWith('!') && !p.startsWith('&'));
  return [...(regular.length > 0 ? regular : ['all']), ...patterns.filter((p) => p.startsWith('&')), ...patterns.filter((p) => p.startsWith('!'))];
}

function matchOne(inv: Inventory, written: string): string[] {
  const pattern = written.replace(/^[&!]/, '');
  const sub = pattern.startsWith('~') ? null : SUBSCRIPT.exec(pattern);
  const expr = sub ? sub[1]! : pattern;
  const hosts = enumerate(inv, expr);
  if (!sub || hosts.length === 0) return hosts;
  const [, , index, start, , end] = sub;
  const at = (i: number): number => (i < 0 ? hosts.length + i : i);
  if (index !== undefined) {
    // Python's hosts[i]; beyond the end Ansible says "No hosts matched the subscripted pattern": nothing here.
    const h = hosts[at(Number(index))];
    return h === undefined ? [] : [h];
  }
  // As in Ansible, an end of 0 (`[0:0]`) means the one host at the start.
  const last = end === '' ? hosts.length - 1 : Number(end);
  if (last === 0) return hosts[Number(start)] === undefined ? [] : [hosts[Number(start)]!];
  return hosts.slice(Number(start), last + 1);
}

/** Ansible's _enumerate_matches: hosts of the matching groups, and matching host names when that is meant. */
function enumerate(inv: Inventory, pattern: string): string[] {
  const test = matcher(pattern);
  const groups = Object.keys(inv.groups).filter(test);
  const out: string[] = [];
  const add = (h: string): void => {
    if (!out.includes(h)) out.push(h);
  };
  for (const g of groups) groupHosts(inv, g).forEach(add);
  if (groups.length === 0 || pattern.startsWith('~') || /[.?*[]/.test(pattern)) {
    for (const h of inv.hosts) if (test(h.name)) add(h.name);
  }
  return out;
}

/** A group's hosts with its descendants', the group's own first, then its children's in order, level by level. */
function groupHosts(inv: Inventory, group: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let level = [group];
  while (level.length > 0) {
    const next: string[] = [];
    for (const g of level) {
      if (seen.has(g)) continue;
      seen.add(g);
      for (const h of inv.groups[g]?.hosts ?? []) if (!out.includes(h)) out.push(h);
      next.push(...(inv.groups[g]?.children ?? []));
    }
    level = next;
  }
  return out;
}

function matcher(pattern: string): (name: string) => boolean {
  let re: RegExp;
  try {
    re = pattern.startsWith('~') ? new RegExp(`^(?:${pattern.slice(1)})`, 's') : fnmatch(pattern);
  } catch (e) {
    throw new InventoryError({ file: '--limit' }, `"${pattern}" is no valid pattern: ${(e as Error).message}`);
  }
  return (name) => re.test(name);
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]` and `[!seq]`, the rest literal, the whole name. */
function fnmatch(pattern: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) out += '\\[';
      else {
        let set = pattern.slice(i, j).replace(/\\/g, '\\\\');
        i = j + 1;
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        else if (set.startsWith('^') || set.startsWith('[')) set = `\\${set}`;
        out += `[${set}]`;
      }
    } else out += c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}

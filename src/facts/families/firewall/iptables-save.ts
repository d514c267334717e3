// iptables-save / ip6tables-save text: the tables, chains and rules of one iptables variant.
import type { FirewallChain, FirewallTable } from '../../model.js';
import type { ParsedRuleset, Summary } from './ruleset.js';
import { XT_VERDICT, chainKey, detectManagers } from './ruleset.js';

// How iptables-nft registers the built-in chains of each table (same as the kernel's legacy x_tables):
// the hook comes from the chain name, the type and priority from the table.
const BUILTIN_HOOKS: Record<string, string> = {
  PREROUTING: 'prerouting',
  INPUT: 'input',
  FORWARD: 'forward',
  OUTPUT: 'output',
  POSTROUTING: 'postrouting',
};
const TABLE_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, filter: 0, security: 50 };
const NAT_PRIORITY: Record<string, number> = { PREROUTING: -100, INPUT: 100, OUTPUT: -100, POSTROUTING: 100 };

function builtinType(table: string, chain: string): string {
  if (table === 'nat') return 'nat';
  if (table === 'mangle' && chain === 'OUTPUT') return 'route';
  return 'filter';
}

// iptables-save quotes arguments with double quotes and escapes embedded quotes and backslashes.
function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inToken = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inToken = true;
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

/** Drops `-m comment --comment TEXT`: a comment is the only match that matches every packet. */
function withoutComments(conditions: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < conditions.length; ) {
    if (conditions[i] === '-m' && conditions[i + 1] === 'comment' && conditions[i + 2] === '--comment') i += 4;
    else out.push(conditions[i++]!);
  }
  return out;
}

/** A rule's tokens after "-A CHAIN": its conditions come before -j/-g, the target and its options after. */
function iptablesRuleSummary(tokens: string[], userChains: Set<string>): Summary {
  const j = tokens.findIndex((t) => t === '-j' || t === '--jump' || t === '-g' || t === '--goto');
  const conditions = withoutComments(j < 0 ? tokens : tokens.slice(0, j));
  const unconditional = conditions.length === 0;
  if (j < 0) return { unconditional, verdict: 'none' };
  const name = tokens[j + 1] ?? '';
  if (tokens[j] === '-g' || tokens[j] === '--goto') return { unconditional, verdict: 'goto', target: name };
  const builtin = XT_VERDICT[name];
  if (builtin) return { unconditional, verdict: builtin };
  if (userChains.has(name)) return { unconditional, verdict: 'jump', target: name };
  // LOG, NFLOG, MARK, CT ...: extension targets that let the packet go on to the next rule.
  return { unconditional, verdict: 'none' };
}

interface SaveState {
  family: 'ip' | 'ip6';
  legacy: boolean;
  table: string;
  tables: FirewallTable[];
  chains: Map<string, FirewallChain>;
  userChains: Set<string>;
}

function newSaveChain(s: SaveState, name: string): FirewallChain {
  return { family: s.family, table: s.table, name, ...(s.legacy ? { legacy: true as const } : {}), rules: [] };
}

function saveChainDeclaration(s: SaveState, line: string): void {
  const [name, policy] = line.slice(1).split(/\s+/);
  if (!name || !s.table) return;
  const chain = newSaveChain(s, name);
  const hook = BUILTIN_HOOKS[name];
  // User chains print "-" as their policy; only built-in chains are attached to a hook.
  if (hook && policy && policy !== '-') {
    chain.hook = hook;
    chain.type = builtinType(s.table, name);
    chain.priority = s.table === 'nat' ? (NAT_PRIORITY[name] ?? 0) : (TABLE_PRIORITY[s.table] ?? 0);
    const p = policy.toLowerCase();
    if (p === 'accept' || p === 'drop') chain.policy = p;
  } else {
    s.userChains.add(name);
  }
  s.chains.set(chainKey(s.family, s.table, name), chain);
}

function saveRule(s: SaveState, line: string): void {
  const tokens = tokenize(line);
  const name = tokens[1];
  if (!name || !s.table) return;
  const key = chainKey(s.family, s.table, name);
  let chain = s.chains.get(key);
  if (!chain) {
    chain = newSaveChain(s, name);
    s.chains.set(key, chain);
  }
  const { unconditional, verdict, target } = iptablesRuleSummary(tokens.slice(2), s.userChains);
  chain.rules.push({ position: chain.rules.length + 1, unconditional, verdict, ...(target === undefined ? {} : { target }) });
}

export function parseIptablesSave(text: string, family: 'ip' | 'ip6', opts: { legacy?: boolean } = {}): ParsedRuleset {
  const s: SaveState = { family, legacy: opts.legacy === true, table: '', tables: [], chains: new Map(), userChains: new Set() };
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `iptables-save -c` prefixes rules with packet:byte counters.
    if (line.startsWith('[')) line = line.replace(/^\[\d+:\d+\]\s*/, '');
    if (line.startsWith('*')) {
      s.table = line.slice(1);
      s.userChains = new Set();
      s.tables.push({ family, name: s.table, ...(s.legacy ? { legacy: true as const } : {}), dormant: false });
    } else if (line === 'COMMIT') {
      s.table = '';
    } else if (line.startsWith(':')) {
      saveChainDeclaration(s, line);
    } else if (line.startsWith('-A ')) {
      saveRule(s, line);
    }
  }
  const list = [...s.chains.values()];
  return {
    tables: s.tables,
    chains: list,
    managers: detectManagers(
      [],
      list.map((c) => c.name),
    ),
  };
}

// Firewall facts: the netfilter base chains (hook, type, priority, policy) and whether each one ends with an
// unconditional verdict. Read from `nft -j list ruleset`, else from iptables-save / ip6tables-save.
import type { Transport } from '../transport/types.js';
import type { FirewallChain, FirewallFact, FirewallVerdict } from './model.js';

export interface ParsedRuleset {
  chains: FirewallChain[];
  managers: string[];
}

const EXEC_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------------------
// Managers: front-ends leave their names on tables and chains; knowing them lets a report say "ufw" rather
// than "ip filter/INPUT", and tells the reader which tool to change.

const CHAIN_MANAGERS: Array<[RegExp, string]> = [
  [/^ufw6?-/, 'ufw'],
  [/^(INPUT_ZONES|INPUT_direct|FORWARD_IN_ZONES|FORWARD_direct|OUTPUT_direct|IN_[A-Za-z0-9]+(_allow|_deny|_log)?|FWDI_[A-Za-z0-9]+)$/, 'firewalld'],
  [/^DOCKER(-|$)/, 'docker'],
  [/^KUBE-/, 'kube-proxy'],
  [/^f2b-/, 'fail2ban'],
  [/^cali-/, 'calico'],
  [/^CILIUM_/, 'cilium'],
  [/^LIBVIRT_/, 'libvirt'],
  [/^NETAVARK/, 'netavark'],
  [/^CNI-/, 'cni'],
  [/^sshguard$/, 'sshguard'],
];

const TABLE_MANAGERS: Array<[RegExp, string]> = [
  [/^firewalld$/, 'firewalld'],
  [/^kube-proxy$/, 'kube-proxy'],
  [/^f2b-table$/, 'fail2ban'],
  [/^libvirt_network$/, 'libvirt'],
  [/^netavark$/, 'netavark'],
  [/^cilium/, 'cilium'],
  [/^(lxd|incus)$/, 'lxd'],
  [/^sshguard$/, 'sshguard'],
];

function detectManagers(tables: Iterable<string>, chains: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const t of tables) for (const [re, m] of TABLE_MANAGERS) if (re.test(t)) found.add(m);
  for (const c of chains) for (const [re, m] of CHAIN_MANAGERS) if (re.test(c)) found.add(m);
  return [...found].sort();
}

// ---------------------------------------------------------------------------------------------------------
// nft -j list ruleset

type NftObject = Record<string, unknown>;

interface NftChainJson {
  family: string;
  table: string;
  name: string;
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
}

interface NftRuleJson {
  family: string;
  table: string;
  chain: string;
  expr?: NftObject[];
}

// Statements that neither match nor decide: a rule made only of these plus a verdict applies to every packet.
const NFT_PASSIVE = new Set(['counter', 'log', 'mangle']);
// iptables-nft keeps targets it cannot translate as `xt`; LOG/NFLOG only observe, REJECT/DROP/ACCEPT decide.
const XT_PASSIVE = new Set(['LOG', 'NFLOG']);
const XT_VERDICT: Record<string, FirewallVerdict> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'reject' };

function nftFinalVerdict(expr: NftObject[] | undefined): FirewallVerdict | undefined {
  if (!expr || expr.length === 0) return undefined;
  for (let i = 0; i < expr.length - 1; i++) {
    const stmt = expr[i]!;
    const key = Object.keys(stmt)[0] ?? '';
    if (NFT_PASSIVE.has(key)) continue;
    if (key === 'xt') {
      const xt = stmt.xt as { type?: string; name?: string } | null;
      if (xt?.type === 'target' && XT_PASSIVE.has(xt.name ?? '')) continue;
    }
    // Anything else (match, limit, xt match, jump ...) makes the rule conditional or hands the packet on.
    return undefined;
  }
  const last = expr[expr.length - 1]!;
  if ('accept' in last) return 'accept';
  if ('drop' in last) return 'drop';
  if ('reject' in last) return 'reject';
  if ('xt' in last) {
    const xt = last.xt as { type?: string; name?: string } | null;
    if (xt?.type === 'target') return XT_VERDICT[xt.name ?? ''];
  }
  return undefined;
}

const chainKey = (family: string, table: string, name: string): string => `${family}\u0000${table}\u0000${name}`;

export function parseNftJson(text: string): ParsedRuleset {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`nft -j list ruleset: output is not JSON (${(err as Error).message})`);
  }
  const items = (doc as { nftables?: unknown }).nftables;
  if (!Array.isArray(items)) throw new Error('nft -j list ruleset: output has no "nftables" array');

  const chains = new Map<string, FirewallChain>();
  const lastRule = new Map<string, NftObject[] | undefined>();
  const tables = new Set<string>();

  for (const item of items as NftObject[]) {
    if (item.table) {
      tables.add(String((item.table as { name: string }).name));
    } else if (item.chain) {
      const c = item.chain as NftChainJson;
      const chain: FirewallChain = { family: c.family, table: c.table, name: c.name, rules: 0 };
      if (c.hook !== undefined) {
        chain.hook = c.hook;
        if (c.type !== undefined) chain.type = c.type;
        if (typeof c.prio === 'number') chain.priority = c.prio;
        if (c.policy === 'accept' || c.policy === 'drop') chain.policy = c.policy;
      }
      chains.set(chainKey(c.family, c.table, c.name), chain);
    } else if (item.rule) {
      const r = item.rule as NftRuleJson;
      const key = chainKey(r.family, r.table, r.chain);
      const chain = chains.get(key);
      // nft prints each chain before its rules; a rule for an unknown chain would be a malformed dump.
      if (!chain) continue;
      chain.rules++;
      lastRule.set(key, r.expr);
    }
  }

  for (const [key, chain] of chains) {
    const verdict = nftFinalVerdict(lastRule.get(key));
    if (verdict) chain.finalVerdict = verdict;
  }
  const list = [...chains.values()];
  return { chains: list, managers: detectManagers(tables, list.map((c) => c.name)) };
}

// ---------------------------------------------------------------------------------------------------------
// iptables-save / ip6tables-save

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

function iptablesFinalVerdict(tokens: string[]): FirewallVerdict | undefined {
  // tokens start after "-A CHAIN"
  const j = tokens.findIndex((t) => t === '-j' || t === '--jump');
  if (j < 0) return undefined;
  const conditions = tokens.slice(0, j);
  // A comment is the only match that matches everything.
  for (let i = 0; i < conditions.length; ) {
    if (conditions[i] === '-m' && conditions[i + 1] === 'comment' && conditions[i + 2] === '--comment') {
      conditions.splice(i, 4);
    } else i++;
  }
  if (conditions.length > 0) return undefined;
  return XT_VERDICT[tokens[j + 1] ?? ''];
}

export function parseIptablesSave(text: string, family: 'ip' | 'ip6'): ParsedRuleset {
  const chains = new Map<string, FirewallChain>();
  const lastRule = new Map<string, string[]>();
  const tables = new Set<string>();
  let table = '';

  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `iptables-save -c` prefixes rules with packet:byte counters.
    if (line.startsWith('[')) line = line.replace(/^\[\d+:\d+\]\s*/, '');
    if (line.startsWith('*')) {
      table = line.slice(1);
      tables.add(table);
    } else if (line === 'COMMIT') {
      table = '';
    } else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(/\s+/);
      if (!name || !table) continue;
      const chain: FirewallChain = { family, table, name, rules: 0 };
      const hook = BUILTIN_HOOKS[name];
      // User chains print "-" as their policy; only built-in chains are attached to a hook.
      if (hook && policy && policy !== '-') {
        chain.hook = hook;
        chain.type = builtinType(table, name);
        chain.priority = table === 'nat' ? (NAT_PRIORITY[name] ?? 0) : (TABLE_PRIORITY[table] ?? 0);
        const p = policy.toLowerCase();
        if (p === 'accept' || p === 'drop') chain.policy = p;
      }
      chains.set(chainKey(family, table, name), chain);
    } else if (line.startsWith('-A ')) {
      const tokens = tokenize(line);
      const name = tokens[1];
      if (!name || !table) continue;
      const key = chainKey(family, table, name);
      let chain = chains.get(key);
      if (!chain) {
        chain = { family, table, name, rules: 0 };
        chains.set(key, chain);
      }
      chain.rules++;
      lastRule.set(key, tokens.slice(2));
    }
  }

  for (const [key, chain] of chains) {
    const last = lastRule.get(key);
    const verdict = last ? iptablesFinalVerdict(last) : undefined;
    if (verdict) chain.finalVerdict = verdict;
  }
  const list = [...chains.values()];
  return { chains: list, managers: detectManagers([], list.map((c) => c.name)) };
}

// ---------------------------------------------------------------------------------------------------------
// Collection

type Attempt = { ok: true; stdout: string } | { ok: false; reason: string };

async function attempt(t: Transport, file: string, args: string[], timeoutMs: number): Promise<Attempt> {
  const cmd = [file, ...args].join(' ');
  try {
    const r = await t.exec(file, args, { timeoutMs });
    if (r.exitCode === 0) return { ok: true, stdout: r.stdout };
    const why = r.stderr.trim().replace(/\s*\n\s*/g, '; ') || 'no error output';
    return { ok: false, reason: `${cmd}: exit ${r.exitCode}: ${why}` };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'ENOENT') return { ok: false, reason: `${file}: not installed` };
    const msg = e.message ?? String(err);
    return { ok: false, reason: msg.startsWith(file) ? msg : `${cmd}: ${msg}` };
  }
}

const hasBaseChain = (chains: FirewallChain[]): boolean => chains.some((c) => c.hook !== undefined);

function merge(parts: ParsedRuleset[]): ParsedRuleset {
  const chains = parts.flatMap((p) => p.chains);
  const managers = [...new Set(parts.flatMap((p) => p.managers))].sort();
  return { chains, managers };
}

// A kernel without IPv6 has no ip6 tables to list; that is not a failure to read the firewall.
const ipv6Unsupported = (a: Attempt): boolean => !a.ok && /Address family not supported/i.test(a.reason);

async function readSavePair(t: Transport, v4: string, v6: string, timeoutMs: number): Promise<{ rules?: ParsedRuleset; text: string; failures: string[] }> {
  const [a4, a6] = await Promise.all([attempt(t, v4, [], timeoutMs), attempt(t, v6, [], timeoutMs)]);
  if (a4.ok && (a6.ok || ipv6Unsupported(a6))) {
    const parts = [parseIptablesSave(a4.stdout, 'ip')];
    if (a6.ok) parts.push(parseIptablesSave(a6.stdout, 'ip6'));
    return { rules: merge(parts), text: a4.stdout + (a6.ok ? a6.stdout : ''), failures: [] };
  }
  const failures: string[] = [];
  if (!a4.ok) failures.push(a4.reason);
  // Half a ruleset would report IPv6 as wide open when it is merely unread.
  if (!a6.ok) failures.push(a4.ok ? `${a6.reason} (${v4} worked, but IPv6 would be unknown)` : a6.reason);
  return { text: '', failures };
}

/** The firewall collector's first command; the CLI may start it early (see src/cli/early.ts). */
export const NFT_LIST: [string, string[]] = ['nft', ['-j', 'list', 'ruleset']];

/**
 * Whether any legacy x_tables table exists in this network namespace. The kernel lists them in
 * /proc/net/ip{,6}_tables_names (absent when the module is not even loaded), so the common case — no legacy
 * rules — costs two file reads instead of two more processes.
 */
async function legacyTablesLoaded(t: Transport): Promise<boolean> {
  const names = await Promise.all(
    ['/proc/net/ip_tables_names', '/proc/net/ip6_tables_names'].map((p) =>
      t.readFile(p).then(
        (text) => text.trim() !== '',
        (err: { code?: string }) => err.code !== 'ENOENT',
      ),
    ),
  );
  return names.some(Boolean);
}

/**
 * Read the host's netfilter ruleset. nftables first (it also shows iptables-nft rules); iptables-save when nft is
 * missing or refused; the legacy tools when nft answers with no base chain, since legacy x_tables rules are
 * invisible to nft. Throws, naming every attempt, when no tool could read the ruleset.
 */
export async function collectFirewall(t: Transport, timeoutMs = EXEC_TIMEOUT_MS): Promise<FirewallFact> {
  const tried: string[] = [];
  const nft = await attempt(t, ...NFT_LIST, timeoutMs);
  if (nft.ok) {
    let parsed: ParsedRuleset | undefined;
    try {
      parsed = parseNftJson(nft.stdout);
    } catch (err) {
      tried.push((err as Error).message);
    }
    if (parsed) {
      if (!hasBaseChain(parsed.chains) && (await legacyTablesLoaded(t))) {
        const legacy = await readSavePair(t, 'iptables-legacy-save', 'ip6tables-legacy-save', timeoutMs);
        if (legacy.rules && hasBaseChain(legacy.rules.chains)) {
          const all = merge([parsed, legacy.rules]);
          return { backend: 'iptables-legacy', managers: all.managers, chains: all.chains };
        }
      }
      return { backend: 'nftables', managers: parsed.managers, chains: parsed.chains };
    }
  } else {
    tried.push(nft.reason);
  }

  const save = await readSavePair(t, 'iptables-save', 'ip6tables-save', timeoutMs);
  if (save.rules) {
    // iptables-save names its variant in the header: "(nf_tables)" or "(legacy)"; 1.6 and older say nothing.
    const nftVariant = /^# Generated by ip6?tables-save v\S+ \(nf_tables\)/m.test(save.text);
    const anyHeader = /^# Generated by ip6?tables-save/m.test(save.text);
    const backend = anyHeader && !nftVariant ? 'iptables-legacy' : 'iptables';
    return { backend, managers: save.rules.managers, chains: save.rules.chains };
  }
  tried.push(...save.failures);
  throw new Error(`cannot read the firewall ruleset: ${tried.join('; ')}`);
}

// Firewall facts: every netfilter table and chain (hook, type, priority, policy) with each rule summarised as
// what it does to a packet that matches it and whether it matches every packet (or every packet of one family). Read from `nft -j list ruleset`
// (native nftables and iptables-nft) plus the legacy x_tables through iptables-legacy-save when the kernel
// says legacy tables exist; iptables-save / ip6tables-save when nft cannot be used.
import type { Transport } from '../transport/types.js';
import type { FirewallChain, FirewallFact, FirewallRule, FirewallRuleVerdict, FirewallTable } from './model.js';

export interface ParsedRuleset {
  tables: FirewallTable[];
  chains: FirewallChain[];
  managers: string[];
  /** nft tables whose JSON flags could not be read (see nftTableFlags), as "family name". */
  unreadableFlags?: string[];
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

interface NftTableJson {
  family: string;
  name: string;
  flags?: string | string[];
}

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
  handle?: number;
  expr?: NftObject[];
}

// Statements that neither match nor decide: they act on every packet that reaches them and let it go on, so a
// rule made only of these (plus a verdict) applies to every packet.
const NFT_PASSIVE = new Set(['counter', 'log', 'mangle', 'notrack', 'set', 'flow']);
// iptables-nft keeps what it cannot translate as `xt`: a target there is the rule's action, never a condition;
// of the matches only `comment` matches every packet. NFQUEUE (and the old QUEUE) hand the packet to a
// userspace program and end the chain.
const XT_VERDICT: Record<string, FirewallRuleVerdict> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'reject', RETURN: 'return', NFQUEUE: 'queue', QUEUE: 'queue' };

type IpTableFamily = 'ip' | 'ip6';
const BOTH: readonly IpTableFamily[] = ['ip', 'ip6'];

interface Summary {
  unconditional: boolean;
  /** The rule's only condition is this family (see FirewallRule.family). */
  family?: IpTableFamily;
  verdict: FirewallRuleVerdict;
  target?: string;
}

type Statement = { verdict: FirewallRuleVerdict; target?: string; family?: IpTableFamily } | { family: IpTableFamily } | 'passive' | 'condition';

// How `meta nfproto` and `meta protocol` name the two families nft tables of ip, ip6 and inet see.
const FAMILY_VALUE: Record<string, Record<string, IpTableFamily>> = { nfproto: { ipv4: 'ip', ipv6: 'ip6' }, protocol: { ip: 'ip', ip6: 'ip6' } };

/**
 * A match on the packet's family alone (`meta nfproto ipv4`, `meta protocol != ip6`, `meta nfproto { ipv4, ipv6 }`)
 * in a table whose hooks see only IPv4 and IPv6: the families it matches, or undefined when it is some other
 * match. Bridge and netdev tables carry other protocols, so there it stays a condition.
 */
function familyMatch(stmt: NftObject, tableFamily: string): IpTableFamily[] | undefined {
  if (tableFamily !== 'inet' && tableFamily !== 'ip' && tableFamily !== 'ip6') return undefined;
  const m = stmt.match as { op?: unknown; left?: { meta?: { key?: unknown } }; right?: unknown } | null;
  const names = FAMILY_VALUE[String(m?.left?.meta?.key)];
  if (!m || !names || (m.op !== '==' && m.op !== '!=')) return undefined;
  const right = m.right;
  const values = typeof right === 'string' ? [right] : Array.isArray((right as { set?: unknown } | null)?.set) ? (right as { set: unknown[] }).set : undefined;
  if (!values) return undefined;
  const matched = new Set<IpTableFamily>();
  for (const v of values) {
    const f = typeof v === 'string' ? names[v] : undefined;
    if (!f) return undefined;
    matched.add(f);
  }
  return BOTH.filter((f) => matched.has(f) === (m.op === '=='));
}

// `reject with icmp ...` / `with icmpv6 ...` in an inet (or bridge, netdev) table carries an implicit
// `meta nfproto` match that the listing leaves out: it rejects that family only.
const REJECT_FAMILY: Record<string, IpTableFamily> = { icmp: 'ip', icmpv6: 'ip6' };

/** What one statement is: a verdict (with its target), a match on the family alone, passive, or a condition. */
function nftStatement(stmt: NftObject, tableFamily: string): Statement {
  const key = Object.keys(stmt)[0] ?? '';
  switch (key) {
    case 'accept':
    case 'drop':
    case 'return':
      return { verdict: key };
    case 'reject': {
      const family = REJECT_FAMILY[String((stmt.reject as { type?: unknown } | null)?.type)];
      return family === undefined ? { verdict: key } : { verdict: key, family };
    }
    // The packet goes to a userspace program, which gives the verdict: the chain ends here either way.
    case 'queue':
      return { verdict: 'queue' };
    case 'match': {
      const families = familyMatch(stmt, tableFamily);
      if (families === undefined || families.length === 0) return 'condition';
      return families.length === 1 ? { family: families[0]! } : 'passive';
    }
    case 'jump':
    case 'goto': {
      const target = (stmt[key] as { target?: unknown } | null)?.target;
      return typeof target === 'string' ? { verdict: key, target } : 'condition';
    }
    // `continue` hands the packet to the next rule, which is what a rule without a verdict does.
    case 'continue':
      return { verdict: 'none' };
    case 'xt': {
      const xt = stmt.xt as { type?: string; name?: string } | null;
      if (xt?.type === 'target') return { verdict: XT_VERDICT[xt.name ?? ''] ?? 'none' };
      return xt?.type === 'match' && xt.name === 'comment' ? 'passive' : 'condition';
    }
    default:
      // other matches, limit, quota, vmap, ct count ...: they apply to some packets only, or their outcome
      // depends on the packet, so the rule does not speak for every packet.
      return NFT_PASSIVE.has(key) ? 'passive' : 'condition';
  }
}

function nftRuleSummary(expr: NftObject[] | undefined, tableFamily: string): Summary {
  let conditional = false;
  // The families the rule can still match: what the table sees, narrowed by each family match.
  const seen: readonly IpTableFamily[] = tableFamily === 'ip' || tableFamily === 'ip6' ? [tableFamily] : BOTH;
  let families = seen;
  let verdict: FirewallRuleVerdict = 'none';
  let target: string | undefined;
  for (const stmt of expr ?? []) {
    const kind = nftStatement(stmt, tableFamily);
    if (kind === 'condition') conditional = true;
    else if (kind !== 'passive') {
      if (kind.family !== undefined) families = families.filter((f) => f === kind.family);
      if ('verdict' in kind) {
        verdict = kind.verdict;
        target = kind.target;
      }
    }
  }
  // Family matches that exclude each other (or the table's own family) match nothing: a condition, which
  // never decides.
  if (families.length === 0) conditional = true;
  const summary: Summary = { unconditional: !conditional && families.length === seen.length, verdict };
  if (!conditional && families.length < seen.length) summary.family = families[0]!;
  if (target !== undefined) summary.target = target;
  return summary;
}

const chainKey = (family: string, table: string, name: string): string => `${family}\u0000${table}\u0000${name}`;

const TABLE_FLAGS = new Set(['dormant', 'owner', 'persist']);

/**
 * A table's flags, or undefined when the JSON does not say them. nft 1.0.6 (Debian 12) prints a stray string
 * such as "filter" for the flags of a dormant table, so a value that is no known flag name is not evidence
 * either way; the collector then reads the flags from the text listing.
 */
function nftTableFlags(flags: string | string[] | undefined): string[] | undefined {
  if (flags === undefined) return [];
  const names = Array.isArray(flags) ? flags : [flags];
  return names.every((n) => TABLE_FLAGS.has(n)) ? names : undefined;
}

function nftChain(c: NftChainJson): FirewallChain {
  const chain: FirewallChain = { family: c.family, table: c.table, name: c.name, rules: [] };
  if (c.hook !== undefined) {
    chain.hook = c.hook;
    if (c.type !== undefined) chain.type = c.type;
    if (typeof c.prio === 'number') chain.priority = c.prio;
    if (c.policy === 'accept' || c.policy === 'drop') chain.policy = c.policy;
  }
  return chain;
}

function nftRule(position: number, r: NftRuleJson): FirewallRule {
  const { unconditional, family, verdict, target } = nftRuleSummary(r.expr, r.family);
  return {
    position,
    ...(typeof r.handle === 'number' ? { handle: r.handle } : {}),
    unconditional,
    ...(family === undefined ? {} : { family }),
    verdict,
    ...(target === undefined ? {} : { target }),
  };
}

function parseNftDocument(text: string): NftObject[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`nft -j list ruleset: output is not JSON (${(err as Error).message})`);
  }
  const items = (doc as { nftables?: unknown }).nftables;
  if (!Array.isArray(items)) throw new Error('nft -j list ruleset: output has no "nftables" array');
  return items as NftObject[];
}

export function parseNftJson(text: string): ParsedRuleset {
  const tables: FirewallTable[] = [];
  const unreadableFlags: string[] = [];
  const chains = new Map<string, FirewallChain>();

  for (const item of parseNftDocument(text)) {
    if (item.table) {
      const t = item.table as NftTableJson;
      const flags = nftTableFlags(t.flags);
      if (!flags) unreadableFlags.push(`${t.family} ${t.name}`);
      tables.push({ family: t.family, name: t.name, dormant: flags?.includes('dormant') ?? false });
    } else if (item.chain) {
      const c = item.chain as NftChainJson;
      chains.set(chainKey(c.family, c.table, c.name), nftChain(c));
    } else if (item.rule) {
      const r = item.rule as NftRuleJson;
      const chain = chains.get(chainKey(r.family, r.table, r.chain));
      // nft prints each chain before its rules; a rule for an unknown chain would be a malformed dump.
      if (chain) chain.rules.push(nftRule(chain.rules.length + 1, r));
    }
  }
  const list = [...chains.values()];
  const parsed: ParsedRuleset = { tables, chains: list, managers: detectManagers(tables.map((t) => t.name), list.map((c) => c.name)) };
  if (unreadableFlags.length > 0) parsed.unreadableFlags = unreadableFlags;
  return parsed;
}

/** Table flags from `nft -t list ruleset` text: "table FAMILY NAME {" then, if any, "flags a,b". */
export function parseNftTableFlags(text: string): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  let table: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const head = /^table (\S+) "?([^"\s]+)"? \{$/.exec(line);
    if (head) {
      table = `${head[1]} ${head[2]}`;
      flags.set(table, []);
    } else if (table && line.startsWith('flags ')) {
      flags.set(table, line.slice('flags '.length).split(/\s*,\s*/));
    } else if (line !== '') {
      // Flags come first in a table; anything else ends the search for this table's flags.
      table = undefined;
    }
  }
  return flags;
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
  return { tables: s.tables, chains: list, managers: detectManagers([], list.map((c) => c.name)) };
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
  return {
    tables: parts.flatMap((p) => p.tables),
    chains: parts.flatMap((p) => p.chains),
    managers: [...new Set(parts.flatMap((p) => p.managers))].sort(),
  };
}

// A kernel without IPv6 has no ip6 tables to list; that is not a failure to read the firewall.
const ipv6Unsupported = (a: Attempt): boolean => !a.ok && /Address family not supported/i.test(a.reason);

interface SaveRead {
  rules?: ParsedRuleset;
  text: string;
  failures: string[];
}

async function readSavePair(t: Transport, v4: string | null, v6: string | null, timeoutMs: number, legacy: boolean): Promise<SaveRead> {
  const skipped: Attempt = { ok: true, stdout: '' };
  const [a4, a6] = await Promise.all([v4 ? attempt(t, v4, [], timeoutMs) : skipped, v6 ? attempt(t, v6, [], timeoutMs) : skipped]);
  if (a4.ok && (a6.ok || ipv6Unsupported(a6))) {
    const parts = [parseIptablesSave(a4.stdout, 'ip', { legacy })];
    if (a6.ok) parts.push(parseIptablesSave(a6.stdout, 'ip6', { legacy }));
    return { rules: merge(parts), text: a4.stdout + (a6.ok ? a6.stdout : ''), failures: [] };
  }
  const failures: string[] = [];
  if (!a4.ok) failures.push(a4.reason);
  // Half a ruleset would report IPv6 as wide open when it is merely unread.
  if (!a6.ok) failures.push(a4.ok ? `${a6.reason} (${v4} worked, but IPv6 would be unknown)` : a6.reason);
  return { text: '', failures };
}

/** The firewall collector's first command: the whole ruleset, nftables and iptables-nft, as JSON. */
const NFT_LIST: [string, string[]] = ['nft', ['-j', 'list', 'ruleset']];

/**
 * Which families have legacy x_tables tables in this network namespace. The kernel lists them in
 * /proc/net/ip{,6}_tables_names (absent when the module is not even loaded), so the common case — no legacy
 * rules — costs two file reads instead of two more processes. A file we cannot read counts as present: the
 * tool will then say why it cannot read the tables either.
 */
async function legacyTables(t: Transport): Promise<{ v4: boolean; v6: boolean }> {
  const [v4, v6] = await Promise.all(
    ['/proc/net/ip_tables_names', '/proc/net/ip6_tables_names'].map((p) =>
      t.readFile(p).then(
        (text) => text.trim() !== '',
        (err: { code?: string }) => err.code !== 'ENOENT',
      ),
    ),
  );
  return { v4: v4 === true, v6: v6 === true };
}

/**
 * The legacy x_tables rules, which nft cannot see but the kernel applies alongside nftables. Undefined when
 * there are none; throws when they exist but cannot be read, since a drop there would go unseen.
 */
async function readLegacy(t: Transport, timeoutMs: number): Promise<ParsedRuleset | undefined> {
  const present = await legacyTables(t);
  if (!present.v4 && !present.v6) return undefined;
  const read = await readSavePair(t, present.v4 ? 'iptables-legacy-save' : null, present.v6 ? 'ip6tables-legacy-save' : null, timeoutMs, true);
  if (read.rules) return read.rules;
  throw new Error(`cannot read the legacy iptables rules, which apply alongside nftables: ${read.failures.join('; ')}`);
}

function fact(backend: FirewallFact['backend'], r: ParsedRuleset): FirewallFact {
  return { backend, managers: r.managers, tables: r.tables, chains: r.chains };
}

/** The one nft command that states table flags when the JSON listing garbled them. */
const NFT_LIST_TEXT: [string, string[]] = ['nft', ['-t', 'list', 'ruleset']];

/**
 * Settles `dormant` for tables whose JSON flags were unreadable. When even the text listing fails they stay
 * as read (not dormant): a table assumed to filter can make the verdict stricter than the kernel's, never
 * more open, and the reason names the table that decided.
 */
async function settleFlags(t: Transport, nft: ParsedRuleset, timeoutMs: number): Promise<void> {
  if (!nft.unreadableFlags) return;
  const listed = await attempt(t, ...NFT_LIST_TEXT, timeoutMs);
  if (!listed.ok) return;
  const flags = parseNftTableFlags(listed.stdout);
  for (const table of nft.tables) {
    const f = flags.get(`${table.family} ${table.name}`);
    if (f && nft.unreadableFlags.includes(`${table.family} ${table.name}`)) table.dormant = f.includes('dormant');
  }
}

/** nftables read: add the legacy tables, which filter the same packets. */
async function withLegacy(t: Transport, nft: ParsedRuleset, timeoutMs: number): Promise<FirewallFact> {
  await settleFlags(t, nft, timeoutMs);
  const legacy = await readLegacy(t, timeoutMs);
  if (!legacy) return fact('nftables', nft);
  // The backend names where the base chains are; nftables when both have some.
  const backend = !hasBaseChain(nft.chains) && hasBaseChain(legacy.chains) ? 'iptables-legacy' : 'nftables';
  return fact(backend, merge([nft, legacy]));
}

/** nft unusable: iptables-save, which shows one variant's tables (and the legacy ones when that is not it). */
async function fromIptablesSave(t: Transport, timeoutMs: number, tried: string[]): Promise<FirewallFact> {
  const save = await readSavePair(t, 'iptables-save', 'ip6tables-save', timeoutMs, false);
  if (!save.rules) {
    tried.push(...save.failures);
    throw new Error(`cannot read the firewall ruleset: ${tried.join('; ')}`);
  }
  // iptables-save names its variant in the header: "(nf_tables)" or "(legacy)"; 1.6 and older say nothing.
  const nftVariant = /^# Generated by ip6?tables-save v\S+ \(nf_tables\)/m.test(save.text);
  const anyHeader = /^# Generated by ip6?tables-save/m.test(save.text);
  if (anyHeader && !nftVariant) return fact('iptables-legacy', markLegacy(save.rules));
  if (!nftVariant) return fact('iptables', save.rules);
  const legacy = await readLegacy(t, timeoutMs);
  return fact('iptables', legacy ? merge([save.rules, legacy]) : save.rules);
}

function markLegacy(r: ParsedRuleset): ParsedRuleset {
  return {
    tables: r.tables.map((x) => ({ ...x, legacy: true as const })),
    chains: r.chains.map((c) => ({ ...c, legacy: true as const })),
    managers: r.managers,
  };
}

/**
 * Read the host's netfilter ruleset: nftables (it also shows iptables-nft rules) together with the legacy
 * x_tables when /proc says they exist, since the kernel applies both; iptables-save when nft is missing or
 * refused. Throws, naming every attempt, when no tool could read the ruleset.
 */
export async function collectFirewall(t: Transport, timeoutMs = EXEC_TIMEOUT_MS): Promise<FirewallFact> {
  const tried: string[] = [];
  const nft = await attempt(t, ...NFT_LIST, timeoutMs);
  if (!nft.ok) {
    tried.push(nft.reason);
    return fromIptablesSave(t, timeoutMs, tried);
  }
  let parsed: ParsedRuleset;
  try {
    parsed = parseNftJson(nft.stdout);
  } catch (err) {
    tried.push((err as Error).message);
    return fromIptablesSave(t, timeoutMs, tried);
  }
  return withLegacy(t, parsed, timeoutMs);
}

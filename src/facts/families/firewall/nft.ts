// `nft -j list ruleset`: every table, chain and rule of nftables (and of iptables-nft, which is nftables inside),
// each rule summarised as what it does to a matching packet and whether it matches every packet.
import type { FirewallChain, FirewallRule, FirewallRuleVerdict, FirewallTable } from '../../model.js';
import type { IpTableFamily, ParsedRuleset, Summary } from './ruleset.js';
import { BOTH, XT_VERDICT, chainKey, detectManagers } from './ruleset.js';

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
  const parsed: ParsedRuleset = {
    tables,
    chains: list,
    managers: detectManagers(
      tables.map((t) => t.name),
      list.map((c) => c.name),
    ),
  };
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

// Reading the host's netfilter ruleset: nftables (which also shows iptables-nft rules) together with the legacy
// x_tables when /proc says they exist, since the kernel applies both; iptables-save when nft is missing or
// refused. The first batch asks `nft` and /proc; only its answers can say which fallbacks to run, so those go in
// the second batch. Throws, naming every attempt, when no tool could read the ruleset.
import type { RawView } from '../../../transport/raw.js';
import type { RawRequest } from '../../../transport/types.js';
import { isFailure } from '../../../transport/types.js';
import type { FamilyModule } from '../../family.js';
import type { FirewallFact } from '../../model.js';
import { parseIptablesSave } from './iptables-save.js';
import { parseNftJson, parseNftTableFlags } from './nft.js';
import type { ParsedRuleset } from './ruleset.js';
import { hasBaseChain, markLegacy, merge } from './ruleset.js';

const NFT_LIST = ['nft', '-j', 'list', 'ruleset'];
/** The one nft command that states table flags when the JSON listing garbled them. */
const NFT_LIST_TEXT = ['nft', '-t', 'list', 'ruleset'];
const SAVE = { v4: ['iptables-save'], v6: ['ip6tables-save'] };
const LEGACY_SAVE = { v4: ['iptables-legacy-save'], v6: ['ip6tables-legacy-save'] };
/**
 * Which families have legacy x_tables tables in this network namespace. The kernel lists them here (absent when
 * the module is not even loaded), so the common case, no legacy rules, costs two file reads instead of two
 * processes. A file we cannot read counts as present: the tool will then say why it cannot read the tables either.
 */
const LEGACY_NAMES = { v4: '/proc/net/ip_tables_names', v6: '/proc/net/ip6_tables_names' };

type Attempt = { ok: true; stdout: string } | { ok: false; reason: string };

function attempt(raw: RawView, argv: string[]): Attempt {
  const [file] = argv;
  const cmd = argv.join(' ');
  const r = raw.run(argv);
  if (isFailure(r)) {
    if (r.error === 'ENOENT') return { ok: false, reason: `${file}: not installed` };
    return { ok: false, reason: r.message.startsWith(file!) ? r.message : `${cmd}: ${r.message}` };
  }
  if (r.exitCode === 0) return { ok: true, stdout: r.stdout };
  const why = r.stderr.trim().replace(/\s*\n\s*/g, '; ') || 'no error output';
  return { ok: false, reason: `${cmd}: exit ${r.exitCode}: ${why}` };
}

// A kernel without IPv6 has no ip6 tables to list; that is not a failure to read the firewall.
const ipv6Unsupported = (a: Attempt): boolean => !a.ok && /Address family not supported/i.test(a.reason);

function legacyPresent(raw: RawView): { v4: boolean; v6: boolean } {
  const present = (path: string): boolean => {
    const v = raw.read(path);
    return typeof v === 'string' ? v.trim() !== '' : v.error !== 'ENOENT';
  };
  return { v4: present(LEGACY_NAMES.v4), v6: present(LEGACY_NAMES.v6) };
}

/** nft's answer, parsed once per batch of answers (`then` and `parse` both need it). */
const nftRead = new WeakMap<RawView, { rules: ParsedRuleset } | { reason: string; missing?: true }>();

/** The program is not installed (as opposed to installed and failing). */
function isMissing(raw: RawView, argv: string[]): boolean {
  const r = raw.run(argv);
  return isFailure(r) && r.error === 'ENOENT';
}

/** nft's table list as text ("table inet filter" per line), which needs no JSON support. */
const NFT_TABLES = ['nft', 'list', 'tables'];

function nftOf(raw: RawView): { rules: ParsedRuleset } | { reason: string; missing?: true } {
  let read = nftRead.get(raw);
  if (!read) {
    const a = attempt(raw, NFT_LIST);
    if (!a.ok) read = { reason: a.reason, ...(isMissing(raw, NFT_LIST) ? { missing: true as const } : {}) };
    else {
      try {
        read = { rules: parseNftJson(a.stdout) };
      } catch (err) {
        read = { reason: (err as Error).message };
      }
    }
    nftRead.set(raw, read);
  }
  return read;
}

interface SaveRead {
  rules?: ParsedRuleset;
  text: string;
  failures: string[];
}

function readSavePair(raw: RawView, v4: string[] | null, v6: string[] | null, legacy: boolean): SaveRead {
  const skipped: Attempt = { ok: true, stdout: '' };
  const a4 = v4 ? attempt(raw, v4) : skipped;
  const a6 = v6 ? attempt(raw, v6) : skipped;
  if (a4.ok && (a6.ok || ipv6Unsupported(a6))) {
    const parts = [parseIptablesSave(a4.stdout, 'ip', { legacy })];
    if (a6.ok) parts.push(parseIptablesSave(a6.stdout, 'ip6', { legacy }));
    return { rules: merge(parts), text: a4.stdout + (a6.ok ? a6.stdout : ''), failures: [] };
  }
  const failures: string[] = [];
  if (!a4.ok) failures.push(a4.reason);
  // Half a ruleset would report IPv6 as wide open when it is merely unread.
  if (!a6.ok) failures.push(a4.ok ? `${a6.reason} (${v4?.[0]} worked, but IPv6 would be unknown)` : a6.reason);
  return { text: '', failures };
}

/**
 * The legacy x_tables rules, which nft cannot see but the kernel applies alongside nftables. Undefined when
 * there are none; throws when they exist but cannot be read, since a drop there would go unseen.
 */
function readLegacy(raw: RawView): ParsedRuleset | undefined {
  const present = legacyPresent(raw);
  if (!present.v4 && !present.v6) return undefined;
  const read = readSavePair(raw, present.v4 ? LEGACY_SAVE.v4 : null, present.v6 ? LEGACY_SAVE.v6 : null, true);
  if (read.rules) return read.rules;
  throw new Error(`cannot read the legacy iptables rules, which apply alongside nftables: ${read.failures.join('; ')}`);
}

function fact(backend: FirewallFact['backend'], r: ParsedRuleset): FirewallFact {
  return { backend, managers: r.managers, tables: r.tables, chains: r.chains };
}

/**
 * Settles `dormant` for tables whose JSON flags were unreadable. When even the text listing fails they stay
 * as read (not dormant): a table assumed to filter can make the verdict stricter than the kernel's, never
 * more open, and the reason names the table that decided.
 */
function settleFlags(raw: RawView, nft: ParsedRuleset): void {
  if (!nft.unreadableFlags) return;
  const listed = attempt(raw, NFT_LIST_TEXT);
  if (!listed.ok) return;
  const flags = parseNftTableFlags(listed.stdout);
  for (const table of nft.tables) {
    const f = flags.get(`${table.family} ${table.name}`);
    if (f && nft.unreadableFlags.includes(`${table.family} ${table.name}`)) table.dormant = f.includes('dormant');
  }
}

/** nftables read: add the legacy tables, which filter the same packets. */
function withLegacy(raw: RawView, nft: ParsedRuleset): FirewallFact {
  settleFlags(raw, nft);
  const legacy = readLegacy(raw);
  if (!legacy) return fact('nftables', nft);
  // The backend names where the base chains are; nftables when both have some.
  const backend = !hasBaseChain(nft.chains) && hasBaseChain(legacy.chains) ? 'iptables-legacy' : 'nftables';
  return fact(backend, merge([nft, legacy]));
}

/**
 * nft installed but unable to list the ruleset as JSON: iptables-save sees only iptables' own tables, so it may
 * stand in only when nft's plain table list shows no table beyond those. Otherwise a drop in a table nobody read
 * would go unseen, and the family says so instead of judging half a firewall.
 */
function unseenNftTables(raw: RawView, seen: ParsedRuleset, why: string): void {
  const listed = attempt(raw, NFT_TABLES);
  if (!listed.ok) throw new Error(`cannot read the nftables ruleset: ${why}; ${listed.reason}; iptables-save would not show nftables' own tables`);
  const known = new Set(seen.tables.map((t) => `${t.family} ${t.name}`));
  const unseen = listed.stdout
    .split('\n')
    .map((l) => /^table (\S+) (\S+)$/.exec(l.trim()))
    .flatMap((m) => (m ? [`${m[1]} ${m[2]}`] : []))
    .filter((t) => !known.has(t));
  if (unseen.length > 0) throw new Error(`cannot read the nftables ruleset: ${why}; nft lists tables iptables-save does not show (${unseen.join(', ')})`);
}

/** nft unusable: iptables-save, which shows one variant's tables (and the legacy ones when that is not it). */
function fromIptablesSave(raw: RawView, tried: string[], nftInstalled: boolean): FirewallFact {
  const save = readSavePair(raw, SAVE.v4, SAVE.v6, false);
  if (!save.rules) throw new Error(`cannot read the firewall ruleset: ${[...tried, ...save.failures].join('; ')}`);
  if (nftInstalled) unseenNftTables(raw, save.rules, tried.join('; '));
  // iptables-save names its variant in the header: "(nf_tables)" or "(legacy)"; 1.6 and older say nothing.
  const nftVariant = /^# Generated by ip6?tables-save v\S+ \(nf_tables\)/m.test(save.text);
  const anyHeader = /^# Generated by ip6?tables-save/m.test(save.text);
  if (anyHeader && !nftVariant) return fact('iptables-legacy', markLegacy(save.rules));
  if (!nftVariant) return fact('iptables', save.rules);
  const legacy = readLegacy(raw);
  return fact('iptables', legacy ? merge([save.rules, legacy]) : save.rules);
}

export const firewallFamily: FamilyModule<{ timeoutMs: number }, FirewallFact> = {
  name: 'firewall',
  needs: ({ timeoutMs }) => [
    { op: 'run', argv: NFT_LIST, timeoutMs },
    { op: 'read', path: LEGACY_NAMES.v4 },
    { op: 'read', path: LEGACY_NAMES.v6 },
  ],
  next: ({ timeoutMs }, raw) => {
    const nft = nftOf(raw);
    const present = legacyPresent(raw);
    const argvs: string[][] = [];
    if ('rules' in nft) {
      if (nft.rules.unreadableFlags) argvs.push(NFT_LIST_TEXT);
    } else argvs.push(SAVE.v4, SAVE.v6, ...('missing' in nft ? [] : [NFT_TABLES]));
    if (present.v4) argvs.push(LEGACY_SAVE.v4);
    if (present.v6) argvs.push(LEGACY_SAVE.v6);
    return argvs.map((argv): RawRequest => ({ op: 'run', argv, timeoutMs }));
  },
  parse: (_, raw) => {
    const nft = nftOf(raw);
    return 'rules' in nft ? withLegacy(raw, nft.rules) : fromIptablesSave(raw, [nft.reason], !('missing' in nft));
  },
};

// What the firewall readers share: a parsed ruleset, one rule's summary, and the front-ends recognised by name.
import type { FirewallChain, FirewallRuleVerdict, FirewallTable } from '../../model.js';

export interface ParsedRuleset {
  tables: FirewallTable[];
  chains: FirewallChain[];
  managers: string[];
  /** nft tables whose JSON flags could not be read (see nftTableFlags), as "family name". */
  unreadableFlags?: string[];
}

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

export function detectManagers(tables: Iterable<string>, chains: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const t of tables) for (const [re, m] of TABLE_MANAGERS) if (re.test(t)) found.add(m);
  for (const c of chains) for (const [re, m] of CHAIN_MANAGERS) if (re.test(c)) found.add(m);
  return [...found].sort();
}

// iptables-nft keeps what it cannot translate as `xt`, and iptables-save prints targets: in both a target is the
// rule's action, never a condition. NFQUEUE (and the old QUEUE) hand the packet to a userspace program and end the chain.
export const XT_VERDICT: Record<string, FirewallRuleVerdict> = {
  ACCEPT: 'accept',
  DROP: 'drop',
  REJECT: 'reject',
  RETURN: 'return',
  NFQUEUE: 'queue',
  QUEUE: 'queue',
};

export type IpTableFamily = 'ip' | 'ip6';
export const BOTH: readonly IpTableFamily[] = ['ip', 'ip6'];

export interface Summary {
  unconditional: boolean;
  /** The rule's only condition is this family (see FirewallRule.family). */
  family?: IpTableFamily;
  verdict: FirewallRuleVerdict;
  target?: string;
}

export const chainKey = (family: string, table: string, name: string): string => `${family}\u0000${table}\u0000${name}`;

export const hasBaseChain = (chains: FirewallChain[]): boolean => chains.some((c) => c.hook !== undefined);

export function merge(parts: ParsedRuleset[]): ParsedRuleset {
  return {
    tables: parts.flatMap((p) => p.tables),
    chains: parts.flatMap((p) => p.chains),
    managers: [...new Set(parts.flatMap((p) => p.managers))].sort(),
  };
}

export function markLegacy(r: ParsedRuleset): ParsedRuleset {
  return {
    tables: r.tables.map((x) => ({ ...x, legacy: true as const })),
    chains: r.chains.map((c) => ({ ...c, legacy: true as const })),
    managers: r.managers,
  };
}

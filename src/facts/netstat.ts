// Kernel network counters from /proc/net/netstat (TcpExt, IpExt, ...) and /proc/net/snmp (Ip, Tcp, Udp, ...).
// Both files use the same layout: per section a header line of names, then a line of values.

import type { FamilyError, NetstatFact } from './model.js';
import type { Transport } from '../transport/types.js';

export function parseNetstat(text: string, into: NetstatFact = {}): NetstatFact {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = /^(\w+):\s+(.*)$/.exec(lines[i] as string);
    if (!head) continue;
    const section = head[1] as string;
    const next = lines[i + 1] as string;
    if (!next.startsWith(`${section}:`)) continue;
    const names = (head[2] as string).trim().split(/\s+/);
    const values = next.slice(section.length + 1).trim().split(/\s+/);
    // A header whose fields are numbers is a value line seen out of step; pairing must restart on it.
    if (names.every((n) => /^-?\d+$/.test(n))) continue;
    const target = (into[section] ??= {});
    names.forEach((n, k) => {
      const v = Number(values[k]);
      if (values[k] !== undefined && Number.isFinite(v)) target[n] = v;
    });
    i++;
  }
  return into;
}

export async function collectNetstat(t: Transport): Promise<NetstatFact> {
  const files = ['/proc/net/netstat', '/proc/net/snmp'];
  const texts = await Promise.all(files.map((f) => t.readFile(f).then((s) => s, (e: Error) => e)));
  const errors = texts.filter((x): x is Error => x instanceof Error);
  // One file alone still answers most checks; only when both are unreadable is the family lost.
  if (errors.length === files.length) throw new Error(`cannot read ${files.join(' or ')}: ${errors[0]?.message}`);
  const fact: NetstatFact = {};
  for (const x of texts) if (typeof x === 'string') parseNetstat(x, fact);
  return fact;
}

/** Counters computed from others, so policies can judge rates independent of uptime. */
export const DERIVED_COUNTERS = ['RetransRatio', 'ListenOverflowRatio'] as const;

// Bare names are resolved in TcpExt first: that is where the listen-queue counters policies ask about live.
const PREFERRED_SECTION = 'TcpExt';

function get(fact: NetstatFact, section: string, name: string): number | FamilyError {
  const s = fact[section];
  if (!s) return { error: `netstat section ${section} was not collected` };
  const v = s[name];
  return v === undefined ? { error: `netstat counter ${section}.${name} is not reported by this kernel` } : v;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

function suggest(fact: NetstatFact, name: string): string[] {
  const want = name.toLowerCase();
  const wantBare = want.includes('.') ? want.slice(want.indexOf('.') + 1) : want;
  const all = [...DERIVED_COUNTERS, ...Object.entries(fact).flatMap(([s, c]) => Object.keys(c).map((n) => `${s}.${n}`))];
  const scored = all
    .map((full) => {
      const f = full.toLowerCase();
      const bare = f.includes('.') ? f.slice(f.indexOf('.') + 1) : f;
      const d = Math.min(editDistance(want, f), editDistance(wantBare, bare));
      const contains = bare.includes(wantBare) || (bare.length >= 4 && wantBare.includes(bare));
      return { full, score: contains ? Math.min(d, 1) : d };
    })
    .filter((x) => x.score <= Math.max(2, Math.floor(wantBare.length / 4)))
    .sort((a, b) => a.score - b.score || a.full.localeCompare(b.full));
  return scored.slice(0, 5).map((x) => x.full);
}

function unknown(fact: NetstatFact, name: string): FamilyError {
  const close = suggest(fact, name);
  return { error: `unknown netstat counter "${name}"${close.length ? `; did you mean ${close.join(', ')}?` : ''}` };
}

/**
 * One counter by name: "ListenOverflows" (bare names look in TcpExt first, then any one section that has it),
 * "Section.Counter", or a derived ratio (RetransRatio, ListenOverflowRatio).
 */
export function netstatCounter(fact: NetstatFact, name: string): number | FamilyError {
  if (name === 'RetransRatio') {
    const retrans = get(fact, 'Tcp', 'RetransSegs');
    const out = get(fact, 'Tcp', 'OutSegs');
    if (typeof retrans !== 'number') return retrans;
    if (typeof out !== 'number') return out;
    return out === 0 ? 0 : retrans / out;
  }
  if (name === 'ListenOverflowRatio') {
    const overflows = get(fact, 'TcpExt', 'ListenOverflows');
    const passive = get(fact, 'Tcp', 'PassiveOpens');
    if (typeof overflows !== 'number') return overflows;
    if (typeof passive !== 'number') return passive;
    return overflows / Math.max(passive, 1);
  }
  const dot = name.indexOf('.');
  if (dot > 0) {
    const section = name.slice(0, dot);
    const counter = name.slice(dot + 1);
    const v = fact[section]?.[counter];
    return v !== undefined ? v : unknown(fact, name);
  }
  const preferred = fact[PREFERRED_SECTION]?.[name];
  if (preferred !== undefined) return preferred;
  const holders = Object.keys(fact).filter((s) => fact[s]?.[name] !== undefined);
  if (holders.length === 1) return fact[holders[0] as string]?.[name] as number;
  if (holders.length > 1) {
    return { error: `netstat counter "${name}" is ambiguous; name the section: ${holders.map((s) => `${s}.${name}`).join(', ')}` };
  }
  return unknown(fact, name);
}

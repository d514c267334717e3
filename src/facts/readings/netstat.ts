// Pure readings of the kernel's network counters: one counter by name, derived ratios, suggestions for typos.
import type { FamilyError, NetstatFact } from '../model.js';
import { editDistance } from '../../lib/did-you-mean.js';

/** Counters computed from others, so policies can judge rates independent of uptime. */
const DERIVED_COUNTERS = ['RetransRatio', 'ListenOverflowRatio'] as const;

// Bare names are resolved in TcpExt first: that is where the listen-queue counters policies ask about live.
const PREFERRED_SECTION = 'TcpExt';

function get(fact: NetstatFact, section: string, name: string): number | FamilyError {
  const s = fact[section];
  if (!s) return { error: `netstat section ${section} was not collected` };
  const v = s[name];
  return v === undefined ? { error: `netstat counter ${section}.${name} is not reported by this kernel` } : v;
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

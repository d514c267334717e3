// The effective firewall verdict: a pure reading of the firewall facts that evaluation uses.
import type { FirewallChain, FirewallFact, FirewallVerdict } from '../model.js';

export interface EffectivePolicy {
  verdict: FirewallVerdict;
  chains: string[];
  reason: string;
}

const label = (c: FirewallChain): string => `${c.family} ${c.table}/${c.name}`;

function chainVerdict(c: FirewallChain): { verdict: FirewallVerdict; why: string } {
  const policy = c.policy ?? 'accept';
  // An unconditional last rule catches every packet that got that far, so the policy is never reached.
  if (c.finalVerdict && c.finalVerdict !== policy) {
    return { verdict: c.finalVerdict, why: `${label(c)} policy ${policy}, but its last rule ${verdictVerb(c.finalVerdict)} everything` };
  }
  if (c.finalVerdict) return { verdict: c.finalVerdict, why: `${label(c)} policy ${policy}, last rule ${verdictVerb(c.finalVerdict)} everything` };
  return { verdict: policy, why: `${label(c)} policy ${policy}` };
}

function verdictVerb(v: FirewallVerdict): string {
  return v === 'accept' ? 'accepts' : v === 'drop' ? 'drops' : 'rejects';
}

const FAMILY_NAME = { ip: 'IPv4', ip6: 'IPv6' } as const;

function policyFor(fact: FirewallFact, hook: string, family: 'ip' | 'ip6'): EffectivePolicy {
  const onHook = fact.chains
    .filter((c) => c.hook === hook && c.type === 'filter' && (c.family === family || c.family === 'inet'))
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  if (onHook.length === 0) {
    const other = fact.chains.filter((c) => c.hook === hook && c.type === 'filter' && (c.family === 'ip' || c.family === 'ip6'));
    if (other.length === 0) {
      return { verdict: 'accept', chains: [], reason: `no firewall: no base chain on the ${hook} hook, the kernel accepts everything` };
    }
    return {
      verdict: 'accept',
      chains: [],
      reason: `no ${FAMILY_NAME[family]} base chain on the ${hook} hook: the kernel accepts all ${FAMILY_NAME[family]} packets (${other.map(label).join(', ')} covers the other family only)`,
    };
  }
  const judged = onHook.map((c) => ({ chain: c, ...chainVerdict(c) }));
  // A packet must pass every base chain on the hook: an accept only ends the current chain, a drop ends the packet.
  const blocking = judged.filter((j) => j.verdict !== 'accept');
  if (blocking.length > 0) {
    // The earliest chain (lowest priority) to block decides whether the sender hears a reject or nothing.
    return { verdict: blocking[0]!.verdict, chains: blocking.map((j) => label(j.chain)), reason: blocking.map((j) => j.why).join('; ') };
  }
  return { verdict: 'accept', chains: judged.map((j) => label(j.chain)), reason: judged.map((j) => j.why).join('; ') };
}

const STRENGTH: Record<FirewallVerdict, number> = { accept: 0, reject: 1, drop: 2 };

/**
 * What happens, by default, to a packet on `hook` that no rule explicitly lets through. `inet` asks for both
 * IPv4 and IPv6 and answers with the weaker of the two: a host open over IPv6 is open.
 */
export function effectivePolicy(fact: FirewallFact, hook: 'input' | 'forward' | 'output', family: 'ip' | 'ip6' | 'inet'): EffectivePolicy {
  if (family !== 'inet') return policyFor(fact, hook, family);
  const v4 = policyFor(fact, hook, 'ip');
  const v6 = policyFor(fact, hook, 'ip6');
  if (v4.verdict === v6.verdict && v4.reason === v6.reason) return v4;
  const weaker = STRENGTH[v6.verdict] < STRENGTH[v4.verdict] ? v6 : v4;
  return {
    verdict: weaker.verdict,
    chains: [...new Set([...v4.chains, ...v6.chains])],
    reason: `IPv4: ${v4.reason}; IPv6: ${v6.reason}`,
  };
}

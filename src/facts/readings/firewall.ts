// The effective firewall verdict: what the kernel does to a packet that no allow rule matches. A pure reading
// of the firewall facts that evaluation uses.
//
// The packet is imagined to match no conditional rule at all (no port, address, interface, state or rate
// match), so only unconditional rules act on it: the first one with a final verdict decides its chain, jumps
// and gotos are followed, and the policy applies only when it falls off the end of the base chain. A packet is
// of one family, so a rule whose only condition is that family is unconditional for it, and a rule of the
// other family never matches it.
//
// A packet passes more than one hook: inbound ones prerouting before input (or forward, then postrouting),
// outbound ones output then postrouting. It must pass every filtering base chain on each.
import type { FirewallChain, FirewallFact, FirewallRule, FirewallVerdict } from '../model.js';

export interface EffectivePolicy {
  verdict: FirewallVerdict;
  /** The base chains whose verdict this is: the blocking ones on any hook the packet passes, or every accepting one on the hook asked about. */
  chains: string[];
  /** Which rule or policy decided, in each of those chains, and how the packet got there. */
  reason: string;
}

interface Decision {
  verdict: FirewallVerdict;
  why: string;
  /** The verdict came by conditional returns in `chain`; the packets none of them returns get `others`. */
  caveat?: { chain: string; rules: number[]; others: FirewallVerdict };
}

const label = (c: FirewallChain): string => `${c.family} ${c.table}/${c.name}${c.legacy ? ' (iptables-legacy)' : ''}`;

const VERB: Record<FirewallVerdict, string> = { accept: 'accepts', drop: 'drops', reject: 'rejects' };

const ruleName = (r: FirewallRule): string => `rule ${r.position}${r.handle === undefined ? '' : ` (handle ${r.handle})`}`;

const key = (legacy: boolean | undefined, family: string, table: string, name: string): string =>
  `${legacy ? 'x' : 'n'}\u0000${family}\u0000${table}\u0000${name}`;

const chainKeyOf = (c: FirewallChain): string => key(c.legacy, c.family, c.table, c.name);

type IpTableFamily = 'ip' | 'ip6';

// The kernel refuses rulesets that loop and limits how deep jumps nest; these only keep a malformed or
// hand-written snapshot from walking forever.
const MAX_DEPTH = 64;
const MAX_STEPS = 100_000;

interface Frame {
  chain: FirewallChain;
  /** Index of the next rule to run. */
  next: number;
  /** Chains this frame has passed through by goto (a goto replaces the chain without returning). */
  entered: string[];
  /** Length of the trail when this frame was suspended by a jump. */
  trailLength: number;
}

/** Where the packet is: the current chain, the callers a jump will return to, and how it got here. */
interface State {
  stack: Frame[];
  cur: Frame;
  /** "jump from X rule N" / "goto from X rule N", outermost first, for the chains the packet is still in. */
  trail: string[];
  notes: string[];
}

const copyFrame = (f: Frame): Frame => ({ ...f, entered: [...f.entered] });
const copyState = (s: State): State => ({ stack: s.stack.map(copyFrame), cur: copyFrame(s.cur), trail: [...s.trail], notes: [...s.notes] });
const frameSignature = (f: Frame): string => `${f.entered.join('\u0001')}@${f.next}`;

const STRENGTH: Record<FirewallVerdict, number> = { accept: 0, reject: 1, drop: 2 };
const PAST: Record<FirewallVerdict, string> = { accept: 'accepted', drop: 'dropped', reject: 'rejected' };

/**
 * Follows an unmatched packet through one base chain and the user chains it jumps or goes to.
 *
 * One kind of conditional rule is not skipped: a `return`. It sends the packets it matches back to the caller
 * unjudged, and the usual ones match every packet to this host (ufw-not-local returns anything addressed to a
 * local address before it drops the rest). Both ways are followed and the weaker verdict is the answer: some
 * packets get through that way.
 */
class Walk {
  private steps = 0;
  private readonly escapes = new Map<string, Decision>();

  constructor(
    private readonly base: FirewallChain,
    private readonly chains: Map<string, FirewallChain>,
    /** The packet's family: rules of the other family never match it. */
    private readonly family: IpTableFamily,
  ) {}

  run(): Decision {
    const start: Frame = { chain: this.base, next: 0, entered: [chainKeyOf(this.base)], trailLength: 0 };
    const d = this.from({ stack: [], cur: start, trail: [], notes: [] });
    if (!d.caveat) return d;
    const { chain, rules, others } = d.caveat;
    const which = rules.length === 1 ? `rule ${rules[0]} returns` : `rules ${rules.join(', ')} return`;
    return { verdict: d.verdict, why: `${d.why}, for the packets ${chain} ${which} (the others are ${PAST[others]})` };
  }

  private from(s: State): Decision {
    while (this.steps++ < MAX_STEPS) {
      const rule = s.cur.chain.rules[s.cur.next];
      if (!rule) {
        const done = this.leave(s);
        if (done) return done;
        continue;
      }
      s.cur.next++;
      if (rule.family !== undefined && rule.family !== this.family) continue;
      if (rule.unconditional || rule.family === this.family) {
        const decided = this.apply(s, rule);
        if (decided) return decided;
      } else if (rule.verdict === 'return') {
        return this.branch(s, rule);
      }
    }
    s.notes.push('the walk was cut short');
    return this.policy(s);
  }

  /** A conditional return: the packets it matches leave the chain, the others go on. */
  private branch(s: State, rule: FirewallRule): Decision {
    const chain = s.cur.chain.name;
    const escaped = this.escape(s);
    const stayed = this.from(s);
    if (STRENGTH[stayed.verdict] < STRENGTH[escaped.verdict]) return stayed;
    // Worth a word only when some packets pass and others do not; reject or drop both block.
    if (escaped.verdict === 'accept' && stayed.verdict !== 'accept') return { ...escaped, caveat: { chain, rules: [rule.position], others: stayed.verdict } };
    // Passing either way, unless a later return of this chain split it: then this rule joins that one.
    const later = stayed.caveat;
    if (escaped.verdict === stayed.verdict && later && later.chain === chain)
      return { ...escaped, caveat: { ...later, rules: [rule.position, ...later.rules] } };
    return escaped;
  }

  private escape(s: State): Decision {
    const sig = [...s.stack.map(frameSignature)].join('|');
    const known = this.escapes.get(sig);
    if (known) return known;
    const t = copyState(s);
    const decided = this.leave(t) ?? this.from(t);
    this.escapes.set(sig, decided);
    return decided;
  }

  private apply(s: State, rule: FirewallRule): Decision | undefined {
    switch (rule.verdict) {
      case 'accept':
      case 'drop':
      case 'reject':
        return { verdict: rule.verdict, why: said(s, `${label(s.cur.chain)} ${ruleName(rule)} ${VERB[rule.verdict]} ${everything(rule)}${reached(s)}`) };
      // The program reading the queue decides, and may let packets through: for "is the default closed" that
      // is an accept, said as what it is.
      case 'queue':
        return {
          verdict: 'accept',
          why: said(
            s,
            `${label(s.cur.chain)} ${ruleName(rule)} queues ${everything(rule)} to userspace${reached(s)} (the program decides; counted as accept: packets may pass)`,
          ),
        };
      case 'return':
        return this.leave(s, rule);
      case 'jump':
      case 'goto':
        this.transfer(s, rule);
        return undefined;
      default:
        return undefined;
    }
  }

  /** The packet leaves the current chain (its end, or a return): back to the caller, or the base policy. */
  private leave(s: State, by?: FirewallRule): Decision | undefined {
    const up = s.stack.pop();
    if (!up) {
      if (by) s.notes.push(`${ruleName(by)} returns to the policy`);
      return this.policy(s);
    }
    s.trail.length = up.trailLength;
    s.cur = up;
    return undefined;
  }

  private transfer(s: State, rule: FirewallRule): void {
    const from = s.cur.chain;
    const target = rule.target === undefined ? undefined : this.chains.get(key(from.legacy, from.family, from.table, rule.target));
    if (!target) {
      s.notes.push(`${from.name} ${ruleName(rule)} is a ${rule.verdict} to ${rule.target ?? 'an unnamed chain'}, which is not in the ruleset; ignored`);
      return;
    }
    const targetKey = chainKeyOf(target);
    const active = [...s.stack, s.cur].some((f) => f.entered.includes(targetKey));
    if (active || (rule.verdict === 'jump' && s.stack.length >= MAX_DEPTH)) {
      s.notes.push(`${from.name} ${ruleName(rule)} ${rule.verdict} to ${target.name} would loop; ignored`);
      return;
    }
    const step = `${rule.verdict} from ${from.name} ${ruleName(rule)}`;
    if (rule.verdict === 'jump') {
      s.stack.push({ ...s.cur, trailLength: s.trail.length });
      s.cur = { chain: target, next: 0, entered: [targetKey], trailLength: 0 };
    } else {
      // A goto does not come back here: falling off the target returns to whoever called this chain.
      s.cur = { ...s.cur, chain: target, next: 0, entered: [...s.cur.entered, targetKey] };
    }
    s.trail.push(step);
  }

  private policy(s: State): Decision {
    const policy = this.base.policy ?? 'accept';
    return { verdict: policy, why: said(s, `${label(this.base)} policy ${policy}`) };
  }
}

/** "everything", or "every IPv4 packet" for a rule whose only condition is the family. */
function everything(rule: FirewallRule): string {
  return rule.family === undefined ? 'everything' : `every ${FAMILY_NAME[rule.family]} packet`;
}

function reached(s: State): string {
  return s.trail.length === 0 ? '' : `, reached by ${[...s.trail].reverse().join(', ')}`;
}

function said(s: State, why: string): string {
  return s.notes.length === 0 ? why : `${why} (${s.notes.join('; ')})`;
}

function chainMap(fact: FirewallFact): Map<string, FirewallChain> {
  return new Map(fact.chains.map((c) => [chainKeyOf(c), c]));
}

const tableKey = (legacy: boolean | undefined, family: string, name: string): string => `${legacy ? 'x' : 'n'}\u0000${family}\u0000${name}`;

function dormantTables(fact: FirewallFact): Set<string> {
  // Snapshots written before tables were recorded have none: nothing is dormant there.
  return new Set((fact.tables ?? []).filter((t) => t.dormant).map((t) => tableKey(t.legacy, t.family, t.name)));
}

const FAMILY_NAME = { ip: 'IPv4', ip6: 'IPv6' } as const;

type Hook = 'input' | 'forward' | 'output';

/** The hooks a packet of each kind passes, in order; each of them can drop it. */
const PATH: Record<Hook, readonly string[]> = {
  input: ['prerouting', 'input'],
  forward: ['prerouting', 'forward', 'postrouting'],
  output: ['output', 'postrouting'],
};

/**
 * A base chain that filters: type filter, and type route on output (iptables' mangle OUTPUT), which re-routes
 * what it marks but filters like a filter chain. nat chains see only a connection's first packet.
 */
const filters = (c: FirewallChain): boolean => c.type === 'filter' || (c.type === 'route' && c.hook === 'output');

function dormantNote(dormant: FirewallChain[]): string {
  if (dormant.length === 0) return '';
  const tables = [...new Set(dormant.map((c) => `${c.family} ${c.table}`))];
  return ` (${tables.join(', ')} ${tables.length === 1 ? 'is' : 'are'} dormant: ${tables.length === 1 ? 'it filters' : 'they filter'} nothing)`;
}

interface Judged extends Decision {
  chain: FirewallChain;
}

function policyFor(fact: FirewallFact, hook: Hook, family: IpTableFamily): EffectivePolicy {
  const dormant = dormantTables(fact);
  const isDormant = (c: FirewallChain): boolean => dormant.has(tableKey(c.legacy, c.family, c.table));
  const path = PATH[hook];
  const step = (c: FirewallChain): number => path.indexOf(c.hook ?? '');
  const hooked = fact.chains.filter((c) => step(c) >= 0 && filters(c) && (c.family === family || c.family === 'inet'));
  const note = dormantNote(hooked.filter(isDormant));
  // In the order the packet meets them: hook by hook, and by priority on each.
  const live = hooked.filter((c) => !isDormant(c)).sort((a, b) => step(a) - step(b) || (a.priority ?? 0) - (b.priority ?? 0));
  const chains = chainMap(fact);
  const judged: Judged[] = live.map((c) => ({ chain: c, ...new Walk(c, chains, family).run() }));
  // On another hook than the one asked about, the reason says which.
  const why = (j: Judged): string => (j.chain.hook === hook ? j.why : `${j.chain.hook} hook: ${j.why}`);
  // A packet must pass every base chain on its way: an accept only ends the current chain, a drop ends the packet.
  const blocking = judged.filter((j) => j.verdict !== 'accept');
  if (blocking.length > 0) {
    // The first chain to block decides whether the sender hears a reject or nothing.
    return { verdict: blocking[0]!.verdict, chains: blocking.map((j) => label(j.chain)), reason: blocking.map(why).join('; ') + note };
  }
  // Nothing blocks: the chains on the hook asked about say why it accepts.
  const onHook = judged.filter((j) => j.chain.hook === hook);
  if (onHook.length > 0) return { verdict: 'accept', chains: onHook.map((j) => label(j.chain)), reason: onHook.map(why).join('; ') + note };
  const other = fact.chains.filter((c) => c.hook === hook && filters(c) && !isDormant(c) && (c.family === 'ip' || c.family === 'ip6'));
  if (other.length > 0) {
    const names = other.map(label);
    return {
      verdict: 'accept',
      chains: [],
      reason: `no ${FAMILY_NAME[family]} base chain on the ${hook} hook: the kernel accepts all ${FAMILY_NAME[family]} packets (${names.join(', ')} ${names.length === 1 ? 'covers' : 'cover'} the other family only)${note}`,
    };
  }
  if (judged.length > 0) {
    return { verdict: 'accept', chains: [], reason: `no base chain on the ${hook} hook, the kernel accepts everything (${judged.map(why).join('; ')})${note}` };
  }
  return { verdict: 'accept', chains: [], reason: `no firewall: no base chain on the ${hook} hook, the kernel accepts everything${note}` };
}

/**
 * What happens, by default, to a packet on `hook` that no rule explicitly lets through, on its whole way: an
 * inbound packet passes prerouting before input or forward (and a forwarded one postrouting after), an
 * outbound one postrouting after output. `inet` asks for both IPv4 and IPv6 and answers with the weaker of
 * the two: a host open over IPv6 is open.
 */
export function effectivePolicy(fact: FirewallFact, hook: Hook, family: IpTableFamily | 'inet'): EffectivePolicy {
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

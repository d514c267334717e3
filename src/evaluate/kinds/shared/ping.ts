// A ping of the `icmp` family, found by its plan key, for the icmp and mtu kinds: the fact, or the outcome that
// says why there is none (the family or the ping missing from the snapshot, ICMP that cannot be sent from the
// host, a ping that sent nothing), and what a sent ping showed, in the words both kinds give it.
import type { FactsSnapshot, PingFact, PingSent } from '../../../facts/model.js';
import type { PingTarget } from '../../../plan/model.js';
import { pingKey } from '../../../plan/pings.js';
import type { Outcome } from '../../outcome.js';
import { errorOutcome, family } from '../../outcome.js';
import type { Reason } from '../../reasons.js';

export type Pinged = { ok: true; value: PingSent } | { ok: false; outcome: Outcome };

/** A sent ping, or the outcome of one that is missing or sent nothing (an error, or a failure where the host has no way there). */
export function sentPing(p: Omit<PingTarget, 'key'>, facts: FactsSnapshot, expected: string): Pinged {
  const fam = family(facts, 'icmp', expected);
  if (!fam.ok) return fam;
  const key = pingKey(p);
  const f: PingFact | undefined = fam.value.pings[key];
  if (f === undefined) return { ok: false, outcome: errorOutcome(expected, { code: 'fact-missing', family: 'icmp', at: key }) };
  if (f.outcome === 'sent') return { ok: true, value: f };
  if (f.outcome === 'refused') return { ok: false, outcome: errorOutcome(expected, { code: 'target-refused', address: f.address, network: f.network }) };
  if (f.outcome === 'cannot-send') {
    const { outcome: _, ...why } = f;
    return { ok: false, outcome: errorOutcome(expected, { code: 'icmp-cannot-send', host: p.host, ...why }) };
  }
  if (f.why === 'name-unresolved') return { ok: false, outcome: errorOutcome(expected, { code: 'icmp-unresolved', host: p.host, message: f.message }) };
  // No route, or a name that does not exist: what any packet from this host there meets.
  const reason: Reason = { code: 'icmp-not-sent', host: p.host, why: f.why, message: f.message };
  return { ok: false, outcome: { status: 'fail', expected, actual: `nothing sent (${f.message})`, reason } };
}

/** The ICMP errors that came back instead of replies, as a reason carries them. */
export function unreachableOf(f: PingSent): Array<{ kind: string; from: string; count: number; text: string }> {
  return (f.unreachable ?? []).map(({ kind, from, count, text }) => ({ kind, from, count, text }));
}

/** What a sent ping showed, as ping sums it up (its "+N errors" said without the plus). */
export function pingActual(f: PingSent): string {
  const errors = f.errors ? `, ${f.errors} error${f.errors === 1 ? '' : 's'}` : '';
  const base = `${f.transmitted} sent, ${f.received} received${errors}, ${f.lossPercent}% loss`;
  const back = (f.unreachable ?? []).map((u) => `${u.text} from ${u.from}${u.count > 1 ? ` (${u.count})` : ''}`);
  return back.length ? `${base}; ${back.join('; ')}` : base;
}

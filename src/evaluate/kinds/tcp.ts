// The `tcp` kind, judged: what a TCP connect met, per address, with its latency. Pure: the facts come from
// the snapshot's `probes` family, keyed as the plan keys them.
import type { Matcher, TcpSelector } from '../../policy/model.js';
import type { FactsSnapshot, TcpAddressFact, TcpFact } from '../../facts/model.js';
import { hostKey } from '../../plan/plan.js';
import { tcpProbeKey } from '../../plan/probe-keys.js';
import { about, describe, inUnit, match } from '../matchers.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import type { ResultDetail } from '../model.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { probeFact, errorArgs, ms, clockNote, refusedOutcome } from './shared/probe-fact.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';

type TcpExpect = ExpectOf<'tcp'>;

const LATENCY_FIELDS = { p50: 'p50Ms', p95: 'p95Ms', max: 'maxMs' } as const;

function tcpExpected(e: TcpExpect): string {
  const parts: string[] = [];
  if (e.connect !== undefined) parts.push(`connect ${Array.isArray(e.connect) ? `one of ${e.connect.join(', ')}` : e.connect}`);
  for (const [k, m] of Object.entries(e.latencyMs ?? {})) parts.push(`latency ${k} ${describe(m as Matcher)} ms`);
  return parts.join(', ');
}

function tcpActual(a: TcpAddressFact): string {
  if (a.connect !== 'open') return `${a.connect}${a.error ? ` (${a.error.reason})` : ''}`;
  const l = a.latency;
  if (!l) return 'open';
  const stopped = a.stopped ? ` (${a.stopped.reason})` : '';
  return l.count === 1 && !a.stopped
    ? `open in ${ms(l.maxMs)}`
    : `open, p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, max ${ms(l.maxMs)} over ${l.count} connects${stopped}`;
}

function tcpAddress(a: TcpAddressFact, port: number, e: TcpExpect): ResultDetail & { whys: Reason[] } {
  const whys: Reason[] = [];
  if (e.connect !== undefined) {
    const allowed = Array.isArray(e.connect) ? e.connect : [e.connect];
    if (!allowed.includes(a.connect)) whys.push({ code: 'connect-verdict', verdict: a.connect, wanted: allowed, ...(a.error ? { why: a.error.reason } : {}) });
  }
  for (const [k, m] of Object.entries(e.latencyMs ?? {})) {
    const field = LATENCY_FIELDS[k as keyof typeof LATENCY_FIELDS];
    if (!field) continue;
    if (!a.latency) {
      whys.push({ code: 'no-connect', percentile: k, verdict: a.connect });
      continue;
    }
    whys.push(...inUnit('ms', about(`latency ${k}`, match(a.latency[field], m as Matcher).failures)));
  }
  const subject = `${a.family === 6 ? `[${a.address}]` : a.address}:${port}`;
  return { subject, status: whys.length ? 'fail' : 'pass', actual: tcpActual(a), whys };
}

function evaluateTcpProbe(spec: TcpSelector, e: TcpExpect, facts: FactsSnapshot): Outcome {
  const expected = tcpExpected(e);
  const f = probeFact<TcpFact>(tcpProbeKey(spec), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const endpoint = `${hostKey(spec.host)}:${spec.port}`;
  if (fact.error)
    return refusedOutcome(fact.error, expected, endpoint) ?? errorOutcome(expected, { code: 'probe-failed', at: endpoint, ...errorArgs(fact.error) });
  if (fact.addresses.length === 0) return errorOutcome(expected, { code: 'no-address', at: endpoint });
  const judged = fact.addresses.map((a) => tcpAddress(a, spec.port, e));
  const details: ResultDetail[] = judged.map(({ subject, status, actual }) => ({ subject, status, actual }));
  const actual = judged.map((d) => (judged.length === 1 ? d.actual : `${d.subject} ${d.actual}`)).join('; ');
  const failed = judged.filter((d) => d.status === 'fail');
  const note = e.latencyMs !== undefined ? clockNote(fact.clock) : [];
  const notes = note.length ? { notes: note } : {};
  // Each failing address's findings, the first said after the address.
  const whys = together(failed.flatMap((d) => d.whys.map((w, i) => (i === 0 ? { ...w, where: d.subject } : w))));
  if (whys) return { status: 'fail', expected, actual, reason: { ...whys, ...notes }, details };
  return { status: 'pass', expected, actual, reason: { code: 'matched', at: endpoint, seen: actual, ...notes }, details };
}

// ---------------------------------------------------------------------------------------------------------
// DNS

export function evaluate(c: CheckOf<'tcp'>, facts: FactsSnapshot): Outcome {
  return evaluateTcpProbe(c.selector.spec, c.expect, facts);
}

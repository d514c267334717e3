// The `tcp` kind, judged: what a TCP connect met, per address, with its latency. Pure: the facts come from
// the snapshot's `probes` family, keyed as the plan keys them.
import type { Matcher, TcpSelector } from '../../policy/model.js';
import type { FactsSnapshot, TcpAddressFact, TcpFact } from '../../facts/model.js';
import { hostKey } from '../../plan/plan.js';
import { tcpProbeKey } from '../../plan/probe-keys.js';
import { describe, match } from '../matchers.js';
import type { ResultDetail } from '../model.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { probeFact, reasonOf, ms, clockNote } from './shared/probe-fact.js';
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

function tcpAddress(a: TcpAddressFact, port: number, e: TcpExpect): ResultDetail & { whys: string[] } {
  const whys: string[] = [];
  if (e.connect !== undefined) {
    const allowed = Array.isArray(e.connect) ? e.connect : [e.connect];
    if (!allowed.includes(a.connect)) whys.push(`is ${a.connect}, not ${allowed.join(' or ')}${a.error ? ` (${a.error.reason})` : ''}`);
  }
  for (const [k, m] of Object.entries(e.latencyMs ?? {})) {
    const field = LATENCY_FIELDS[k as keyof typeof LATENCY_FIELDS];
    if (!field) continue;
    if (!a.latency) {
      whys.push(`latency ${k}: no connect succeeded (${a.connect})`);
      continue;
    }
    const r = match(a.latency[field], m as Matcher);
    if (!r.ok) whys.push(`latency ${k} ${r.why} ms`);
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
  if (fact.error) return errorOutcome(expected, `${endpoint}: ${reasonOf(fact.error)}`);
  if (fact.addresses.length === 0) return errorOutcome(expected, `${endpoint}: no address to connect to`);
  const judged = fact.addresses.map((a) => tcpAddress(a, spec.port, e));
  const details: ResultDetail[] = judged.map(({ subject, status, actual }) => ({ subject, status, actual }));
  const actual = judged.map((d) => (judged.length === 1 ? d.actual : `${d.subject} ${d.actual}`)).join('; ');
  const failed = judged.filter((d) => d.status === 'fail');
  const note = e.latencyMs !== undefined ? clockNote(fact.clock) : '';
  if (failed.length) {
    return { status: 'fail', expected, actual, message: `${failed.map((d) => `${d.subject} ${d.whys.join('; ')}`).join('; ')}${note}`, details };
  }
  return { status: 'pass', expected, actual, message: `${endpoint}: ${actual}${note}`, details };
}

// ---------------------------------------------------------------------------------------------------------
// DNS

export function evaluate(c: CheckOf<'tcp'>, facts: FactsSnapshot): Outcome {
  return evaluateTcpProbe(c.selector.spec, c.expect, facts);
}

// The `limits` kind, judged: the soft and hard limits of the processes the selector names.
import type { LimitsSelector } from '../../policy/model.js';
import type { FactsSnapshot, SocketsFact } from '../../facts/model.js';
import { isFamilyError } from '../../facts/model.js';
import { selectProcesses } from '../../facts/readings/processes.js';
import type { ResultDetail } from '../model.js';
import { about, describe, match, show } from '../matchers.js';
import { together } from '../reasons.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family, fold } from '../outcome.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';

type LimitsExpect = ExpectOf<'limits'>;

function describeLimits(item: string, e: LimitsExpect): string {
  const parts: string[] = [];
  if (e.soft !== undefined) parts.push(`soft ${item} ${describe(e.soft)}`);
  if (e.hard !== undefined) parts.push(`hard ${item} ${describe(e.hard)}`);
  return parts.join(', ');
}

function subjectOf(sel: LimitsSelector): string {
  if (sel.process) return `process "${sel.process}"`;
  if (sel.pid !== undefined) return `pid ${sel.pid}`;
  if (sel.pidfile) return `pidfile ${sel.pidfile}`;
  if (sel.unit) return `unit ${sel.unit}`;
  if (sel.port !== undefined) return `the process listening on port ${sel.port}`;
  return 'listening processes';
}

function evaluateLimits(check: CheckOf<'limits'>, sel: LimitsSelector, facts: FactsSnapshot): Outcome {
  const e: LimitsExpect = check.expect;
  const expected = describeLimits(sel.item, e);
  let listenerPids: number[] | undefined;
  if (sel.port !== undefined || sel.listening) {
    const sockets = family(facts, 'sockets', expected);
    if (!sockets.ok) return sockets.outcome;
    listenerPids = ownerPids(sockets.value, sel.port);
    if (listenerPids.length === 0) {
      const listening = sockets.value.listeners.filter((l) => sel.port === undefined || l.port === sel.port);
      if (listening.length === 0) {
        if (sel.listening) return { status: 'skip', expected, actual: 'no listening socket', reason: { code: 'nothing-listens' } };
        return errorOutcome(expected, { code: 'no-listener', port: sel.port! });
      }
      // Sockets listen, but whose they are is hidden (other users' /proc/PID/fd need root): unknown, not fine.
      return errorOutcome(expected, { code: 'owner-unknown', sockets: listening.length });
    }
  }
  const procs = family(facts, 'processes', expected);
  if (!procs.ok) return procs.outcome;
  const picked = selectProcesses(procs.value, sel, listenerPids);
  if ('error' in picked) return errorOutcome(expected, { code: 'process-not-found', error: picked.error });
  // Sockets whose owner could not be seen: their limits are unknown, so the check cannot pass on the rest.
  const hidden: ResultDetail[] = [];
  if (listenerPids !== undefined && facts.sockets && !isFamilyError(facts.sockets)) {
    for (const l of facts.sockets.listeners) {
      if ((sel.port === undefined || l.port === sel.port) && l.owners.length === 0) {
        hidden.push({
          subject: `${l.protocol} port ${l.port}`,
          status: 'error',
          actual: '',
          reason: { code: 'owner-unknown', complete: facts.sockets.ownersComplete },
        });
      }
    }
  }
  const details: ResultDetail[] = picked.pids.map((pid) => {
    const p = procs.value.processes.find((x) => x.pid === pid);
    const subject = p ? `${p.comm}[${pid}]` : `pid ${pid}`;
    if (!p || p.limits === undefined) return { subject, status: 'error', actual: 'limits not collected' };
    if (isFamilyError(p.limits)) return { subject, status: 'error', actual: p.limits.error };
    const lim = p.limits[sel.item];
    if (!lim) return { subject, status: 'error', actual: `no "${sel.item}" line in /proc/${pid}/limits` };
    const failed = together([
      ...(e.soft !== undefined ? about('soft', match(lim.soft, e.soft).failures) : []),
      ...(e.hard !== undefined ? about('hard', match(lim.hard, e.hard).failures) : []),
    ]);
    const actual = `soft ${show(lim.soft)}, hard ${show(lim.hard)}`;
    return { subject, status: failed ? 'fail' : 'pass', actual, ...(failed ? { reason: { ...failed, observed: actual } } : {}) };
  });
  const out = fold(expected, [...details, ...hidden], 'processes');
  if (out.status === 'pass') out.reason = { code: 'within-limits', selection: subjectOf(sel), count: details.length };
  return out;
}

function ownerPids(sockets: SocketsFact, port: number | undefined): number[] {
  const pids = new Set<number>();
  for (const l of sockets.listeners) {
    if (port !== undefined && l.port !== port) continue;
    for (const o of l.owners) pids.add(o.pid);
  }
  return [...pids].sort((a, b) => a - b);
}

export function evaluate(c: CheckOf<'limits'>, facts: FactsSnapshot): Outcome {
  return evaluateLimits(c, c.selector.spec, facts);
}

// A probe's fact from the snapshot, or the outcome that explains its absence, and the words the probe
// kinds share.
import type { FactsSnapshot, ProbeError } from '../../../facts/model.js';
import type { ProbeClock } from '../../../probes/net-model.js';
import { isFamilyError } from '../../../facts/model.js';
import { show } from '../../matchers.js';
import type { Outcome } from '../../outcome.js';
import { errorOutcome } from '../../outcome.js';
import type { Reason } from '../../reasons.js';

/** A probe not in the snapshot at all: no verdict on the endpoint, and so no cause (`not-in-snapshot`). */
function notInSnapshot(expected: string, probe?: string): Outcome {
  return { ...errorOutcome(expected, { code: 'not-in-snapshot', ...(probe !== undefined ? { probe } : {}) }), actual: '(not in the snapshot)' };
}

export type Probed<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };

/** A probe's fact by key, or the error outcome that explains its absence. */
export function probeFact<T>(key: string, facts: FactsSnapshot, expected: string): Probed<T> {
  const all = facts.probes;
  if (all === undefined) return { ok: false, outcome: notInSnapshot(expected) };
  const v = all[key];
  if (v === undefined) return { ok: false, outcome: notInSnapshot(expected, key) };
  if (isFamilyError(v)) return { ok: false, outcome: errorOutcome(expected, { code: 'not-collected', error: v.error }) };
  return { ok: true, value: v as T };
}

export const reasonOf = (e: ProbeError): string => `${e.reason} (${e.code})`;

/** Why a probe did not connect to its target (link-local, a metadata service), as a reason; undefined for any other error. */
export function targetRefused(e: ProbeError | undefined): Reason | undefined {
  const r = e?.refused;
  if (e?.code !== 'TARGET_REFUSED' || r === undefined) return undefined;
  return { code: 'target-refused', address: r.address, network: r.network, ...(r.host !== undefined ? { host: r.host } : {}) };
}

/** A probe that refused its target: an error (no verdict on the endpoint), never a failure of it. */
export function refusedOutcome(e: ProbeError | undefined, expected: string, at: string): Outcome | undefined {
  const why = targetRefused(e);
  return why && { ...errorOutcome(expected, { ...why, at }), actual: '(refused: nothing sent)' };
}

/** A probe's error as a reason's arguments. */
export const errorArgs = (e: ProbeError): { why: string; errorCode: string } => ({ why: e.reason, errorCode: e.code });

export const ms = (v: number | undefined): string => (v === undefined ? '(absent)' : `${show(v)} ms`);

/** Said beside judged timings that were taken on the auditor's main thread, where its own work can stretch them. */
export function clockNote(clock: ProbeClock | undefined): Reason[] {
  return clock?.thread === 'main' ? [{ code: 'main-thread', why: clock.reason }] : [];
}

// ---------------------------------------------------------------------------------------------------------
// TCP

// A fact family: what it needs from the host, as data, and a pure reading of the raw answers into its facts.
// Every family of a run asks in one batch; a family that can only know its next question from a first answer
// (the firewall's fallbacks) asks once more, so a host is at most two round trips however large the policy.
import type { RawView } from '../transport/raw.js';
import type { RawRequest } from '../transport/types.js';

interface ParseContext {
  /** The run's clock: certificate day counts are judged at it. */
  now: Date;
}

export interface FamilyModule<P, F> {
  /** Its key in the facts snapshot. */
  readonly name: string;
  /** The first batch's requests, from the plan's plain parameters. */
  needs(params: P): RawRequest[];
  /** Requests that only the first batch's answers can tell; at most one more batch for the whole host. */
  next?(params: P, raw: RawView): RawRequest[];
  /** The facts, from the answers alone; throws with the reason when the family could not be read. */
  parse(params: P, raw: RawView, ctx: ParseContext): F | Promise<F>;
  /** The family's facts when it could not be read at all (default `{ error }`). */
  failed?(params: P, error: string): F;
}

/** Why a read failed, in the words a report shows. */
export function readFailure(path: string, f: { error: string; message: string }): string {
  if (f.error === 'EACCES' || f.error === 'EPERM') return `permission denied (${path}); run as root`;
  return f.message.includes(path) ? f.message : `${path}: ${f.message}`;
}

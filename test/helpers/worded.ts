// Results as a report holds them: evaluation's results with the words the report stage makes from their reasons,
// so tests of verdicts read the same messages a user does.
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Outcome } from '../../src/evaluate/outcome.js';
import type { ReportResult } from '../../src/report/model.js';
import { say, worded } from '../../src/report/reasons.js';

export type WordedResult = ReportResult & Pick<ReturnType<typeof worded>, 'reason'>;

export function evaluateWorded(...args: Parameters<typeof evaluate>): WordedResult[] {
  return evaluate(...args).map(worded);
}

/** A kind's outcome with its message, as the report words it. */
export function wordedOutcome(o: Outcome): Outcome & { message: string } {
  return { ...o, message: say(o.reason) };
}

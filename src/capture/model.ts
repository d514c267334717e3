// A policy captured from a host known to be right (`plumbline init --from-host`): checks as a policy file
// writes them, each with the comment that says where its values came from. Made from the host's facts and the
// baseline's verdicts on them; written out by write.ts.
import type { FactsSnapshot } from '../facts/model.js';
import type { Result } from '../evaluate/model.js';
import type { Check, ResolvedPolicy } from '../policy/model.js';

export interface CapturedCheck {
  id: string;
  title: string;
  severity: Check['severity'];
  /** The selector key (sysctl, listener ...) and its value, as a policy writes it. */
  selector: [string, unknown];
  expect: unknown;
  /** Where the values came from, said above the check. */
  comment: string;
  tags?: string[];
  /** The baseline's, where the check is one of its own. */
  remediation?: string;
}

/** What every capturer reads: the host's facts, and the baseline with its verdicts on them. */
export interface CaptureContext {
  facts: FactsSnapshot;
  baseline: ResolvedPolicy;
  results: ReadonlyMap<string, Result>;
}

/** One part of the host (its sysctls, its listeners ...): the checks that hold it as it is. */
export interface Capturer {
  /** The heading of its part of the file. */
  section: string;
  capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] };
}

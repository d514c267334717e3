// The audit as both front ends run it (the CLI's audit command and the GitHub Action): policies and facts in,
// the report out, then the report rendered to its targets. Neither front end does more than read its inputs,
// call these, and say how it went.
import { evaluate } from '../evaluate/evaluate.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/model.js';
import { loadRenderer } from '../report/registry.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { Scalar } from '../policy/model.js';
import { collectHost } from './collect-host.js';
import { loadPolicies } from './options.js';
import { version } from './paths.js';
import { writeFileAtomic, type Target } from './outputs.js';
import { writeOut } from './stdio.js';

export interface AuditRequest {
  /** Policy files as given (`builtin:NAME` too); none: the built-in baseline. */
  policies?: string[];
  /** Policy vars over the policies' own (parseVars reads `NAME=VALUE` texts). */
  vars?: Record<string, Scalar>;
  /** Judge this facts snapshot instead of collecting from this host. */
  factsFile?: string;
  /** Overrides the policy's threshold. */
  threshold?: number;
  collect?: { deadlineMs?: number; concurrency?: number };
  /** Draw the live probes' progress line (only for a person at a terminal). */
  progress?: boolean;
  trace?: (stage: string) => void;
}

export async function auditReport(req: AuditRequest): Promise<Report> {
  const trace = req.trace ?? (() => {});
  const policy = await loadPolicies(req.policies, req.vars);
  trace('policy loaded');
  let facts: FactsSnapshot;
  if (req.factsFile !== undefined) facts = await (await import('./snapshot.js')).readSnapshot(req.factsFile);
  else facts = await collectHost(policy, req.collect ?? {}, req.progress ?? false);
  trace('facts ready');
  const now = new Date();
  const results = evaluate(policy, facts, now);
  return buildReport(policy, facts, results, { threshold: req.threshold ?? policy.defaults.failUnder, now, version: version() });
}

/**
 * Why this report is no verdict on the host, if it is none: nothing could be checked at all (no /proc, every
 * collector refused).
 */
export function cannotRunReason(report: Report): string | undefined {
  const applicable = report.results.filter((r) => r.status !== 'skip' && r.impliedBy === undefined);
  if (applicable.length > 0 && applicable.every((r) => r.status === 'error')) {
    return `none of ${applicable.length} checks could be evaluated (first reason: ${applicable[0]!.message})`;
  }
  return undefined;
}

/** Render the report once per target: files atomically and without colour, standard output with `color`. */
export async function writeReports(report: Report, outs: readonly Target[], color: boolean): Promise<void> {
  for (const t of outs) {
    const render = await loadRenderer(t.format);
    if (t.path !== undefined) writeFileAtomic(t.path, render(report, { color: false }));
    else writeOut(render(report, { color }));
  }
}

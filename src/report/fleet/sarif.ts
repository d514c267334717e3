// SARIF 2.1.0 of a fleet: one run, one rule per check, one result per failing or unverified check per host. Every
// result points at the policy line of its check, as a host's does, so a check failing on ten hosts is ten results
// at one line: each names its host first in its message and in `properties.host`, and its fingerprint is made of
// the host and the check, so code scanning keeps one alert per host (never collapsing them into one) and follows
// each across runs, closing it when that host's check passes. The cap of 25,000 results holds for the whole run.
// Hosts that could not be audited are no results (there is nothing at a policy line to point at): each is a
// notification of the invocation, with its fault class, which GitHub shows among the tool's errors.
import { sanitize } from '../sanitize.js';
import { MAX_RESULTS, cappedNote, findingsOf, judgedNothing, keepWorst, sarifLog, sarifResults, type Found } from '../sarif.js';
import type { FleetReport } from './model.js';
import { faultLine } from './words.js';

export function renderFleetSarif(fleet: FleetReport): string {
  const found: Found[] = [];
  // Each finding's place is unique across the fleet, so the cap keeps the worst of all hosts in order.
  let place = 0;
  for (const h of fleet.hosts) {
    if (!h.report) continue;
    found.push(...findingsOf(h.report, h.name, place));
    place += h.report.results.length;
  }
  const kept = keepWorst(found);
  const { rules, results } = sarifResults(kept, true);
  const capped = cappedNote(found.length, kept.length);
  const notifications = [
    ...fleet.hosts
      .filter((h) => h.fault)
      .map((h) => ({
        level: h.audited ? 'warning' : 'error',
        message: { text: sanitize(`${h.name}: ${h.audited ? 'judged on what could be read' : 'could not be audited'}: ${faultLine(h.fault!)}`) },
        properties: { host: sanitize(h.name), faultClass: h.fault!.class },
      })),
    ...(capped ? [{ level: 'warning', message: { text: capped } }] : []),
  ];
  // As a host's run: judging nothing anywhere is a run that did not succeed.
  return sarifLog({
    version: fleet.tool.version,
    rules,
    results,
    invocation: {
      executionSuccessful: fleet.hosts.some((h) => h.report && !judgedNothing(h.report)),
      endTimeUtc: fleet.generatedAt,
      ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
    },
    properties: {
      policy: sanitize(fleet.policy.name),
      policySources: fleet.policy.sources,
      threshold: fleet.threshold,
      ready: fleet.ready,
      verdictReason: sanitize(fleet.verdictReason),
      summary: fleet.summary,
      hosts: fleet.hosts.map((h) => ({
        host: sanitize(h.name),
        state: h.state,
        ...(h.score !== undefined ? { score: h.score } : {}),
        ...(h.fault ? { faultClass: h.fault.class } : {}),
      })),
      ...(capped ? { resultsCapped: { limit: MAX_RESULTS, found: found.length, omitted: found.length - kept.length, note: capped } } : {}),
    },
  });
}

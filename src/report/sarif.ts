// SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one run, one rule per check that has a result,
// one result per failing or unverifiable check. Passes, skips and waivers are no alerts: code scanning closes an
// alert when its fingerprint stops appearing, which is what a fixed or waived check should do.
//
// GitHub refuses the whole upload when any result lacks a physical location, so every result points at the
// policy line that declared its check, or for a built-in check at the user's `extends` entry that brought it in
// (`anchor`): a path inside plumbline means nothing in the user's repository.
//
// No `automationDetails.id`: upload-sarif's `category` input does not override one already in the file, and a
// fleet uploading one file per host needs that input to keep the hosts' alerts apart.
import { createHash } from 'node:crypto';
import type { Report } from './model.js';
import type { ReportResult as Result } from './model.js';
import type { Severity, SourcePos } from '../policy/model.js';
import { distinctIds } from './keys.js';
import { sanitize } from './sanitize.js';
import { mdWithCode } from './md-escape.js';
import { SEVERITY_ORDER } from './build.js';
import { failingItems, moreItems, seen } from './listing.js';

/** GitHub keeps this many results of a run and drops the upload beyond it. */
export const MAX_RESULTS = 25_000;
const INFORMATION_URI = 'https://plumbline.dev';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub reads these as critical (over 9), high (7 to 8.9), medium (4 to 6.9), low (0.1 to 3.9).
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0', info: '0.0' };

/** Markdown that shows `s` as written, the author's `code` spans kept; newlines are hard breaks. */
function md(s: string): string {
  return mdWithCode(s, Number.POSITIVE_INFINITY, 'hard');
}

/** The path as a URI reference: relative paths stay relative (to %SRCROOT%), absolute ones become file URIs. */
function uriOf(file: string): { uri: string; uriBaseId?: string } {
  const path = file.replace(/\\/g, '/');
  const encode = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  const drive = /^([A-Za-z]:)\/(.*)$/.exec(path);
  if (drive) return { uri: `file:///${drive[1]}/${encode(drive[2]!)}` };
  if (path.startsWith('/')) return { uri: `file://${encode(path)}` };
  return { uri: encode(path.replace(/^(\.\/)+/, '')), uriBaseId: '%SRCROOT%' };
}

function isUrl(s: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(s) && URL.canParse(s);
}

function pos(p: SourcePos): string {
  return `${p.file}:${p.line}:${p.column}`;
}

function rule(r: Result): Record<string, unknown> {
  const at = pos(r.source);
  const fix = r.remediation ?? `No remediation is recorded for this check; it expects ${r.expected || 'its condition to hold'}. See its definition at ${at}.`;
  const help: string[] = [`**Fix:** ${r.remediation !== undefined ? md(r.remediation) : md(fix)}`];
  if (r.rationale) help.push(`**Why it matters:** ${md(r.rationale)}`);
  if (r.expected) help.push(`**Expects:** ${md(r.expected)}`);
  help.push(`**Check:** ${md(r.id)} · **severity** ${r.severity} · **area** ${md(r.area)} · **declared at** ${md(at)}`);
  if (r.refs.length) help.push(`**References:**  \n${r.refs.map((x) => (isUrl(x) ? `<${x}>` : md(x))).join('  \n')}`);
  const helpUri = r.refs[0] !== undefined && isUrl(r.refs[0]) ? r.refs[0] : undefined;
  return {
    id: r.id,
    name: r.id,
    shortDescription: { text: sanitize(r.title) },
    fullDescription: { text: sanitize(r.rationale ?? (r.expected ? `${r.title}: expects ${r.expected}.` : r.title)) },
    help: { text: sanitize(r.rationale ? `${fix}\n\nWhy it matters: ${r.rationale}` : fix), markdown: help.join('\n\n') },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [...new Set([...r.tags, r.area].map(sanitize))],
      'security-severity': SECURITY_SEVERITY[r.severity],
      // A check compares a collected fact with an expectation: nothing is inferred or guessed.
      precision: 'very-high',
    },
  };
}

function messageOf(r: Result): string {
  const items = failingItems(r);
  let text =
    r.status === 'error'
      ? // An unverified check is levelled like a failure of its severity: a critical check that could not be read
        // blocks readiness just as a failing one does. The message says which it is.
        `${r.title}: could not be verified: ${r.message}. It expects ${r.expected}.`
      : items
        ? // The items listed below are what the message strings together: listed once (listing.ts).
          `${r.title}: expected ${r.expected}, actual ${seen(r)}.`
        : // The message often says expected and actual already ("somaxconn is 128, not >= 4096"): then once.
          r.message.includes(r.actual) && r.message.includes(r.expected)
          ? `${r.title}: ${r.message}`
          : `${r.title}: expected ${r.expected}, actual ${r.actual}. ${r.message}`;
  if (items) {
    text += `\nNot passing (${items.count} of ${items.of}):`;
    for (const d of items.shown) text += `\n- ${d.subject}: ${d.actual}`;
    if (items.more) text += `\n- ${moreItems(items.more)}`;
  }
  if (r.cause !== undefined) text += `\nThis fails because ${r.cause} failed first: fix that, then audit again.`;
  if (r.impliedBy) text += `\nA lower check plumbline made for ${r.impliedBy.join(', ')} (not scored).`;
  if (r.anchor) text += `\nA built-in check (${pos(r.source)}), brought in by this extends entry.`;
  return sanitize(text);
}

function fingerprint(host: string, key: string): string {
  return createHash('sha256').update(`${host}\n${key}`).digest('hex');
}

/** A failing or unverified result with its key, its place in its report, and the host it was found on. */
export interface Found {
  r: Result;
  key: string;
  i: number;
  host: string;
}

/** The failing and unverified results of a report, keyed for fingerprints. */
export function findingsOf(report: Report, host: string, from = 0): Found[] {
  const keys = distinctIds(report.results);
  return report.results.map((r, i) => ({ r, key: keys[i]!, i: from + i, host })).filter(({ r }) => r.status === 'fail' || r.status === 'error');
}

/** At most GitHub's limit: the worst kept (failures before errors, then by severity), in their order. */
export function keepWorst(found: Found[]): Found[] {
  if (found.length <= MAX_RESULTS) return found;
  const worst = [...found].sort(
    (a, b) => Number(a.r.status === 'error') - Number(b.r.status === 'error') || SEVERITY_ORDER[a.r.severity] - SEVERITY_ORDER[b.r.severity] || a.i - b.i,
  );
  const keep = new Set(worst.slice(0, MAX_RESULTS).map((x) => x.i));
  return found.filter((x) => keep.has(x.i));
}

/**
 * The rules and results of the kept findings. In a fleet's run (`fleet`) each result names its host first in its
 * message and as `properties.host`, since one policy line carries one alert per host.
 */
export function sarifResults(kept: Found[], fleet: boolean): { rules: Record<string, unknown>[]; results: Record<string, unknown>[] } {
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const results = kept.map(({ r, key, host }) => {
    let index = ruleIndex.get(r.id);
    if (index === undefined) {
      index = rules.push(rule(r)) - 1;
      ruleIndex.set(r.id, index);
    }
    const at = r.anchor ?? r.source;
    return {
      ruleId: r.id,
      ruleIndex: index,
      level: LEVEL[r.severity],
      message: { text: fleet ? `${sanitize(host)}: ${messageOf(r)}` : messageOf(r) },
      locations: [{ physicalLocation: { artifactLocation: uriOf(at.file), region: { startLine: at.line, startColumn: at.column } } }],
      partialFingerprints: { 'plumblineCheck/v1': fingerprint(host, key) },
      properties: {
        ...(fleet ? { host: sanitize(host) } : {}),
        status: r.status,
        severity: r.severity,
        area: r.area,
        expected: sanitize(r.expected),
        actual: sanitize(r.actual),
        // The reason's code groups findings across hosts and runs (the words are in the message).
        ...(r.reason !== undefined ? { reasonCode: r.reason.code } : {}),
        ...(r.cause !== undefined ? { cause: r.cause } : {}),
        ...(r.anchor ? { declaredAt: pos(r.source) } : {}),
        ...(r.waiver ? { waiver: { ...r.waiver, reason: sanitize(r.waiver.reason) } } : {}),
      },
    };
  });
  return { rules, results };
}

/** What the run says when results were left out for GitHub's limit. */
export function cappedNote(found: number, kept: number): string | undefined {
  const omitted = found - kept;
  return omitted > 0
    ? `${found} failing or unverified checks; GitHub keeps ${MAX_RESULTS} results a run, so the ${omitted} least severe are left out (all are in the JSON report)`
    : undefined;
}

export function renderSarif(report: Report): string {
  const found = findingsOf(report, report.host.hostname);
  const kept = keepWorst(found);
  const { rules, results } = sarifResults(kept, false);

  const omitted = found.length - kept.length;
  const capped = cappedNote(found.length, kept.length);
  const applicable = report.results.filter((r) => r.status !== 'skip' && r.impliedBy === undefined);
  const nothing = judgedNothing(report);
  return sarifLog({
    version: report.tool.version,
    rules,
    results,
    invocation: {
      executionSuccessful: !nothing,
      endTimeUtc: report.generatedAt,
      ...(capped || nothing
        ? {
            toolExecutionNotifications: [
              ...(nothing ? [{ level: 'error', message: { text: `none of ${applicable.length} checks could be evaluated` } }] : []),
              ...(capped ? [{ level: 'warning', message: { text: capped } }] : []),
            ],
          }
        : {}),
    },
    properties: {
      hostname: sanitize(report.host.hostname),
      kernel: report.host.kernel,
      collectedAt: report.host.collectedAt,
      policy: sanitize(report.policy.name),
      policySources: report.policy.sources,
      score: report.score,
      threshold: report.threshold,
      ready: report.ready,
      verdictReason: sanitize(report.verdictReason),
      counts: report.counts,
      ...(capped ? { resultsCapped: { limit: MAX_RESULTS, found: found.length, omitted, note: capped } } : {}),
    },
  });
}

/** The CLI's "could not run" (exit 3): every applicable check an error, so the run judged nothing. */
export function judgedNothing(report: Report): boolean {
  const applicable = report.results.filter((r) => r.status !== 'skip' && r.impliedBy === undefined);
  return applicable.length > 0 && applicable.every((r) => r.status === 'error');
}

/** The log of one run, as text. */
export function sarifLog(run: {
  version: string;
  rules: Record<string, unknown>[];
  results: Record<string, unknown>[];
  invocation: Record<string, unknown>;
  properties: Record<string, unknown>;
}): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'plumbline', version: run.version, informationUri: INFORMATION_URI, rules: run.rules } },
        invocations: [run.invocation],
        columnKind: 'utf16CodeUnits',
        results: run.results,
        properties: run.properties,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

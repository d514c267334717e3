// JUnit XML for CI test tabs (Jenkins, GitLab, Azure, test-reporter actions): one <testsuite> per area, one
// <testcase> per check, named by its title with the id in brackets. A failure's body holds what a reader needs
// without the JSON report beside it: expected, actual, the message, the fix and the policy line that asked.
//
// Implied checks (the DNS and TCP checks plumbline makes under probes the policy declared, `impliedBy`) are not
// scored: their upper checks already fail with them as the cause. They get suites of their own, named
// "<area> (implied)", so that each area suite counts exactly what the JSON and terminal reports count for that
// area, and an implied failure still shows as the failure it is instead of vanishing or hiding as a skip.
//
// No CDATA: every text is escaped, so a `]]>` in a command's output needs no special case.
import { waivedNote } from './waivers.js';
import type { Report } from './model.js';
import type { ReportResult as Result } from './model.js';
import { sanitize } from './sanitize.js';
import { ownTitle } from './title.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escaped for an attribute: quotes, and a newline as a character reference, because parsers normalise it to a
 * space in an attribute and a multi-line message would not survive the round trip (sanitised text holds no CR
 * or tab).
 */
export function attr(s: string): string {
  return sanitize(s).replace(/[&<>"'\n]/g, (c) => ENTITY[c] ?? `&#${c.charCodeAt(0)};`);
}

/** Element content: `&`, `<` and `>` (which covers `]]>`); sanitised text holds no CR to come back as a newline. */
export function text(s: string): string {
  return sanitize(s).replace(/[&<>]/g, (c) => ENTITY[c]!);
}

export interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function tally(results: readonly Result[]): Tally {
  const t = { tests: results.length, failures: 0, errors: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'fail') t.failures++;
    else if (r.status === 'error') t.errors++;
    else if (r.status === 'skip' || r.status === 'waived') t.skipped++;
  }
  return t;
}

export function counts(t: Tally): string {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;
}

function where(r: Result): string {
  const own = `${r.source.file}:${r.source.line}:${r.source.column}`;
  return r.anchor ? `${own} (built in, from the extends entry at ${r.anchor.file}:${r.anchor.line}:${r.anchor.column})` : own;
}

/** Labelled lines; a value over several lines (any line break, once sanitised) continues indented under its label. */
function lines(fields: [string, string | undefined][]): string {
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '')
    .map(
      ([label, value]) =>
        `${`${label}:`.padEnd(13)}${sanitize(value)
          .replace(/\n+$/, '')
          .replace(/\n/g, '\n' + ' '.repeat(13))}\n`,
    )
    .join('');
}

function detailLines(r: Result): string | undefined {
  const bad = (r.details ?? []).filter((d) => d.status !== 'pass');
  if (!bad.length) return undefined;
  return bad.map((d) => `${d.status === 'fail' ? '✗' : '!'} ${d.subject}: ${d.actual}`).join('\n');
}

function body(r: Result): string {
  return lines([
    ['expected', r.expected],
    ['actual', r.actual],
    ['message', r.message],
    ['not passing', detailLines(r)],
    ['cause', r.cause !== undefined ? `${r.cause} failed first: fix it, then audit again` : undefined],
    ['implied by', r.impliedBy?.join(', ')],
    ['remediation', r.status === 'error' ? undefined : r.remediation],
    ['rationale', r.rationale],
    ['refs', r.refs.length ? r.refs.join('\n') : undefined],
    ['severity', r.severity],
    ['at', where(r)],
  ]);
}

function outcome(r: Result): string {
  switch (r.status) {
    case 'pass':
      return '';
    case 'fail':
      return `      <failure message="${attr(r.message)}" type="${r.severity}">${text(body(r))}</failure>\n`;
    case 'error':
      return `      <error message="${attr(`could not be checked: ${r.message}`)}" type="${r.severity}">${text(body(r))}</error>\n`;
    case 'skip':
      return `      <skipped message="${attr(r.message)}"/>\n`;
    case 'waived': {
      const w = r.waiver;
      const kept = w ? `; the check itself is ${w.status}: ${r.message}` : '';
      return `      <skipped message="${attr(`${waivedNote(w)}${kept}`)}">${text(body(r))}</skipped>\n`;
    }
  }
}

/** A check's testcase; `classname` is its area, prefixed with the host in a fleet's file (CI tools merge equal classnames). */
export function testcase(r: Result, classname = r.area): string {
  const at = r.anchor ?? r.source;
  const open = `    <testcase name="${attr(ownTitle(r) ? `${r.title} [${r.id}]` : r.id)}" classname="${attr(classname)}" time="0" file="${attr(at.file)}" line="${at.line}"`;
  const inner = outcome(r);
  return inner ? `${open}>\n${inner}    </testcase>\n` : `${open}/>\n`;
}

export function property(name: string, value: string | number): string {
  return `      <property name="${name}" value="${attr(String(value))}"/>\n`;
}

/** What a suite says of the host's audit, as properties. */
export function hostProperties(report: Report): [string, string | number][] {
  return [
    ['plumbline.version', report.tool.version],
    ['policy', report.policy.name],
    ['hostname', report.host.hostname],
    ['kernel', report.host.kernel],
    ['generatedAt', report.generatedAt],
    ['collectedAt', report.host.collectedAt],
    ['verdict', report.ready ? 'ready' : 'not ready'],
    ['verdictReason', report.verdictReason],
    ['score', report.score],
    ['threshold', report.threshold],
  ];
}

/** The Ant schema's timestamp has no zone; it is UTC, and the exact instant is the generatedAt property. */
export function timestampOf(iso: string): string {
  return iso.replace(/(\.\d+)?Z$/, '');
}

function suite(report: Report, name: string, results: readonly Result[], extra: [string, string | number][]): string {
  let out = `  <testsuite name="${attr(name)}" ${counts(tally(results))} time="0" timestamp="${attr(timestampOf(report.generatedAt))}" hostname="${attr(report.host.hostname)}">\n`;
  out += '    <properties>\n';
  for (const [k, v] of [...hostProperties(report), ...extra]) out += property(k, v);
  out += '    </properties>\n';
  for (const r of results) out += testcase(r);
  out += '  </testsuite>\n';
  return out;
}

interface AreaSuite {
  name: string;
  results: Result[];
  extra: [string, string | number][];
}

/**
 * The report's results as suites: areas in the report's order, then any area only implied checks have (the
 * report lists scored areas only); each area's scored checks, then its implied ones apart.
 */
export function areaSuites(report: Report): AreaSuite[] {
  const out: AreaSuite[] = [];
  const areas = new Map(report.areas.map((a) => [a.area, a]));
  const names = [...new Set([...report.areas.map((a) => a.area), ...report.results.map((r) => r.area)])];
  for (const area of names) {
    const scored = report.results.filter((r) => r.area === area && r.impliedBy === undefined);
    const implied = report.results.filter((r) => r.area === area && r.impliedBy !== undefined);
    const a = areas.get(area);
    if (scored.length) out.push({ name: area, results: scored, extra: a ? [['area.score', a.score]] : [] });
    if (implied.length)
      out.push({
        name: `${area} (implied)`,
        results: implied,
        extra: [['scored', 'no: lower checks plumbline made for the checks that stand on them, which carry the weight']],
      });
  }
  return out;
}

export function renderJunit(report: Report): string {
  const groups = areaSuites(report);
  const suites = groups.map((g) => suite(report, g.name, g.results, g.extra));
  const all = groups.flatMap((g) => g.results);
  const name = `plumbline ${report.policy.name} on ${report.host.hostname}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${attr(name)}" ${counts(tally(all))} time="0">\n${suites.join('')}</testsuites>\n`;
}

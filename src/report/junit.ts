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
import type { Report } from './model.js';
import type { ReportResult as Result } from './model.js';
import { sanitize } from './sanitize.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escaped for an attribute: quotes, and a newline as a character reference, because parsers normalise it to a
 * space in an attribute and a multi-line message would not survive the round trip (sanitised text holds no CR
 * or tab).
 */
function attr(s: string): string {
  return sanitize(s).replace(/[&<>"'\n]/g, (c) => ENTITY[c] ?? `&#${c.charCodeAt(0)};`);
}

/** Element content: `&`, `<` and `>` (which covers `]]>`); sanitised text holds no CR to come back as a newline. */
function text(s: string): string {
  return sanitize(s).replace(/[&<>]/g, (c) => ENTITY[c]!);
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function tally(results: readonly Result[]): Tally {
  const t = { tests: results.length, failures: 0, errors: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'fail') t.failures++;
    else if (r.status === 'error') t.errors++;
    else if (r.status === 'skip' || r.status === 'waived') t.skipped++;
  }
  return t;
}

function counts(t: Tally): string {
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
      const until = w?.expires ? ` until ${w.expires}` : '';
      const kept = w ? `; the check itself is ${w.status}: ${r.message}` : '';
      return `      <skipped message="${attr(`waived${until}: ${w?.reason ?? 'no reason given'}${kept}`)}">${text(body(r))}</skipped>\n`;
    }
  }
}

function testcase(r: Result): string {
  const at = r.anchor ?? r.source;
  const open = `    <testcase name="${attr(`${r.title} [${r.id}]`)}" classname="${attr(r.area)}" time="0" file="${attr(at.file)}" line="${at.line}"`;
  const inner = outcome(r);
  return inner ? `${open}>\n${inner}    </testcase>\n` : `${open}/>\n`;
}

function property(name: string, value: string | number): string {
  return `      <property name="${name}" value="${attr(String(value))}"/>\n`;
}

function suite(report: Report, name: string, results: readonly Result[], extra: [string, string | number][]): string {
  // The Ant schema's timestamp has no zone; it is UTC, and the exact instant is the generatedAt property.
  const timestamp = report.generatedAt.replace(/(\.\d+)?Z$/, '');
  let out = `  <testsuite name="${attr(name)}" ${counts(tally(results))} time="0" timestamp="${attr(timestamp)}" hostname="${attr(report.host.hostname)}">\n`;
  out += '    <properties>\n';
  const props: [string, string | number][] = [
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
    ...extra,
  ];
  for (const [k, v] of props) out += property(k, v);
  out += '    </properties>\n';
  for (const r of results) out += testcase(r);
  out += '  </testsuite>\n';
  return out;
}

export function renderJunit(report: Report): string {
  const suites: string[] = [];
  const all: Result[] = [];
  const areas = new Map(report.areas.map((a) => [a.area, a]));
  // Areas in the report's order, then any area only implied checks have (the report lists scored areas only).
  const names = [...new Set([...report.areas.map((a) => a.area), ...report.results.map((r) => r.area)])];
  for (const area of names) {
    const scored = report.results.filter((r) => r.area === area && r.impliedBy === undefined);
    const implied = report.results.filter((r) => r.area === area && r.impliedBy !== undefined);
    const a = areas.get(area);
    if (scored.length) suites.push(suite(report, area, scored, a ? [['area.score', a.score]] : []));
    if (implied.length)
      suites.push(
        suite(report, `${area} (implied)`, implied, [['scored', 'no: lower checks plumbline made for the checks that stand on them, which carry the weight']]),
      );
    all.push(...scored, ...implied);
  }
  const name = `plumbline ${report.policy.name} on ${report.host.hostname}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${attr(name)}" ${counts(tally(all))} time="0">\n${suites.join('')}</testsuites>\n`;
}

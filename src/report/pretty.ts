// The terminal report: failures first (expected vs actual, the fix, the line that asked), then every
// check grouped by area, then score, counts and verdict. Colour only when the caller says so.
import { createColors } from 'picocolors';
import type { Report } from './model.js';
import type { Status } from '../evaluate/model.js';
import type { ReportResult as Result } from './model.js';
import { byImportance } from './build.js';
import { sanitize } from './sanitize.js';
import { ownTitle } from './title.js';
import { say } from './reasons.js';
import { attentionUses, waivedNote, waiverUseText } from './waivers.js';
import { failingItems, moreItems, seen } from './listing.js';

/** Report text on one line of its own (a heading, the header): sanitised, no line breaks. */
function v(s: string): string {
  return sanitize(s).replace(/\s*\n\s*/g, ' ');
}

type Colors = ReturnType<typeof createColors>;

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', error: '!', skip: '-', waived: '~' };

function paint(c: Colors, status: Status, s: string): string {
  switch (status) {
    case 'pass':
      return c.green(s);
    case 'fail':
      return c.red(s);
    case 'error':
      return c.magenta(s);
    case 'skip':
      return c.dim(s);
    case 'waived':
      return c.yellow(s);
  }
}

function where(r: Result): string {
  return `${r.source.file}:${r.source.line}:${r.source.column}`;
}

function field(c: Colors, label: string, value: string | undefined): string {
  if (value === undefined || value === '') return '';
  const pad = label.padEnd(9);
  return `      ${c.dim(pad)} ${sanitize(value)
    .replace(/\n+$/, '')
    .replace(/\n/g, '\n' + ' '.repeat(16))}\n`;
}

const INDENT = ' '.repeat(16);

function finding(c: Colors, r: Result, explains?: string): string {
  let out = `  ${paint(c, r.status, MARK[r.status])} ${c.bold(r.severity.toUpperCase().padEnd(8))} ${c.bold(v(r.id))}${ownTitle(r) ? `  ${v(r.title)}` : ''}\n`;
  if (r.cause) out += field(c, 'cause', `${r.cause} failed first: fix it, then audit again`);
  out += field(c, 'explains', explains);
  if (r.impliedBy) out += field(c, 'implied', 'made by plumbline: the checks above stand on it, and the policy has no check of it');
  if (r.status === 'error') {
    out += field(c, 'reason', r.message);
  } else {
    out += field(c, 'expected', r.expected);
    const items = failingItems(r);
    // Itemized: the items below say what each one is; the actual line only counts them (listing.ts).
    out += field(c, 'actual', items ? `${seen(r)}:` : r.actual);
    // The message restates expected/actual for simple facts; show it only when it says more.
    if (!items && r.message && !r.message.includes(r.actual)) out += field(c, 'why', r.message);
    for (const d of items?.shown ?? []) out += `${INDENT}${paint(c, d.status, MARK[d.status])} ${v(d.subject)}: ${v(d.actual)}\n`;
    if (items?.more) out += `${INDENT}${c.dim(moreItems(items.more))}\n`;
  }
  // A waiver that ran out is why this failure is back: said beside it, not only on the area's line.
  const lapsed = r.reason?.notes?.find((n) => n.code === 'waiver-expired');
  if (lapsed) out += field(c, 'waiver', say(lapsed));
  if (r.status === 'fail') out += field(c, 'fix', r.remediation);
  out += field(c, 'at', where(r));
  return out;
}

function countsLine(r: Report): string {
  const k = r.counts;
  return `${k.pass} pass · ${k.fail} fail · ${k.error} error · ${k.skip} skip · ${k.waived} waived`;
}

export function renderPretty(report: Report, opts: { color: boolean; quiet?: boolean }): string {
  const c = createColors(opts.color);
  const h = report.host;
  // Quiet: what is wrong (root causes first, then what they explain, then what could not be checked) and the
  // verdict line; nothing that passed, no header, no areas.
  let out = opts.quiet
    ? ''
    : `${c.bold('plumbline')} ${v(report.tool.version)} · host ${c.bold(v(h.hostname))} (kernel ${v(h.kernel)}) · policy ${c.bold(v(report.policy.name))}\n\n`;

  const sorted = [...report.results].sort(byImportance);
  const failures = sorted.filter((r) => r.status === 'fail');
  const own = failures.filter((r) => !r.cause);
  const symptoms = failures.filter((r) => r.cause);
  const errors = sorted.filter((r) => r.status === 'error');
  const explains = new Map(report.rootCauses.map((x) => [x.id, x.explains]));
  if (own.length) {
    const implied = own.filter((r) => r.impliedBy).length;
    out += c.bold(c.red(`Failures (${own.length}${implied ? `, ${implied} of them lower checks plumbline made, not scored` : ''})`)) + '\n';
    for (const r of own) {
      const below = explains.get(r.id);
      out += finding(c, r, below ? `${below.join(', ')} fail${below.length === 1 ? 's' : ''} because of this` : undefined) + '\n';
    }
  }
  // A symptom in one line: its cause above holds the reason and the fix.
  if (symptoms.length) {
    out += c.bold(c.red(`Failing because of a failure above (${symptoms.length})`)) + '\n';
    for (const r of symptoms)
      out += `  ${paint(c, r.status, MARK[r.status])} ${c.bold(r.severity.toUpperCase().padEnd(8))} ${c.bold(v(r.id))}  ${c.dim(`← ${v(r.cause!)}: ${truncate(r.message, 100)}`)}\n`;
    out += '\n';
  }
  if (errors.length) {
    out += c.bold(c.magenta(`Could not check (${errors.length})`)) + '\n';
    for (const r of errors) out += finding(c, r) + '\n';
  }

  const attention = opts.quiet ? [] : attentionUses(report.waivers);
  if (attention.length) {
    out += c.bold(c.yellow(`Waivers to look at (${attention.length})`)) + '\n';
    for (const u of attention)
      out += `  ${c.yellow('~')} ${v(u.check)}  ${c.dim(`${v(u.source.file)}:${u.source.line}:${u.source.column} · owner ${v(u.owner)}`)}\n${INDENT}${v(waiverUseText(u))}\n`;
    out += '\n';
  }

  for (const a of opts.quiet ? [] : report.areas) {
    const k = a.counts;
    out += `${c.bold(v(a.area).padEnd(10))} ${String(a.score).padStart(5)}%  ${c.dim(`${k.pass} pass, ${k.fail} fail, ${k.error} error, ${k.skip} skip, ${k.waived} waived`)}\n`;
    // An implied lower check that passed says nothing the checks above it do not.
    for (const r of report.results.filter((x) => x.area === a.area && !(x.impliedBy && x.status === 'pass'))) {
      let note = '';
      if (r.status === 'pass') note = r.actual;
      else if (r.status === 'skip') note = r.message;
      else if (r.status === 'waived') note = waivedNote(r.waiver);
      else if (r.status === 'fail') note = r.cause ? `${r.message} (cause: ${r.cause})` : r.message;
      else note = r.message;
      out += `  ${paint(c, r.status, MARK[r.status])} ${v(r.id).padEnd(34)} ${c.dim(truncate(note, 90))}\n`;
    }
    out += '\n';
  }

  const verdict = report.ready ? c.bold(c.green('READY')) : c.bold(c.red('NOT READY'));
  if (!opts.quiet) out += `Score ${c.bold(`${report.score}%`)} (threshold ${report.threshold}) · ${countsLine(report)}\n`;
  out += `${verdict} — ${v(report.verdictReason)}\n`;
  return out;
}

function truncate(s: string, n: number): string {
  const one = v(s).replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

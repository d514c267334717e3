// The GitHub job-summary report, in GitHub-flavoured markdown: the verdict and why, the score against its
// threshold, the areas; then where to start (root causes in full, the checks failing because of each on one
// line), the other failures with their fix, what could not be checked, what is waived; passes and skips folded
// away. A step's summary holds 1 MiB, so a report that would not fit leaves out the least important rows first
// and says at the end how many, and where they are.
import { attentionUses, waiverUseText } from './waivers.js';
import type { Report } from './model.js';
import type { Status } from '../evaluate/model.js';
import type { ReportResult as Result } from './model.js';
import { SEVERITIES, type Severity } from '../policy/model.js';
import { sections, where } from './reading.js';
import { sanitize } from './sanitize.js';
import { md, mdCodeSpan, mdWithCode } from './md-escape.js';
import { say } from './reasons.js';
import { ownTitle } from './title.js';
import { failingItems, moreItems, seen } from './listing.js';

/** UTF-8 bytes. Headroom under GitHub's 1,048,576 for whatever else the same step writes to its summary. */
export const MARKDOWN_BUDGET = 900 * 1024;
// What notes about left-out rows and the closing line may add after the cut was decided.
const RESERVE = 16 * 1024;

/** One line, shortened, for a symptom or a table cell that only points elsewhere. */
function brief(s: string, n: number): string {
  const one = sanitize(s).replace(/\s+/g, ' ').trim();
  return md(one.length > n ? `${one.slice(0, n - 1)}…` : one);
}

const ICON: Record<Status, string> = { pass: '✅', fail: '❌', error: '⚠️', skip: '⏭️', waived: '🔕' };

function head(r: Result): string {
  const implied = r.impliedBy ? ' _(made by plumbline for the checks it explains; not scored)_' : '';
  return `${ICON[r.status]} **${r.severity.toUpperCase()}** · **${md(r.id, 200)}**${ownTitle(r) ? ` — ${md(r.title, 300)}` : ''}${implied}`;
}

function field(label: string, value: string | undefined, indent: string): string {
  return value === undefined || sanitize(value).trim() === '' ? '' : `${indent}- **${label}:** ${md(value)}\n`;
}

/** A failing, erroring or waived check in full, as a list item. */
function finding(r: Result, indent = ''): string {
  const sub = indent + '  ';
  let out = `${indent}- ${head(r)}\n`;
  if (r.status === 'error') {
    out += field('Could not check', r.message, sub);
    out += field('Expected', r.expected, sub);
  } else {
    out += field('Expected', r.expected, sub);
    const items = failingItems(r);
    if (items) {
      out += `${sub}- **Actual:** ${md(seen(r))}:\n`;
      for (const d of items.shown) out += `${sub}  - ${ICON[d.status]} ${md(d.subject, 300)}: ${md(d.actual, 300)}\n`;
      if (items.more) out += `${sub}  - _${moreItems(items.more)}_\n`;
    } else out += field('Actual', r.actual, sub);
    // As the terminal report: the message restates expected and actual for simple facts; shown when it says more.
    if (!items && !r.message.includes(r.actual)) out += field('Why', r.message, sub);
  }
  if (r.status === 'fail' && r.remediation !== undefined && sanitize(r.remediation).trim()) out += `${sub}- **Fix:** ${mdWithCode(r.remediation)}\n`;
  if (r.waiver) out += field('Waived', `${r.waiver.reason}${r.waiver.expires ? ` (until ${r.waiver.expires})` : ''}`, sub);
  const lapsed = r.reason?.notes?.find((n) => n.code === 'waiver-expired');
  if (lapsed) out += field('Waiver', say(lapsed), sub);
  if (r.refs.length) out += field('See', r.refs.join(', '), sub);
  out += field('At', where(r), sub);
  return out;
}

function symptomLine(r: Result, indent: string): string {
  return `${indent}- ${ICON[r.status]} **${r.severity.toUpperCase()}** · **${md(r.id, 200)}**${ownTitle(r) ? ` — ${brief(r.title, 120)}` : ''}: ${brief(r.message, 160)}${r.cause ? ` _(← ${md(r.cause, 200)})_` : ''}\n`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |\n`;
}

// ---- the cut: every row is an item with a tier; the lowest tiers go first when the whole would not fit ----

interface Item {
  text: string;
  /** 0: always kept. Higher tiers are more important and are left out later. */
  tier: number;
  /** What the closing count calls it. */
  kind: string;
  /** Said in place of the items of one run that were left out. */
  note?: (n: number) => string;
  dropped?: boolean;
}

const PASS = 1;
const SKIP = 2;
const SYMPTOM = 3;
const WAIVED = 4;
// Failures and checks that could not be run, info first, critical last; root causes only after all of them.
const failureTier = (s: Severity): number => 5 + SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
const ROOT = 5 + SEVERITIES.length;

function fixed(text: string): Item {
  return { text, tier: 0, kind: '' };
}

const leftOut = (what: string) => (n: number) => `_… ${n} ${what} left out here to fit the summary (see the end)._`;

export function renderMarkdown(report: Report): string {
  const s = sections(report);
  const items: Item[] = [];
  const add = (text: string, tier = 0, kind = '', note?: (n: number) => string): void => {
    items.push(tier ? { text, tier, kind, ...(note ? { note } : {}) } : fixed(text));
  };
  const k = report.counts;
  const h = report.host;

  add(`## ${report.ready ? '✅ READY' : '❌ NOT READY'} — plumbline production-readiness audit\n\n`);
  add(`**${report.ready ? 'Ready' : 'Not ready'}:** ${md(report.verdictReason)}\n\n`);
  const meets = report.score >= report.threshold ? 'meets' : 'below';
  add(`- **Score:** ${report.score}% — ${meets} the threshold of ${report.threshold}%\n`);
  add(`- **Checks:** ${k.pass} passed · ${k.fail} failed · ${k.error} could not be checked · ${k.skip} skipped · ${k.waived} waived\n`);
  add(`- **Host:** ${md(h.hostname, 300)} — kernel ${md(h.kernel, 200)}, read via ${md(h.transport, 100)}, facts collected ${md(h.collectedAt, 100)}\n`);
  add(`- **Policy:** ${md(report.policy.name, 300)}${report.policy.sources.length ? ` — ${md(report.policy.sources.join(', '))}` : ''}\n\n`);

  if (report.areas.length) {
    add('| Area | Score | ✅ Pass | ❌ Fail | ⚠️ Error | ⏭️ Skip | 🔕 Waived |\n|---|---:|---:|---:|---:|---:|---:|\n');
    for (const a of report.areas) {
      const c = a.counts;
      add(row([md(a.area, 100), `${a.score}%`, ...[c.pass, c.fail, c.error, c.skip, c.waived].map(String)]));
    }
    add('\n');
  }

  if (s.rootCauses.length) {
    add(`### 🎯 Root causes (${s.rootCauses.length}) — fix these first\n\n`);
    add('Each of these fails on its own and explains the failures listed under it: fix it, then audit again.\n\n');
    for (const c of s.rootCauses) {
      const under = c.symptoms.length ? `  - **Failing because of it (${c.symptoms.length}):**\n` : '';
      add(finding(c.result) + under, ROOT, 'root causes');
      if (c.symptoms.length) {
        const note = (n: number): string => `    - ${leftOut('of these')(n)}\n`;
        for (const r of c.symptoms) add(symptomLine(r, '    '), SYMPTOM, 'failures explained by a root cause', note);
      }
    }
    add('\n');
  }

  if (s.failures.length) {
    add(`### ❌ ${s.rootCauses.length ? 'Other failures' : 'Failures'} (${s.failures.length})\n\n`);
    const note = (n: number): string => `- ${leftOut('less severe failures')(n)}\n`;
    for (const r of s.failures) add(finding(r), failureTier(r.severity), 'failures', note);
    add('\n');
  }

  if (s.orphans.length) {
    add(`### ❌ Failing because of another failure (${s.orphans.length})\n\n`);
    const note = (n: number): string => `- ${leftOut('of these')(n)}\n`;
    for (const r of s.orphans) add(symptomLine(r, ''), SYMPTOM, 'failures explained by a root cause', note);
    add('\n');
  }

  if (s.errors.length) {
    add(`### ⚠️ Could not check (${s.errors.length})\n\n`);
    add('These count against the score: a check that could not be verified is not a passed one.\n\n');
    const note = (n: number): string => `- ${leftOut('less severe checks')(n)}\n`;
    // Ranked with the failures of the same severity, but left out before them.
    for (const r of s.errors) add(finding(r), failureTier(r.severity) - 0.5, 'checks that could not be verified', note);
    add('\n');
  }

  if (s.waived.length) {
    add(`### 🔕 Waived (${s.waived.length})\n\n`);
    add('| Check | Severity | Would be | Reason | Expires |\n|---|---|---|---|---|\n');
    const note = (n: number): string => `\n${leftOut('waived checks')(n)}\n`;
    for (const r of s.waived) {
      const w = r.waiver;
      add(
        row([
          `**${md(r.id, 200)}**${ownTitle(r) ? ` ${brief(r.title, 120)}` : ''}`,
          r.severity,
          w ? w.status : '',
          md(`${w?.reason ?? ''}${w?.owner !== undefined ? ` — owner ${w.owner}` : ''}`, 500),
          md(w?.expires ?? 'never', 100),
        ]),
        WAIVED,
        'waived checks',
        note,
      );
    }
    add('\n');
  }

  const attention = attentionUses(report.waivers);
  if (attention.length) {
    add(`### 🔕 Waivers to look at (${attention.length})\n\n`);
    for (const u of attention)
      add(`- **${md(u.check, 200)}** (owner ${md(u.owner, 100)}, ${mdCodeSpan(`${u.source.file}:${u.source.line}`, 300)}): ${md(waiverUseText(u), 500)}\n`);
    add('\n');
  }

  const folded = (title: string, tier: number, kind: string, header: string, rows: [Result, string][]): void => {
    add(`<details><summary>${title}</summary>\n\n${header}`);
    const note = (n: number): string => `\n${leftOut(kind)(n)}\n`;
    for (const [r, cell] of rows)
      add(row([`**${md(r.id, 200)}**${ownTitle(r) ? ` ${brief(r.title, 120)}` : ''}`, md(r.area, 100), r.severity, cell]), tier, kind, note);
    add('\n</details>\n\n');
  };
  if (s.skips.length) {
    folded(
      `⏭️ Skipped (${s.skips.length}): not applicable on this host`,
      SKIP,
      'skipped checks',
      '| Check | Area | Severity | Why |\n|---|---|---|---|\n',
      s.skips.map((r) => [r, brief(r.message, 200)]),
    );
  }
  if (s.passes.length) {
    folded(
      `✅ Passed (${s.passes.length})`,
      PASS,
      'passed checks',
      '| Check | Area | Severity | Found |\n|---|---|---|---|\n',
      s.passes.map((r) => [r, brief(r.actual, 200)]),
    );
  }

  const closing = `<sub>plumbline ${md(report.tool.version, 100)} · report of ${md(report.generatedAt, 100)} · every check in full: \`--format json\` or \`--format html\`</sub>\n`;
  cut(items, Buffer.byteLength(closing, 'utf8'));
  return assemble(items, s.shown.length) + closing;
}

/** Marks the least important items dropped until the rest fits the budget. */
function cut(items: Item[], tail: number): void {
  let total = tail;
  for (const it of items) total += Buffer.byteLength(it.text, 'utf8');
  if (total <= MARKDOWN_BUDGET) return;
  const order = items
    .map((it, i) => ({ it, i }))
    .filter((x) => x.it.tier > 0)
    // Lowest tier first; within a tier from the end, as every list runs worst first.
    .sort((a, b) => a.it.tier - b.it.tier || b.i - a.i);
  for (const { it } of order) {
    if (total + RESERVE <= MARKDOWN_BUDGET) break;
    it.dropped = true;
    total -= Buffer.byteLength(it.text, 'utf8');
  }
}

function assemble(items: Item[], checks: number): string {
  const parts: string[] = [];
  const gone = new Map<string, number>();
  const tierOf = new Map<string, number>();
  let run = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.dropped) {
      run++;
      gone.set(it.kind, (gone.get(it.kind) ?? 0) + 1);
      tierOf.set(it.kind, Math.min(tierOf.get(it.kind) ?? it.tier, it.tier));
    } else parts.push(it.text);
    // A run of items sharing a note ends here: say how many of it were left out.
    if (run && it.note !== items[i + 1]?.note) {
      parts.push(it.note!(run));
      run = 0;
    }
  }
  if (gone.size) {
    const total = [...gone.values()].reduce((a, b) => a + b, 0);
    // In the order they were left out: the least important first.
    const what = [...gone]
      .sort((a, b) => tierOf.get(a[0])! - tierOf.get(b[0])!)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    parts.push(
      `> [!NOTE]\n> **${total} of ${checks} checks left out** to keep this summary under GitHub's 1 MiB limit: ${what}. ` +
        'Every check, with its detail, is in the JSON report (`--format json`) and the HTML report (`--format html`).\n\n',
    );
  }
  return parts.join('');
}

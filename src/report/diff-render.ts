// The diff of two reports as text: for a terminal, for a pull request or job summary, and as data.
import { createColors } from 'picocolors';
import type { DiffEntry, ReportDiff } from './diff.js';
import { sanitize } from './sanitize.js';
import { md, mdCodeSpan } from './md-escape.js';

export const cell = (s: string): string => md(s, 300);

export type Section = { key: 'newlyFailing' | 'newlyPassing' | 'added' | 'removed' | 'changed'; title: string };

export const SECTIONS: Section[] = [
  { key: 'newlyFailing', title: 'Newly failing' },
  { key: 'newlyPassing', title: 'Newly passing' },
  { key: 'added', title: 'New checks' },
  { key: 'removed', title: 'Removed checks' },
  { key: 'changed', title: 'Other status changes' },
];

export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0';
}

export function transition(e: DiffEntry): string {
  return `${e.before ?? '(new)'} → ${e.after ?? '(removed)'}`;
}

export function verdictWord(ready: boolean): string {
  return ready ? 'READY' : 'NOT READY';
}

export function renderDiffPretty(d: ReportDiff, opts: { color: boolean }): string {
  const c = createColors(opts.color);
  const t = (s: string): string => sanitize(s).replace(/\s+/g, ' ');
  let out = `${c.bold('plumbline diff')} · ${t(d.before.host)} ${d.before.generatedAt} → ${t(d.after.host)} ${d.after.generatedAt}\n\n`;
  for (const s of SECTIONS) {
    const es = d[s.key];
    if (!es.length) continue;
    const paint = s.key === 'newlyFailing' ? c.red : s.key === 'newlyPassing' ? c.green : (x: string) => x;
    out += c.bold(paint(`${s.title} (${es.length})`)) + '\n';
    for (const e of es)
      out += `  ${c.bold(e.severity.toUpperCase().padEnd(8))} ${c.bold(t(e.id))}  ${t(e.title)}  ${c.dim(`${transition(e)}: ${t(e.message)}`)}\n`;
    out += '\n';
  }
  if (SECTIONS.every((s) => d[s.key].length === 0)) out += 'No check changed status.\n\n';
  const score = `Score ${d.before.score}% → ${d.after.score}% (${signed(d.scoreChange)})`;
  for (const w of d.warnings) out += `${c.yellow('note')}  ${t(w)}\n`;
  out += `${score} · ${verdictWord(d.before.ready)} → ${verdictWord(d.after.ready)}\n`;
  out += `${d.regression ? c.bold(c.red('REGRESSION')) : c.bold(c.green('NO REGRESSION'))} — ${t(d.reason)}\n`;
  return out;
}

export function renderDiffMarkdown(d: ReportDiff): string {
  let out = `### plumbline diff: ${d.regression ? '❌ regression' : '✅ no regression'}\n\n`;
  out += `${cell(d.reason)}\n\n`;
  for (const w of d.warnings) out += `> **Note:** ${cell(w)}\n\n`;
  out += `| | before | after |\n|---|---|---|\n`;
  out += `| score | ${d.before.score}% | ${d.after.score}% (${signed(d.scoreChange)}) |\n`;
  out += `| verdict | ${verdictWord(d.before.ready)} | ${verdictWord(d.after.ready)} |\n`;
  out += `| host | ${cell(d.before.host)} | ${cell(d.after.host)} |\n`;
  out += `| policy | ${cell(d.before.policy)} | ${cell(d.after.policy)} |\n`;
  out += `| report | ${d.before.generatedAt} | ${d.after.generatedAt} |\n\n`;
  for (const s of SECTIONS) {
    const es = d[s.key];
    if (!es.length) continue;
    out += `#### ${s.title} (${es.length})\n\n| severity | check | status | now |\n|---|---|---|---|\n`;
    for (const e of es) out += `| ${e.severity} | ${mdCodeSpan(e.id)} ${cell(e.title)} | ${transition(e)} | ${cell(e.message)} |\n`;
    out += '\n';
  }
  if (SECTIONS.every((s) => d[s.key].length === 0)) out += 'No check changed status.\n';
  return out;
}

export function renderDiffJson(d: ReportDiff): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

// The diagnosis in GitHub-flavoured markdown: a table of the layers bottom-up, the meaning of the layer that
// stopped the way and of each warning, TCP-state health, the verdict. Text escaped by the report's one escaper.
import { md } from '../report/md-escape.js';
import { sanitize } from '../report/sanitize.js';
import type { Diagnosis, LayerState } from './model.js';
import { LAYER_WORDS, fromWords, headline, seenWords, symptomWords } from './words.js';

const ICON: Record<LayerState, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️', 'not-reached': '⬜', absent: '⬜' };

const cell = (s: string): string => md(sanitize(s).replace(/\s+/g, ' ').trim());

export function renderDiagnosisMarkdown(d: Diagnosis): string {
  const out: string[] = [`## ${cell(headline(d))}`, ''];
  out.push(`Audited host ${cell(d.host.hostname)} (${cell(d.host.transport)})${d.address !== undefined ? `, address ${cell(d.address)}` : ''}.`, '');
  out.push('| | layer | judged | seen |', '|---|---|---|---|');
  for (const l of d.layers) {
    if (l.state === 'absent') continue;
    const seen = seenWords(d, l);
    const meaning = l.symptom ? `<br>**→ ${cell(symptomWords(l.symptom))}**` : '';
    out.push(`| ${ICON[l.state]} | ${cell(LAYER_WORDS[l.name])} | ${cell(fromWords(d, l))} | ${cell(seen)}${meaning} |`);
  }
  if (d.health) {
    out.push(
      '',
      `**TCP states** (${cell(fromWords(d, { name: 'link', state: 'pass', from: 'audited-host' }))}): ${cell(d.health.result.actual || d.health.result.message)}`,
    );
    for (const s of d.health.symptoms) out.push(`- ⚠️ ${cell(symptomWords(s))}`);
  }
  return `${out.join('\n')}\n`;
}

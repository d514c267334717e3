// The terminal diagnosis: one line per layer bottom-up (its state, where it was judged, what was seen), the
// meaning of the layer that stopped the way and of each warning under it, TCP-state health, then the verdict.
import { createColors } from 'picocolors';
import { sanitize } from '../report/sanitize.js';
import type { Diagnosis, Layer, LayerState } from './model.js';
import { LAYER_WORDS, fromWords, headline, seenWords, symptomWords } from './words.js';

const MARK: Record<LayerState, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', 'not-reached': '·', absent: '·' };

const one = (s: string): string => sanitize(s).replace(/\s*\n\s*/g, ' ');

export function renderDiagnosisPretty(d: Diagnosis, opts: { color: boolean }): string {
  const c = createColors(opts.color);
  const paint = (state: LayerState, s: string): string =>
    state === 'pass' ? c.green(s) : state === 'fail' ? c.red(s) : state === 'warn' ? c.yellow(s) : c.dim(s);
  const out: string[] = [];
  const via = d.path?.local
    ? ' (this host)'
    : d.path
      ? `${d.path.device ? ` via ${d.path.device}` : ''}${d.path.gateway ? `, gateway ${d.path.gateway}` : ''}`
      : '';
  out.push(c.bold(`diagnose ${one(d.target.given)}`) + (d.address !== undefined && d.address !== d.target.host ? ` → ${d.address}` : '') + via);
  out.push(c.dim(`audited host ${one(d.host.hostname)} (${d.host.transport}); bottom-up, judging stops at the first layer that fails`));
  out.push('');
  const width = Math.max(...d.layers.map((l) => LAYER_WORDS[l.name].length));
  for (const l of d.layers) {
    if (l.state === 'absent') continue;
    out.push(layerLine(d, l, width, paint));
    if (l.symptom) out.push(`      ${paint(l.state, '→')} ${one(symptomWords(l.symptom))}`);
  }
  if (d.health) {
    out.push('');
    out.push(
      `${paint(d.health.state, MARK[d.health.state])} ${'TCP states'.padEnd(width)}  ${c.dim(fromWords(d, { name: 'link', state: 'pass', from: 'audited-host' }))}  ${one(d.health.result.actual || d.health.result.message)}`,
    );
    for (const s of d.health.symptoms) out.push(`      ${paint('warn', '→')} ${one(symptomWords(s))}`);
  }
  out.push('');
  const time = d.elapsedMs !== undefined ? c.dim(` (${(d.elapsedMs / 1000).toFixed(2)} s)`) : '';
  const verdict = one(headline(d));
  out.push(`${d.verdict === 'answers' ? c.green(c.bold(verdict)) : c.red(c.bold(verdict))}${time}`);
  return `${out.join('\n')}\n`;
}

function layerLine(d: Diagnosis, l: Layer, width: number, paint: (s: LayerState, t: string) => string): string {
  const name = LAYER_WORDS[l.name].padEnd(width);
  const what = one(seenWords(d, l));
  return `${paint(l.state, MARK[l.state])} ${name}  ${fromWords(d, l).padEnd(22)}  ${l.state === 'fail' || l.state === 'warn' ? paint(l.state, what) : what}`;
}

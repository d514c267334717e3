// The diff of two fleet reports as text: for a terminal, for a pull request or job summary, and as data. Each
// host that changed gets its events and, when it was audited both times, its checks' changes, as a host's diff
// shows them.
import { createColors } from 'picocolors';
import { sanitize } from '../sanitize.js';
import { md, mdCodeSpan } from '../md-escape.js';
import { SECTIONS, cell, signed, transition, verdictWord } from '../diff-render.js';
import type { FleetDiff, HostDiff, HostEvent, HostSide } from './diff.js';
import { FAULT_WORDS, STATE_WORDS } from './words.js';

const EVENT_WORDS: Record<HostEvent, string> = {
  added: 'new host',
  removed: 'no longer in the fleet',
  'became-ready': 'became ready',
  'became-not-ready': 'became not ready',
  'became-unaudited': 'could not be audited',
  'became-audited': 'audited again',
  'fault-appeared': 'fault appeared',
  'fault-cleared': 'fault cleared',
  'fault-changed': 'fault changed',
};

function sideText(s: HostSide | undefined, missing: string): string {
  if (!s) return missing;
  const score = s.score !== undefined ? ` ${s.score}%` : '';
  return `${STATE_WORDS[s.state]}${score}${s.fault ? ` (${FAULT_WORDS[s.fault]})` : ''}`;
}

function change(h: HostDiff): string {
  return `${sideText(h.before, '(new)')} → ${sideText(h.after, '(removed)')}`;
}

function fleetLine(d: FleetDiff): string {
  return `Hosts ready ${d.before.ready}/${d.before.hosts} → ${d.after.ready}/${d.after.hosts} · ${verdictWord(d.before.fleetReady)} → ${verdictWord(d.after.fleetReady)}`;
}

export function renderFleetDiffPretty(d: FleetDiff, opts: { color: boolean }): string {
  const c = createColors(opts.color);
  const t = (s: string): string => sanitize(s).replace(/\s+/g, ' ');
  let out = `${c.bold('plumbline fleet diff')} · ${d.before.generatedAt} → ${d.after.generatedAt}\n\n`;
  for (const h of d.hosts) {
    const paint = h.regression ? c.red : (x: string) => x;
    out += `${c.bold(paint(t(h.name)))}  ${change(h)}${h.events.length ? c.dim(`  ${h.events.map((e) => EVENT_WORDS[e]).join(', ')}`) : ''}\n`;
    const k = h.checks;
    if (k) {
      for (const s of SECTIONS) {
        const es = k[s.key];
        if (!es.length) continue;
        out += `  ${c.bold(`${s.title} (${es.length})`)}\n`;
        for (const e of es)
          out += `    ${c.bold(e.severity.toUpperCase().padEnd(8))} ${c.bold(t(e.id))}  ${t(e.title)}  ${c.dim(`${transition(e)}: ${t(e.message)}`)}\n`;
      }
    }
    out += '\n';
  }
  if (!d.hosts.length) out += 'No host changed.\n\n';
  for (const w of d.warnings) out += `${c.yellow('note')}  ${t(w)}\n`;
  out += `${fleetLine(d)}\n`;
  out += `${d.regression ? c.bold(c.red('REGRESSION')) : c.bold(c.green('NO REGRESSION'))} — ${t(d.reason)}\n`;
  return out;
}

export function renderFleetDiffMarkdown(d: FleetDiff): string {
  let out = `### plumbline fleet diff: ${d.regression ? '❌ regression' : '✅ no regression'}\n\n`;
  out += `${cell(d.reason)}\n\n`;
  for (const w of d.warnings) out += `> **Note:** ${cell(w)}\n\n`;
  out += `| | before | after |\n|---|---|---|\n`;
  out += `| hosts ready | ${d.before.ready} of ${d.before.hosts} | ${d.after.ready} of ${d.after.hosts} |\n`;
  out += `| fleet | ${verdictWord(d.before.fleetReady)} | ${verdictWord(d.after.fleetReady)} |\n`;
  out += `| policy | ${cell(d.before.policy)} | ${cell(d.after.policy)} |\n`;
  out += `| report | ${d.before.generatedAt} | ${d.after.generatedAt} |\n\n`;
  if (!d.hosts.length) return `${out}No host changed.\n`;
  out += '| host | change | what happened | checks |\n|---|---|---|---|\n';
  for (const h of d.hosts) {
    const k = h.checks;
    const checks = k ? `${k.newlyFailing.length} newly failing, ${k.newlyPassing.length} fixed (${signed(k.scoreChange)})` : '';
    out += `| ${h.regression ? '❌ ' : ''}${md(h.name, 200)} | ${change(h)} | ${h.events.map((e) => EVENT_WORDS[e]).join(', ')} | ${checks} |\n`;
  }
  out += '\n';
  for (const h of d.hosts) {
    const k = h.checks;
    if (!k || !(k.newlyFailing.length + k.newlyPassing.length + k.added.length + k.removed.length + k.changed.length)) continue;
    out += `#### ${md(h.name, 200)}\n\n| severity | check | status | now |\n|---|---|---|---|\n`;
    for (const s of SECTIONS)
      for (const e of k[s.key]) out += `| ${e.severity} | ${mdCodeSpan(e.id)} ${cell(e.title)} | ${transition(e)} | ${cell(e.message)} |\n`;
    out += '\n';
  }
  return out;
}

export function renderFleetDiffJson(d: FleetDiff): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

// The HTML report: one self-contained file to open from disk or a CI artifact. Inline style and script only;
// the Content-Security-Policy lets the page load nothing at all and run no script but its own (by hash), so
// even text that escaped escaping could not run. Refs are shown as text (inert <a>, no href): the page never
// reaches the network, and a ref is report data. Verdict and score first, then where to start, the failures,
// what could not be checked, waivers, skips and passes, and the facts the verdict was judged on.
import { createHash } from 'node:crypto';
import type { Report } from './model.js';
import type { Status } from '../evaluate/model.js';
import { h } from './html/escape.js';
import { areasBlock, metaBlock, resultsBody, STATUS_WORD, verdictBlock } from './html/results.js';
import { SEVERITIES } from '../policy/model.js';
import { factsAppendix } from './html/facts.js';
import { CSS } from './html/style.js';
import { SCRIPT } from './html/script.js';

const STATUSES: Status[] = ['fail', 'error', 'waived', 'skip', 'pass'];

export function filters(shown: { status: Status; severity: string }[], areas: string[]): string {
  const n = (f: (r: { status: Status; severity: string }) => boolean): number => shown.filter(f).length;
  const box = (name: string, value: string, label: string, count: number): string =>
    `<label><input type="checkbox" name="${name}" value="${value}" checked> ${label} <span class="dim">${count}</span></label>`;
  return (
    '<form id="filters" class="filters" hidden aria-label="Filter the checks">' +
    `<fieldset><legend>Status</legend>${STATUSES.map((s) =>
      box(
        's',
        s,
        STATUS_WORD[s],
        n((r) => r.status === s),
      ),
    ).join('')}</fieldset>` +
    `<fieldset><legend>Severity</legend>${SEVERITIES.map((v) =>
      box(
        'v',
        v,
        v,
        n((r) => r.severity === v),
      ),
    ).join('')}</fieldset>` +
    `<fieldset><legend>Area</legend><select name="a" aria-label="Area"><option value="">All areas</option>${areas.map((a) => `<option value="${h(a)}">${h(a)}</option>`).join('')}</select></fieldset>` +
    '<input type="search" name="q" placeholder="Search id or text" aria-label="Search the checks">' +
    '<button type="reset">Show all</button>' +
    `<span id="shown" aria-live="polite">${shown.length} of ${shown.length} checks shown</span>` +
    '</form>'
  );
}

/** The page up to its content: the policy that lets it load nothing and run only its own script, its title. */
export function pageHead(title: string, version: string): string {
  const hash = createHash('sha256').update(SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">\n`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n',
    `<meta name="generator" content="plumbline ${h(version)}">\n`,
    `<title>${title}</title>\n`,
    `<style>${CSS}</style>\n</head>\n<body>\n`,
    `<header class="top"><div class="wrap"><span class="brand"><span aria-hidden="true"></span>plumbline</span><span class="what">production-readiness report</span></div></header>\n`,
    '<main class="wrap">\n',
  ].join('');
}

/** The page from its footer on, with the one script. */
export function pageTail(footer: string): string {
  return `\n<footer class="end">${footer}</footer>\n</main>\n<script>${SCRIPT}</script>\n</body>\n</html>\n`;
}

export function renderHtml(report: Report): string {
  const body = resultsBody(report);
  const verdict = report.ready ? 'READY' : 'NOT READY';
  return [
    pageHead(`${verdict} · ${h(report.host.hostname, 200)} · ${h(report.policy.name, 200)} — plumbline`, report.tool.version),
    `<h1>${h(report.host.hostname)} <span class="dim">against</span> ${h(report.policy.name)}</h1>\n`,
    verdictBlock(report),
    '\n',
    metaBlock(report),
    '\n',
    areasBlock(report),
    '\n',
    body.start,
    '\n',
    filters(body.shown, body.areas),
    '\n',
    body.html,
    '\n',
    factsAppendix(report.facts),
    pageTail(`plumbline ${h(report.tool.version)} · ${h(report.schema)} · report of <time>${h(report.generatedAt)}</time>`),
  ].join('');
}

// The report's body: the verdict at a glance, the areas, where to start, then every check, failures first.
// Every check is one element of class `r` carrying its status, area and severity as data attributes, which is
// all the filter script reads.
import { attentionUses, waiverUseText } from '../waivers.js';
import type { Report } from '../model.js';
import type { Status } from '../../evaluate/model.js';
import type { ReportResult as Result } from '../model.js';
import type { Severity } from '../../policy/model.js';
import { sections, where, type Sections } from '../reading.js';
import { h, idFor } from './escape.js';
import { ownTitle } from '../title.js';

const ITEMS = 25;
export const STATUS_WORD: Record<Status, string> = { fail: 'Fail', error: 'Could not check', waived: 'Waived', skip: 'Skipped', pass: 'Pass' };
const MARK: Record<Status, string> = { pass: '✓', fail: '✗', error: '!', skip: '–', waived: '~' };

/** Element ids of every shown check, unique even where a report repeats an id; a cause links to the first. */
class Anchors {
  private readonly of = new Map<Result, string>();
  private readonly first = new Map<string, string>();
  constructor(results: Result[], prefix: string) {
    const used = new Set<string>();
    for (const r of results) {
      const base = prefix + idFor(r.id);
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      this.of.set(r, id);
      if (!this.first.has(r.id)) this.first.set(r.id, id);
    }
  }
  id(r: Result): string {
    return this.of.get(r)!;
  }
  /** A link to the check, or its id as text when the report does not hold it. */
  link(checkId: string): string {
    const to = this.first.get(checkId);
    return to ? `<a class="cid" href="#${to}">${h(checkId)}</a>` : `<code class="cid">${h(checkId)}</code>`;
  }
}

function attrs(a: Anchors, r: Result, cls: string): string {
  return `class="r ${cls}" id="${a.id(r)}" data-s="${r.status}" data-a="${h(r.area)}" data-v="${r.severity}"`;
}

function sev(s: Severity): string {
  return `<span class="sev v-${s}">${s}</span>`;
}

function st(s: Status): string {
  return `<span class="st s-${s}"><span aria-hidden="true">${MARK[s]}</span> ${STATUS_WORD[s]}</span>`;
}

function lines(s: string): string {
  return `<span class="txt">${h(s)}</span>`;
}

function headLine(r: Result): string {
  const implied = r.impliedBy
    ? ' <span class="tag implied" title="plumbline made this lower check for the checks it explains; it is not scored">implied, not scored</span>'
    : '';
  return `<div class="rh">${sev(r.severity)}${st(r.status)}<code class="cid">${h(r.id)}</code>${ownTitle(r) ? `<span class="ttl">${h(r.title)}</span>` : ''}${implied}<span class="area">${h(r.area)}</span></div>`;
}

function footer(r: Result): string {
  const tags = r.tags.map((t) => `<span class="tag">${h(t, 200)}</span>`).join('');
  // Refs are text to copy, not links: the page must never reach the network, and a ref is report data.
  const refs = r.refs.length ? ` <span class="refs">see ${r.refs.map((x) => `<a class="ref">${h(x, 2000)}</a>`).join(', ')}</span>` : '';
  return `<div class="meta"><span class="at">${h(where(r))}</span>${tags ? ` ${tags}` : ''}${refs}</div>`;
}

function itemsList(r: Result): string {
  const details = r.details ?? [];
  const bad = details.filter((d) => d.status !== 'pass');
  if (!bad.length) return '';
  let out = `<ul class="items" aria-label="items not passing">`;
  for (const d of bad.slice(0, ITEMS))
    out += `<li class="s-${d.status}"><span aria-hidden="true">${MARK[d.status]}</span> <span class="subj">${h(d.subject)}</span>: ${lines(d.actual)}</li>`;
  if (bad.length > ITEMS) out += `<li class="more">… and ${bad.length - ITEMS} more in the JSON report</li>`;
  return out + '</ul>';
}

function expectedActual(r: Result): string {
  const details = r.details ?? [];
  const bad = details.filter((d) => d.status !== 'pass').length;
  const actual = bad ? `${details.length} checked, ${bad} not passing` : r.actual;
  return `<div class="ea"><div class="exp"><div class="lbl">Expected</div><div class="val">${lines(r.expected)}</div></div><div class="act"><div class="lbl">Actual</div><div class="val">${lines(actual)}</div></div></div>`;
}

/** A failure or a check that could not be run, in full. */
function card(a: Anchors, r: Result, explains?: Result[]): string {
  let out = `<article ${attrs(a, r, explains ? 'card root' : 'card')}>${headLine(r)}`;
  if (explains) {
    out += `<p class="explains"><span class="tag rootc">root cause</span> explains ${explains.length} failing check${explains.length === 1 ? '' : 's'}: ${explains.map((x) => a.link(x.id)).join(', ')}</p>`;
  }
  if (r.status === 'error') {
    out += `<div class="ea"><div class="reason"><div class="lbl">Could not check</div>${lines(r.message)}</div><div class="exp"><div class="lbl">Expected</div><div class="val">${lines(r.expected)}</div></div></div>`;
  } else {
    out += expectedActual(r) + itemsList(r);
    if (r.message && r.message !== r.actual) out += `<p class="msg">${lines(r.message)}</p>`;
  }
  if (r.status === 'fail' && r.remediation) out += `<div class="fix"><div class="lbl">Fix</div><pre>${h(r.remediation)}</pre></div>`;
  if (r.rationale) out += `<p class="why"><span class="lbl">Why it matters</span> ${lines(r.rationale)}</p>`;
  return out + footer(r) + '</article>\n';
}

/** A failure explained by another: one line, pointing at its cause, which holds the reason and the fix. */
function symptom(a: Anchors, r: Result): string {
  return (
    `<article ${attrs(a, r, 'card sym')}>${headLine(r)}` +
    `<p class="because">← fails because ${a.link(r.cause!)} failed first: fix that, then audit again.</p>` +
    `<p class="msg small">${lines(r.message)} <span class="dim">(expected ${h(r.expected)}; actual ${h(r.actual)})</span></p></article>\n`
  );
}

function sectionHtml(id: string, title: string, n: number, body: string, note = ''): string {
  return `<section class="sec" id="${id}" data-sec><h2>${title} <span class="n" data-total="${n}">${n}</span></h2>${note}${body}<p class="none">No check here matches the filter.</p></section>\n`;
}

function tableRows(a: Anchors, rows: Result[], cells: (r: Result) => string[]): string {
  return rows
    .map(
      (r) =>
        `<tr ${attrs(a, r, 'row')}><td>${st(r.status)}</td><td><code class="cid">${h(r.id)}</code>${ownTitle(r) ? `<div class="ttl">${h(r.title)}</div>` : ''}</td><td>${h(r.area)}</td><td>${sev(r.severity)}</td>${cells(
          r,
        )
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>\n`,
    )
    .join('');
}

/** The waivers file's waivers that are stale, expired or about to expire, above the waived checks. */
function waiversToLookAt(report: Report): string {
  const uses = attentionUses(report.waivers);
  if (!uses.length) return '';
  const items = uses.map(
    (u) =>
      `<li><code class="cid">${h(u.check)}</code> <span class="dim">${h(`${u.source.file}:${u.source.line}:${u.source.column}`)} · owner ${h(u.owner)}</span><br>${h(waiverUseText(u))}</li>`,
  );
  return `<div class="note"><p>Waivers to look at (${uses.length}):</p><ul>${items.join('')}</ul></div>`;
}

function table(head: string[], body: string): string {
  return `<div class="tw"><table class="checks"><thead><tr><th>Status</th><th>Check</th><th>Area</th><th>Severity</th>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>\n${body}</tbody></table></div>`;
}

/** `prefix` goes before every element id and link of the block, so several hosts' blocks share one page. */
export function verdictBlock(report: Report, prefix = ''): string {
  const k = report.counts;
  const ok = report.ready;
  const p = Math.max(0, Math.min(100, report.score));
  const tiles: [Status, string, string][] = [
    ['fail', 'Failed', '#failures'],
    ['error', 'Could not check', '#errors'],
    ['waived', 'Waived', '#waived'],
    ['skip', 'Skipped', '#skipped'],
    ['pass', 'Passed', '#passed'],
  ];
  return (
    `<section class="hero ${ok ? 'ok' : 'bad'}" aria-label="verdict">` +
    `<div class="verdict"><div class="pill">${ok ? '✓ READY' : '✗ NOT READY'}</div><p class="vreason">${h(report.verdictReason)}</p></div>` +
    `<div class="score" role="img" aria-label="score ${report.score} percent, threshold ${report.threshold} percent">` +
    `<div class="ring" style="--p:${p}"><div class="num">${report.score}<small>%</small></div></div>` +
    `<div class="thr">${report.score >= report.threshold ? 'meets' : 'below'} the threshold of <b>${report.threshold}%</b></div></div>` +
    `<div class="tiles">${tiles.map(([s, label, href]) => `<a class="tile s-${s}${k[s] ? '' : ' zero'}" href="#${prefix}${href.slice(1)}"><b>${k[s]}</b>${label}</a>`).join('')}</div>` +
    '</section>'
  );
}

export function metaBlock(report: Report): string {
  const r = report.host;
  const rows: [string, string][] = [
    ['Host', `<b>${h(r.hostname)}</b>`],
    ['Kernel', h(r.kernel)],
    ['Read via', h(r.transport)],
    ['Facts collected', `<time>${h(r.collectedAt)}</time>`],
    ['Policy', `<b>${h(report.policy.name)}</b>`],
    ['Sources', report.policy.sources.map((s) => `<code>${h(s)}</code>`).join(' ') || '—'],
    ['Report of', `<time>${h(report.generatedAt)}</time>`],
    ['plumbline', h(report.tool.version)],
  ];
  return `<dl class="metas">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

export function areasBlock(report: Report): string {
  if (!report.areas.length) return '';
  const rows = report.areas.map((a) => {
    const c = a.counts;
    const level = a.score >= report.threshold ? 'good' : a.score >= report.threshold / 2 ? 'warn' : 'poor';
    const p = Math.max(0, Math.min(100, a.score));
    const counts = (['pass', 'fail', 'error', 'skip', 'waived'] as Status[])
      .filter((s) => c[s])
      .map((s) => `<span class="c s-${s}">${c[s]} ${s}</span>`)
      .join(' ');
    return `<div class="arow"><span class="aname">${h(a.area)}</span><span class="bar ${level}" role="img" aria-label="${h(a.area)} ${a.score} percent"><span style="width:${p}%"></span><i style="left:${Math.max(0, Math.min(100, report.threshold))}%"></i></span><span class="apct">${a.score}%</span><span class="acounts">${counts}</span></div>`;
  });
  return `<section class="areas" aria-label="areas"><h2>Areas</h2><div class="agrid">${rows.join('')}</div><p class="legend">Bars show each area's severity-weighted score; the tick marks the threshold.</p></section>`;
}

function rootsBlock(a: Anchors, s: Sections, prefix: string): string {
  if (!s.rootCauses.length) return '';
  const items = s.rootCauses.map(
    (c) =>
      `<li>${sev(c.result.severity)} ${a.link(c.result.id)}${ownTitle(c.result) ? ` <span class="ttl">${h(c.result.title)}</span>` : ''}${c.symptoms.length ? ` <span class="dim">explains</span> ${c.symptoms.map((x) => a.link(x.id)).join(', ')}` : ''}</li>`,
  );
  return `<section class="start" id="${prefix}root-causes" aria-label="root causes"><h2>Where to start: ${s.rootCauses.length} root cause${s.rootCauses.length === 1 ? '' : 's'}</h2><p>Each fails on its own and explains other failures. Fix these first, then audit again.</p><ol>${items.join('')}</ol></section>`;
}

export interface Body {
  html: string;
  /** Where to start: the root causes, before the filter (they are a summary, not rows). */
  start: string;
  /** The checks shown, each one `.r` element. */
  shown: Result[];
  areas: string[];
}

/** The checks of a report; `prefix` goes before every element id, so several hosts' bodies share one page. */
export function resultsBody(report: Report, prefix = ''): Body {
  const s = sections(report);
  const a = new Anchors(s.shown, prefix);
  const section = (id: string, title: string, n: number, body: string, note = ''): string => sectionHtml(prefix + id, title, n, body, note);
  const out: string[] = [];
  const explains = new Map(s.rootCauses.map((c) => [c.result, c.symptoms]));

  // Root causes are failures too, and stay among them in order of severity; their symptoms follow on one line.
  const place = new Map(s.shown.map((r, i) => [r, i]));
  const own = [...s.rootCauses.map((c) => c.result).filter((r) => r.status === 'fail'), ...s.failures].sort((x, y) => place.get(x)! - place.get(y)!);
  const failures = own.map((r) => card(a, r, explains.get(r))).join('');
  const symptoms = s.symptoms.length
    ? `<h3 class="sub">Failing because of a failure above (${s.symptoms.length})</h3>${s.symptoms.map((r) => symptom(a, r)).join('')}`
    : '';
  const nFail = own.length + s.symptoms.length;
  out.push(section('failures', 'Failures', nFail, failures + symptoms || '<p class="empty">No check failed.</p>'));

  const rootErrors = s.rootCauses.map((c) => c.result).filter((r) => r.status === 'error');
  const errors = [...rootErrors, ...s.errors];
  out.push(
    section(
      'errors',
      'Could not check',
      errors.length,
      errors.map((r) => card(a, r, explains.get(r))).join('') || '<p class="empty">Every check could be run.</p>',
      errors.length ? '<p class="note">These count against the score: a check that could not be verified is not a passed one.</p>' : '',
    ),
  );
  const waived = tableRows(a, s.waived, (r) => [
    r.waiver ? STATUS_WORD[r.waiver.status] : '',
    `${lines(r.waiver?.reason ?? '')}${r.waiver?.owner !== undefined ? `<div class="dim">owner ${h(r.waiver.owner)}</div>` : ''}`,
    r.waiver?.expires ? `<time>${h(r.waiver.expires)}</time>` : 'never',
    `${lines(r.actual)}${r.message && r.message !== r.actual ? `<div class="dim">${lines(r.message)}</div>` : ''}`,
  ]);
  out.push(
    section(
      'waived',
      'Waived',
      s.waived.length,
      s.waived.length ? table(['Would be', 'Reason', 'Expires', 'Found'], waived) : '<p class="empty">Nothing is waived.</p>',
      waiversToLookAt(report),
    ),
  );
  const skips = tableRows(a, s.skips, (r) => [lines(r.message)]);
  out.push(section('skipped', 'Skipped', s.skips.length, s.skips.length ? table(['Why not applicable'], skips) : '<p class="empty">Every check applied.</p>'));
  const passes = tableRows(a, s.passes, (r) => [lines(r.expected), lines(r.actual)]);
  out.push(section('passed', 'Passed', s.passes.length, s.passes.length ? table(['Expected', 'Found'], passes) : '<p class="empty">No check passed.</p>'));

  const areas = [...new Set([...report.areas.map((x) => x.area), ...s.shown.map((r) => r.area)])].sort();
  return { html: out.join(''), start: rootsBlock(a, s, prefix), shown: s.shown, areas };
}

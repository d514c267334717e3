// The fleet report as one self-contained page: the fleet verdict, one row per host (linking to its section), the
// checks failing on most hosts, the hosts that could not be audited and why; then one section per host made of
// the host report's own parts (verdict, areas, where to start, every check), their element ids prefixed by the
// host's so links stay within a host, and one filter over every host's checks. The hosts' facts are not shown
// (the JSON fleet report keeps each one's). Same policy as a host's page: nothing loaded, no script but its own.
import { filters, pageHead, pageTail } from '../html.js';
import { h, idFor } from '../html/escape.js';
import { areasBlock, metaBlock, resultsBody, verdictBlock } from '../html/results.js';
import type { ReportResult as Result } from '../model.js';
import type { FleetReportHost, FleetReport } from './model.js';
import { FAULT_WORDS, STATE_WORDS } from './words.js';

const STATE_CLASS = { ready: 's-pass', 'not-ready': 's-fail', unaudited: 's-error' } as const;
const MARK = { ready: '✓', 'not-ready': '✗', unaudited: '!' } as const;

/** The element id of a host's section; its checks' ids start with it. */
function hostId(name: string): string {
  return `h-${idFor(name).slice(2)}`;
}

function state(x: FleetReportHost): string {
  return `<span class="st ${STATE_CLASS[x.state]}"><span aria-hidden="true">${MARK[x.state]}</span> ${STATE_WORDS[x.state]}</span>`;
}

function hostLink(name: string): string {
  return `<a href="#${hostId(name)}">${h(name, 200)}</a>`;
}

function table(head: string[], rows: string[][]): string {
  return `<div class="tw"><table class="checks"><thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>\n${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>\n`)
    .join('')}</tbody></table></div>`;
}

function hero(f: FleetReport): string {
  const s = f.summary;
  const tiles: [string, string, number][] = [
    ['s-pass', 'Ready', s.ready],
    ['s-fail', 'Not ready', s.notReady],
    ['s-error', 'Not audited', s.unaudited],
  ];
  return (
    `<section class="hero ${f.ready ? 'ok' : 'bad'}" aria-label="fleet verdict">` +
    `<div class="verdict"><div class="pill">${f.ready ? '✓ READY' : '✗ NOT READY'}</div><p class="vreason">${h(f.verdictReason)}</p></div>` +
    `<div class="tiles">${tiles.map(([c, label, n]) => `<a class="tile ${c}${n ? '' : ' zero'}" href="#hosts"><b>${n}</b>${label}</a>`).join('')}</div>` +
    '</section>'
  );
}

function meta(f: FleetReport): string {
  const rows: [string, string][] = [
    ['Hosts ready', `${f.summary.ready} of ${f.summary.hosts}`],
    ['Not ready', String(f.summary.notReady)],
    ['Not audited', String(f.summary.unaudited)],
    ['Policy', `<b>${h(f.policy.name)}</b>`],
    ['Sources', f.policy.sources.map((s) => `<code>${h(s)}</code>`).join(' ') || '—'],
    ['Threshold', `${f.threshold}%`],
    ['Report of', `<time>${h(f.generatedAt)}</time>`],
    ['plumbline', h(f.tool.version)],
  ];
  return `<dl class="metas">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

function hostsSection(f: FleetReport): string {
  const rows = f.hosts.map((x) => [
    `${hostLink(x.name)}${x.address !== undefined ? `<div class="dim">${h(x.address, 200)}</div>` : ''}`,
    state(x),
    x.score !== undefined ? `${x.score}%` : '—',
    x.audited ? String(x.criticalFailing.length) : '—',
    x.fault ? `<span class="tag">${h(FAULT_WORDS[x.fault.class])}</span>` : '',
    x.groups.map((g) => `<span class="tag">${h(g, 200)}</span>`).join(''),
  ]);
  return `<section class="sec" id="hosts"><h2>Hosts <span class="n">${f.hosts.length}</span></h2>${
    rows.length ? table(['Host', 'Verdict', 'Score', 'Critical failing', 'Fault', 'Groups'], rows) : '<p class="empty">No host.</p>'
  }</section>\n`;
}

function failingSection(f: FleetReport): string {
  if (!f.failing.length) return '';
  const rows = f.failing.map((x) => [
    `${x.hosts.length} of ${f.summary.hosts}`,
    `<span class="sev v-${x.severity}">${x.severity}</span>`,
    `<code class="cid">${h(x.checkId)}</code><div class="ttl">${h(x.title)}</div>`,
    `${x.status === 'error' ? 'could not check ' : ''}${x.reasonCode !== undefined ? `<code>${h(x.reasonCode)}</code>` : ''}`,
    x.hosts.map(hostLink).join(', '),
  ]);
  return `<section class="sec" id="failing"><h2>Failing on most hosts <span class="n">${f.failing.length}</span></h2><p class="note">Each check with the reason it fails for, and the hosts where it does.</p>${table(['Hosts', 'Severity', 'Check', 'Reason', 'On'], rows)}</section>\n`;
}

function faultSection(f: FleetReport): string {
  const faulted = f.hosts.filter((x) => x.fault);
  if (!faulted.length) return '';
  const rows = faulted.map((x) => [
    hostLink(x.name),
    x.audited ? 'judged on what could be read' : 'not audited',
    `<span class="tag">${h(x.fault!.class)}</span> ${h(FAULT_WORDS[x.fault!.class])}`,
    `<span class="txt">${h(x.fault!.detail)}</span>`,
  ]);
  return `<section class="sec" id="faults"><h2>Faults <span class="n">${faulted.length}</span></h2>${table(['Host', 'Effect', 'Fault', 'Said'], rows)}</section>\n`;
}

function hostSection(x: FleetReportHost): { html: string; shown: Result[]; areas: string[] } {
  const id = hostId(x.name);
  const head = `<h2 class="hosth">${h(x.name)} ${state(x)}</h2>`;
  if (!x.report) {
    const f = x.fault!;
    return {
      html: `<section class="sec host" id="${id}">${head}<p><b>Could not be audited:</b> <span class="tag">${h(f.class)}</span> ${h(FAULT_WORDS[f.class])}</p><p class="txt">${h(f.detail)}</p></section>\n`,
      shown: [],
      areas: [],
    };
  }
  const body = resultsBody(x.report, `${id}/`);
  const fault = x.fault
    ? `<p class="note"><b>Judged on what could be read:</b> ${h(FAULT_WORDS[x.fault.class])}: <span class="txt">${h(x.fault.detail)}</span></p>`
    : '';
  return {
    html: `<section class="host" id="${id}" aria-label="host ${h(x.name, 200)}">${head}${fault}${verdictBlock(x.report, `${id}/`)}\n${metaBlock(x.report)}\n${areasBlock(x.report)}\n${body.start}\n${body.html}</section>\n`,
    shown: body.shown,
    areas: body.areas,
  };
}

export function renderFleetHtml(fleet: FleetReport): string {
  const hosts = fleet.hosts.map(hostSection);
  const shown = hosts.flatMap((x) => x.shown);
  const areas = [...new Set(hosts.flatMap((x) => x.areas))].sort();
  const verdict = fleet.ready ? 'READY' : 'NOT READY';
  return [
    pageHead(`${verdict} · fleet of ${fleet.summary.hosts} · ${h(fleet.policy.name, 200)} — plumbline`, fleet.tool.version),
    `<h1>Fleet of ${fleet.summary.hosts} host${fleet.summary.hosts === 1 ? '' : 's'} <span class="dim">against</span> ${h(fleet.policy.name)}</h1>\n`,
    hero(fleet),
    '\n',
    meta(fleet),
    '\n',
    hostsSection(fleet),
    failingSection(fleet),
    faultSection(fleet),
    shown.length ? `${filters(shown, areas)}\n` : '',
    hosts.map((x) => x.html).join(''),
    pageTail(`plumbline ${h(fleet.tool.version)} · ${h(fleet.schema)} · report of <time>${h(fleet.generatedAt)}</time>`),
  ].join('');
}

// The fleet report in GitHub-flavoured markdown (a job summary, a pull-request comment): the fleet verdict and
// why, one table row per host, the checks failing on most hosts by reason code, the hosts that could not be
// audited and why, then each host's failing checks folded away. Report text goes through the one escaper
// (md-escape.ts); the summary line of a fold is HTML, so it is escaped as HTML. The summary keeps under the same
// budget as a host's: hosts' folds are left out from the end when it would not fit, and the note says how many.
import { h } from '../html/escape.js';
import { MARKDOWN_BUDGET } from '../markdown.js';
import { md, mdCodeSpan } from '../md-escape.js';
import { byImportance } from '../build.js';
import type { FleetReportHost, FleetReport } from './model.js';
import { FAULT_WORDS, STATE_WORDS } from './words.js';
import { FINDINGS_SHOWN, oneLine, summaryLine } from './reading.js';
import { cut } from '../listing.js';

const ICON = { ready: '✅', 'not-ready': '❌', unaudited: '⚠️' } as const;
const PER_HOST = 20;
const RESERVE = 16 * 1024;

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |\n`;
}

function names(list: readonly string[], max: number): string {
  const { shown, more } = cut(list, max);
  return `${shown.map((n) => md(n, 200)).join(', ')}${more ? ` and ${more} more` : ''}`;
}

function hostFold(host: FleetReportHost): string {
  const bad = (host.report?.results ?? []).filter((r) => r.impliedBy === undefined && (r.status === 'fail' || r.status === 'error')).sort(byImportance);
  if (!bad.length) return '';
  const fails = bad.filter((r) => r.status === 'fail').length;
  const summary = `${h(oneLine(host.name), 200)}: ${STATE_WORDS[host.state]}, ${host.score}% · ${fails} failing · ${bad.length - fails} could not be checked`;
  let out = `<details><summary>${summary}</summary>\n\n`;
  for (const r of bad.slice(0, PER_HOST))
    out += `- ${r.status === 'fail' ? '❌' : '⚠️'} **${r.severity.toUpperCase()}** · ${mdCodeSpan(r.id)} — ${md(r.title, 300)}: ${md(r.message)}\n`;
  if (bad.length > PER_HOST) out += `- _… and ${bad.length - PER_HOST} more (all in the JSON report)_\n`;
  return `${out}\n</details>\n\n`;
}

export function renderFleetMarkdown(fleet: FleetReport): string {
  let out = `## ${fleet.ready ? '✅ READY' : '❌ NOT READY'} — plumbline fleet audit\n\n`;
  out += `**${fleet.ready ? 'Ready' : 'Not ready'}:** ${md(fleet.verdictReason)}\n\n`;
  out += `- **Hosts:** ${summaryLine(fleet)}\n`;
  out += `- **Policy:** ${md(fleet.policy.name, 300)}${fleet.policy.sources.length ? ` — ${md(fleet.policy.sources.join(', '))}` : ''} · threshold ${fleet.threshold}%\n\n`;

  if (fleet.hosts.length) {
    out += '| Host | Verdict | Score | Critical failing | Fault |\n|---|---|---:|---:|---|\n';
    for (const x of fleet.hosts)
      out += row([
        md(x.name, 200),
        `${ICON[x.state]} ${STATE_WORDS[x.state]}`,
        x.score !== undefined ? `${x.score}%` : '—',
        x.audited ? String(x.criticalFailing.length) : '—',
        x.fault ? FAULT_WORDS[x.fault.class] : '',
      ]);
    out += '\n';
  }

  if (fleet.failing.length) {
    out += `### ❌ Failing on most hosts (${fleet.failing.length})\n\n`;
    out += '| Hosts | Severity | Check | Reason | On |\n|---:|---|---|---|---|\n';
    for (const f of fleet.failing.slice(0, FINDINGS_SHOWN))
      out += row([
        `${f.hosts.length} of ${fleet.summary.hosts}`,
        f.severity,
        `${mdCodeSpan(f.checkId)} ${md(f.title, 200)}`,
        f.status === 'error' ? `could not check${f.reasonCode ? ` (${mdCodeSpan(f.reasonCode)})` : ''}` : f.reasonCode ? mdCodeSpan(f.reasonCode) : 'fail',
        names(f.hosts, 10),
      ]);
    if (fleet.failing.length > FINDINGS_SHOWN) out += `\n_… and ${fleet.failing.length - FINDINGS_SHOWN} more (all in the JSON report)._\n`;
    out += '\n';
  }

  const faulted = fleet.hosts.filter((x) => x.fault);
  const unaudited = faulted.filter((x) => !x.audited);
  if (unaudited.length) {
    out += `### ⚠️ Not audited (${unaudited.length})\n\n| Host | Address | Fault | Said |\n|---|---|---|---|\n`;
    for (const x of unaudited) out += row([md(x.name, 200), md(x.address ?? '', 200), FAULT_WORDS[x.fault!.class], md(x.fault!.detail, 500)]);
    out += '\n';
  }
  const partial = faulted.filter((x) => x.audited);
  if (partial.length) {
    out += `### ⚠️ Judged on what could be read (${partial.length})\n\n| Host | Fault | Said |\n|---|---|---|\n`;
    for (const x of partial) out += row([md(x.name, 200), FAULT_WORDS[x.fault!.class], md(x.fault!.detail, 500)]);
    out += '\n';
  }

  const closing = `<sub>plumbline ${md(fleet.tool.version, 100)} · report of ${md(fleet.generatedAt, 100)} · every check of every host: \`--format json\` or \`--format html\`</sub>\n`;
  const folds = fleet.hosts.map(hostFold);
  if (folds.some((f) => f)) out += '### Failing checks by host\n\n';
  let budget = MARKDOWN_BUDGET - RESERVE - Buffer.byteLength(out + closing, 'utf8');
  let left = 0;
  for (const fold of folds) {
    const size = Buffer.byteLength(fold, 'utf8');
    if (!fold) continue;
    if (size > budget) {
      left++;
      continue;
    }
    out += fold;
    budget -= size;
  }
  if (left)
    out += `> [!NOTE]\n> **The failing checks of ${left} host${left === 1 ? '' : 's'} left out** to keep this summary under GitHub's 1 MiB limit: they are in the JSON report (\`--format json\`) and the HTML report (\`--format html\`).\n\n`;
  return out + closing;
}

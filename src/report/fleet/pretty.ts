// The terminal fleet report: one row per host (verdict, score, critical checks failing, fault), then the checks
// failing on most hosts, each with its reason code and hosts, then the hosts that could not be audited and why,
// and the fleet verdict last. Colour only when the caller says so.
import { createColors } from 'picocolors';
import type { FleetReportHost, FleetReport } from './model.js';
import { FAULT_WORDS, STATE_WORDS, faultLine } from './words.js';
import { FINDINGS_SHOWN, oneLine, shorten, summaryLine } from './reading.js';
import { cut } from '../listing.js';

type Colors = ReturnType<typeof createColors>;

const NAME_WIDTH = 40;

function paintState(c: Colors, h: FleetReportHost, s: string): string {
  return h.state === 'ready' ? c.green(s) : h.state === 'not-ready' ? c.red(s) : c.magenta(s);
}

function table(c: Colors, hosts: FleetReportHost[]): string {
  const names = hosts.map((h) => shorten(oneLine(h.name), NAME_WIDTH));
  const w = Math.max(4, ...names.map((n) => n.length));
  const head = `${'HOST'.padEnd(w)}  ${'VERDICT'.padEnd(11)}  ${'SCORE'.padStart(6)}  ${'CRITICAL'.padStart(8)}  FAULT`;
  let out = `${c.bold(head)}\n`;
  hosts.forEach((h, i) => {
    const score = h.score !== undefined ? `${h.score}%` : '—';
    const critical = h.audited ? String(h.criticalFailing.length) : '—';
    const criticalCell = critical.padStart(8);
    const fault = h.fault ? FAULT_WORDS[h.fault.class] : '';
    out +=
      `${names[i]!.padEnd(w)}  ${c.bold(paintState(c, h, STATE_WORDS[h.state].padEnd(11)))}  ${score.padStart(6)}  ${h.criticalFailing.length ? c.red(criticalCell) : criticalCell}  ${h.fault ? c.magenta(fault) : ''}`.trimEnd() +
      '\n';
  });
  return out;
}

export function renderFleetPretty(fleet: FleetReport, opts: { color: boolean }): string {
  const c = createColors(opts.color);
  let out = `${c.bold('plumbline')} ${oneLine(fleet.tool.version)} · fleet of ${fleet.summary.hosts} host${fleet.summary.hosts === 1 ? '' : 's'} · policy ${c.bold(oneLine(fleet.policy.name))}\n\n`;
  if (fleet.hosts.length) out += `${table(c, fleet.hosts)}\n`;

  if (fleet.failing.length) {
    out += c.bold(c.red(`Failing on most hosts (${fleet.failing.length} check${fleet.failing.length === 1 ? '' : 's'} by reason)`)) + '\n';
    for (const f of fleet.failing.slice(0, FINDINGS_SHOWN)) {
      const share = `${f.hosts.length}/${fleet.summary.hosts}`;
      const what = f.status === 'error' ? 'could not check' : (f.reasonCode ?? 'fail');
      out += `  ${c.bold(share.padStart(7))}  ${c.bold(f.severity.toUpperCase().padEnd(8))} ${c.bold(oneLine(f.checkId))}  ${c.dim(what)}  ${shorten(oneLine(f.title), 80)}\n`;
      const { shown, more } = cut(f.hosts.map(oneLine), 8);
      out += `${' '.repeat(19)}${c.dim(`${shown.join(', ')}${more ? ` and ${more} more` : ''}`)}\n`;
    }
    if (fleet.failing.length > FINDINGS_SHOWN) out += `  ${c.dim(`… and ${fleet.failing.length - FINDINGS_SHOWN} more (all in the JSON report)`)}\n`;
    out += '\n';
  }

  const faulted = fleet.hosts.filter((h) => h.fault);
  const unaudited = faulted.filter((h) => !h.audited);
  if (unaudited.length) {
    out += c.bold(c.magenta(`Not audited (${unaudited.length})`)) + '\n';
    for (const h of unaudited)
      out += `  ${c.bold(oneLine(h.name))}${h.address !== undefined ? c.dim(` (${oneLine(h.address)})`) : ''}  ${oneLine(faultLine(h.fault!))}\n`;
    out += '\n';
  }
  const partial = faulted.filter((h) => h.audited);
  if (partial.length) {
    out += c.bold(c.magenta(`Judged on what could be read (${partial.length})`)) + '\n';
    for (const h of partial) out += `  ${c.bold(oneLine(h.name))}  ${oneLine(faultLine(h.fault!))}\n`;
    out += '\n';
  }

  out += `${summaryLine(fleet)}\n`;
  out += `${fleet.ready ? c.bold(c.green('READY')) : c.bold(c.red('NOT READY'))} — ${oneLine(fleet.verdictReason)}\n`;
  return out;
}

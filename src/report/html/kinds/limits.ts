// The `limits` kind's reading of the facts for the HTML appendix: processes and their limits.
import type { ProcessesFact, FamilyError } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { isObj, isErr, scalar, generic, errorLine, grid, rest } from '../fact-html.js';
import type { Json } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

const PROCESSES_PER_TABLE = 5;

function limitCell(l: Json): string {
  return isObj(l) ? `${scalar(l.soft)} / ${scalar(l.hard)}` : generic(l);
}

function processes(v: ProcessesFact): string {
  const rows = v.processes.map((p) => [
    String(p.pid),
    `<code>${hWrap(p.comm)}</code>`,
    `${h(p.user ?? '?')} <span class="dim">(uid ${p.uid})</span>`,
    scalar(p.unit),
    p.exe ? `<code>${hWrap(p.exe)}</code>` : scalar(undefined),
    p.cmdline ? `<code>${hWrap(p.cmdline)}</code>` : scalar(undefined),
  ]);
  let out =
    `<h4>Processes (${v.processes.length})</h4>` +
    (rows.length ? grid(['PID', 'Command', 'User', 'Unit', 'Executable', 'Command line'], rows) : '<p class="dim">None read.</p>');
  const withLimits = v.processes.filter((p) => p.limits !== undefined);
  if (withLimits.length) {
    const items = [...new Set(withLimits.flatMap((p) => (p.limits && !isErr(p.limits) ? Object.keys(p.limits) : [])))];
    const unit = (item: string): string => {
      for (const p of withLimits) {
        const l = p.limits && !isErr(p.limits) ? p.limits[item] : undefined;
        if (l?.unit) return ` (${l.unit})`;
      }
      return '';
    };
    out += '<h4>Limits (soft / hard)</h4>';
    // A limit a row and a few processes a table: every limit side by side is wider than a page.
    for (let i = 0; i < withLimits.length; i += PROCESSES_PER_TABLE) {
      const group = withLimits.slice(i, i + PROCESSES_PER_TABLE);
      const rows = (items.length ? items : ['']).map((item, row) => [
        h(item + unit(item)),
        ...group.map((p) => (p.limits && isErr(p.limits) ? (row === 0 ? errorLine(p.limits) : '') : limitCell(p.limits?.[item]))),
      ]);
      out += grid(['Limit', ...group.map((p) => `${p.comm}[${p.pid}]`)], rows, 'limits');
    }
  }
  const map = (o: Record<string, number | FamilyError>): string[][] =>
    Object.entries(o).map(([k, x]) => [`<code>${hWrap(k)}</code>`, typeof x === 'number' ? String(x) : errorLine(x)]);
  if (Object.keys(v.pidfiles).length) out += `<h4>Pidfiles</h4>${grid(['Pidfile', 'PID'], map(v.pidfiles))}`;
  if (Object.keys(v.units).length) out += `<h4>systemd units</h4>${grid(['Unit', 'Main PID'], map(v.units))}`;
  return out + rest({ ...v, processes: undefined, pidfiles: undefined, units: undefined });
}

export const reading: FactReading = { family: 'processes', render: processes, list: true };

// The `limits` kind's reading of the facts for the HTML appendix: processes and their limits.
import type { ProcessesFact, FamilyError } from '../../../facts/model.js';
import { h } from '../escape.js';
import { isObj, isErr, scalar, generic, errorLine, grid, rest } from '../fact-html.js';
import type { Json } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function limitCell(l: Json): string {
  return isObj(l) ? `${scalar(l.soft)} / ${scalar(l.hard)}` : generic(l);
}

function processes(v: ProcessesFact): string {
  const rows = v.processes.map((p) => [
    String(p.pid),
    `<code>${h(p.comm)}</code>`,
    `${h(p.user ?? '?')} <span class="dim">(uid ${p.uid})</span>`,
    scalar(p.unit),
    p.exe ? `<code>${h(p.exe)}</code>` : scalar(undefined),
    p.cmdline ? `<code>${h(p.cmdline)}</code>` : scalar(undefined),
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
    const lrows = withLimits.map((p) => [
      `${h(p.comm)}<span class="dim">[${p.pid}]</span>`,
      ...(p.limits && isErr(p.limits)
        ? [errorLine(p.limits), ...items.slice(1).map(() => '')]
        : items.map((i) => limitCell(p.limits && !isErr(p.limits) ? p.limits[i] : undefined))),
    ]);
    out += `<h4>Limits (soft / hard)</h4>${grid(['Process', ...items.map((i) => i + unit(i))], lrows, 'limits')}`;
  }
  const map = (o: Record<string, number | FamilyError>): string[][] =>
    Object.entries(o).map(([k, x]) => [`<code>${h(k)}</code>`, typeof x === 'number' ? String(x) : errorLine(x)]);
  if (Object.keys(v.pidfiles).length) out += `<h4>Pidfiles</h4>${grid(['Pidfile', 'PID'], map(v.pidfiles))}`;
  if (Object.keys(v.units).length) out += `<h4>systemd units</h4>${grid(['Unit', 'Main PID'], map(v.units))}`;
  return out + rest({ ...v, processes: undefined, pidfiles: undefined, units: undefined });
}

export const reading: FactReading = { family: 'processes', render: processes, list: true };

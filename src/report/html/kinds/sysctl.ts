// The `sysctl` kind's reading of the facts for the HTML appendix: kernel parameters as a table of key and value.
import type { SysctlFact } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { grid } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function sysctl(v: Record<string, SysctlFact>): string {
  const rows = Object.entries(v).map(([k, f]) => {
    const val =
      'value' in f
        ? `<code>${hWrap(f.value)}</code>`
        : 'missing' in f
          ? `<span class="dim">absent: ${h(f.missing)}</span>`
          : `<span class="s-error">unreadable: ${h(f.error)}</span>`;
    return [`<code>${hWrap(k)}</code>`, val];
  });
  return grid(['Key', 'Value'], rows);
}

export const reading: FactReading = { family: 'sysctl', render: sysctl };

// The `interface` kind's reading of the facts for the HTML appendix: interfaces with their state and counters.
import type { InterfaceFact } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { scalar, grid } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function interfaces(v: Record<string, InterfaceFact>): string {
  const rows = Object.values(v).map((i) => [
    `<code>${hWrap(i.name)}</code>`,
    h(i.operstate),
    i.carrier === null ? scalar(null) : scalar(i.carrier),
    scalar(i.adminUp ?? null),
    String(i.mtu),
    scalar(i.loopback),
    `<span class="stats">${Object.entries(i.stats)
      .map(([k, n]) => `<span${n === 0 ? ' class="zero"' : ''}>${h(k)} ${h(n)}</span>`)
      .join(' ')}</span>`,
  ]);
  return grid(['Name', 'State', 'Carrier', 'Admin up', 'MTU', 'Loopback', 'Counters'], rows, 'ifaces');
}

export const reading: FactReading = { family: 'interfaces', render: interfaces, list: true };

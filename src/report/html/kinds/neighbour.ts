// The `neighbour` kind's reading of the facts for the HTML appendix: the neighbour table, and the links that
// resolve no neighbours.
import type { NeighboursFact } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { grid, rest, scalar } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function neighbours(v: NeighboursFact): string {
  const from = v.source === 'proc' ? '/proc/net/arp (IPv4 only; of each entry only whether it is permanent, resolved or not)' : 'ip neigh';
  const unreadable = v.unreadable?.length ? ` Unreadable: ${v.unreadable.map((f) => `IPv${f}`).join(', ')}.` : '';
  let out = `<p>Read from <b>${from}</b>.${v.note ? ` ${h(v.note)}` : ''}${unreadable}</p>`;
  const rows = v.entries.map((e) => [
    `IPv${e.family}`,
    `<code>${hWrap(e.address)}</code>`,
    scalar(e.dev),
    e.lladdr ? `<code>${hWrap(e.lladdr)}</code>` : scalar(undefined),
    h(e.state.join(', ') || 'no state'),
    e.router ? 'yes' : '',
  ]);
  out += `<h4>Neighbours (${v.entries.length})</h4>${
    rows.length ? grid(['Family', 'Address', 'Device', 'Link-layer address', 'State', 'Router'], rows) : '<p class="dim">No neighbour entries.</p>'
  }`;
  const links = Object.entries(v.noNeighbours);
  if (links.length) {
    out += `<h4>Links that resolve no neighbours (${links.length})</h4>${grid(
      ['Link', 'Flags'],
      links.map(([dev, flags]) => [scalar(dev), h(flags.join(', '))]),
    )}`;
  }
  return out + rest({ ...v, source: undefined, entries: undefined, noNeighbours: undefined, unreadable: undefined, note: undefined });
}

export const reading: FactReading = { family: 'neighbours', render: neighbours };

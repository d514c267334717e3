// The `listener` kind's reading of the facts for the HTML appendix: the sockets family (listeners, TCP
// states), which the listeners and tcpStates kinds read too.
import type { Listener, SocketsFact } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { grid, counters, rest } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function bind(l: Listener): string {
  return l.family === 6 ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`;
}

function sockets(v: SocketsFact): string {
  const rows = v.listeners.map((l) => [
    h(l.protocol),
    `<code>${hWrap(bind(l))}</code>`,
    l.dualStack
      ? `yes${l.dualStackSource ? ` (${h(l.dualStackSource)})` : ''}`
      : l.family === 6 && (l.address === '::' || l.address === '0:0:0:0:0:0:0:0')
        ? 'no (IPv6 only)'
        : '—',
    `${h(l.user ?? '?')} <span class="dim">(uid ${l.uid})</span>`,
    l.owners.length
      ? l.owners.map((o) => `${h(o.comm)}<span class="dim">[${o.pid}]</span>${o.user && o.user !== l.user ? ` as ${h(o.user)}` : ''}`).join(', ')
      : '<span class="dim">not seen</span>',
    String(l.inode),
  ]);
  const extra = { ...v, listeners: undefined, tcpStates: undefined, ownersComplete: undefined };
  return (
    `<h4>Listeners (${v.listeners.length})</h4>` +
    (v.listeners.length ? grid(['Protocol', 'Bound to', 'Dual-stack', 'Socket user', 'Processes', 'Inode'], rows) : '<p class="dim">Nothing listens.</p>') +
    (v.ownersComplete ? '' : '<p class="note">Owners may be incomplete: some processes could not be read (not root).</p>') +
    `<h4>TCP sockets by state</h4>${counters(v.tcpStates)}` +
    rest(extra)
  );
}

export const reading: FactReading = { family: 'sockets', render: sockets, list: true };

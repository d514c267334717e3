// The `firewall` kind's reading of the facts for the HTML appendix: the ruleset: backend, tables, chains and their rules.
import type { FirewallFact } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { scalar, grid, rest } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function firewall(v: FirewallFact): string {
  let out = `<p>Backend <b>${h(v.backend)}</b>${v.managers.length ? `; managed by ${v.managers.map((m) => `<b>${h(m)}</b>`).join(', ')}` : '; no front-end recognised'}.</p>`;
  out +=
    `<h4>Tables (${v.tables.length})</h4>` +
    (v.tables.length
      ? grid(
          ['Family', 'Name', 'Legacy', 'Dormant'],
          v.tables.map((t) => [h(t.family), `<code>${hWrap(t.name)}</code>`, scalar(t.legacy ?? false), scalar(t.dormant)]),
        )
      : '<p class="dim">No tables: nothing filters.</p>');
  const rows = v.chains.map((c) => [
    h(c.family),
    `<code>${hWrap(c.table)}</code>`,
    `<code>${hWrap(c.name)}</code>${c.legacy ? ' <span class="tag">legacy</span>' : ''}`,
    c.hook
      ? `${h(c.hook)}${c.type ? ` <span class="dim">${h(c.type)}</span>` : ''}${c.priority !== undefined ? ` <span class="dim">prio ${c.priority}</span>` : ''}`
      : '<span class="dim">regular</span>',
    scalar(c.policy),
    c.rules.length
      ? `<ol class="rules">${c.rules.map((r) => `<li>${r.handle !== undefined ? `<span class="dim">#${r.handle}</span> ` : ''}${h(r.verdict)}${r.target ? ` <code>${hWrap(r.target)}</code>` : ''}${r.unconditional ? ' <span class="dim">(every packet)</span>' : r.family ? ` <span class="dim">(every ${h(r.family)} packet)</span>` : ''}</li>`).join('')}</ol>`
      : '<span class="dim">no rules</span>',
  ]);
  out +=
    `<h4>Chains (${v.chains.length})</h4>` +
    (v.chains.length ? grid(['Family', 'Table', 'Chain', 'Hook', 'Policy', 'Rules'], rows) : '<p class="dim">No chains.</p>');
  return out + rest({ ...v, backend: undefined, managers: undefined, tables: undefined, chains: undefined });
}

export const reading: FactReading = { family: 'firewall', render: firewall, list: true };

// The `route` kind's reading of the facts for the HTML appendix: routes and policy rules (and an older
// snapshot's list of main-table routes).
import type { RouteFact, RoutesFact } from '../../../facts/model.js';
import { h, hWrap } from '../escape.js';
import { scalar, grid, rest } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function routeRows(routes: RouteFact[]): string {
  const rows = routes.map((r) => [
    `IPv${r.family}`,
    h(r.table ?? 'main'),
    h(r.type ?? 'unicast'),
    `<code>${hWrap(r.dest)}</code>`,
    r.via ? `<code>${hWrap(r.via)}</code>` : scalar(undefined),
    scalar(r.dev),
    String(r.metric),
    [
      r.nexthops
        ? `nexthops: ${r.nexthops.map((n) => `${n.via ? `via ${h(n.via)} ` : ''}dev ${h(n.dev)}${n.weight !== undefined ? ` weight ${n.weight}` : ''}`).join('; ')}`
        : '',
      r.tos ? `tos ${h(r.tos)}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  ]);
  return routes.length ? grid(['Family', 'Table', 'Type', 'Destination', 'Via', 'Device', 'Metric', 'Other'], rows) : '<p class="dim">No routes.</p>';
}

function routes(v: RoutesFact | RouteFact[]): string {
  if (Array.isArray(v)) return `<p class="note">An older snapshot: the main table only, no policy rules.</p>${routeRows(v)}`;
  let out = `<p>Read from <b>${v.source === 'ip' ? 'ip (every table, with the policy rules)' : '/proc (main table only, no rules)'}</b>.${v.note ? ` ${h(v.note)}` : ''}${v.unreadable?.length ? ` Unreadable: ${v.unreadable.map((f) => `IPv${f}`).join(', ')}.` : ''}</p>`;
  out += `<h4>Routes (${v.routes.length})</h4>${routeRows(v.routes)}`;
  if (v.rules) {
    const rows = v.rules.map((r) => [
      `IPv${r.family}`,
      String(r.priority),
      `${r.not ? 'not ' : ''}${
        r.selectors
          ? Object.entries(r.selectors)
              .map(([k, x]) => `${h(k)} ${h(x)}`)
              .join(' ')
          : 'from all'
      }`,
      h(r.action),
      r.table !== undefined ? h(r.table) : r.target !== undefined ? `goto ${r.target}` : scalar(undefined),
      [
        r.suppressPrefixlength !== undefined ? `suppress_prefixlength ${r.suppressPrefixlength}` : '',
        r.suppressIfgroup ? `suppress_ifgroup ${h(r.suppressIfgroup)}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    ]);
    out += `<h4>Policy rules (${v.rules.length})</h4>${grid(['Family', 'Priority', 'Selects', 'Action', 'Table', 'Suppress'], rows)}`;
  } else out += '<p class="note">Policy rules could not be read: the kernel\'s default rules are assumed.</p>';
  return out + rest({ ...v, source: undefined, routes: undefined, rules: undefined, unreadable: undefined, note: undefined });
}

export const reading: FactReading = { family: 'routes', render: routes, list: true };

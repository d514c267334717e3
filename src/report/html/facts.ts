// The facts appendix: the snapshot the verdict was judged on, one section per family, so a verdict can be
// traced to what was seen. The families a person reads most get tables; every other value (and every family
// this file does not know) goes through one generic reading, so nothing in the snapshot is left out.
import type { FactsSnapshot, FirewallFact, Listener, ProcessesFact, RouteFact, RoutesFact, SocketsFact, InterfaceFact, SysctlFact, FamilyError } from '../../facts/model.js';
import { h } from './escape.js';

type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isErr = (v: Json): v is FamilyError => isObj(v) && typeof v.error === 'string' && Object.keys(v).length === 1;
const isScalar = (v: Json): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function scalar(v: Json): string {
  if (v === null || v === undefined) return '<span class="dim">—</span>';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return h(String(v));
}

const DEPTH = 12;

/** Any value, readably: scalars as text, lists of like records as tables, records as definition lists. */
function generic(v: Json, depth = 0): string {
  if (isScalar(v) || v === undefined) return scalar(v);
  if (depth > DEPTH) return `<pre class="json">${h(JSON.stringify(v, null, 1))}</pre>`;
  if (Array.isArray(v)) {
    if (!v.length) return '<span class="dim">none</span>';
    if (v.every(isScalar)) return v.map(scalar).join(', ');
    if (v.every(isObj)) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x as object)))];
      return grid(keys, v.map((x) => keys.map((k) => generic((x as Record<string, Json>)[k], depth + 1))));
    }
    return `<ol class="gl">${v.map((x) => `<li>${generic(x, depth + 1)}</li>`).join('')}</ol>`;
  }
  if (isErr(v)) return errorLine(v);
  const entries = Object.entries(v as Record<string, Json>);
  if (!entries.length) return '<span class="dim">none</span>';
  return `<dl class="gd">${entries.map(([k, x]) => `<dt>${h(k)}</dt><dd>${generic(x, depth + 1)}</dd>`).join('')}</dl>`;
}

function errorLine(e: FamilyError): string {
  return `<p class="ferr"><span class="st s-error">! Could not be collected</span> ${h(e.error)}</p>`;
}

function grid(head: string[], rows: string[][], cls = ''): string {
  return `<div class="tw"><table class="facts${cls ? ' ' + cls : ''}"><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>\n`).join('')}</tbody></table></div>`;
}

function sysctl(v: Record<string, SysctlFact>): string {
  const rows = Object.entries(v).map(([k, f]) => {
    const val = 'value' in f ? `<code>${h(f.value)}</code>` : 'missing' in f ? `<span class="dim">absent: ${h(f.missing)}</span>` : `<span class="s-error">unreadable: ${h(f.error)}</span>`;
    return [`<code>${h(k)}</code>`, val];
  });
  return grid(['Key', 'Value'], rows);
}

function bind(l: Listener): string {
  return l.family === 6 ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`;
}

function sockets(v: SocketsFact): string {
  const rows = v.listeners.map((l) => [
    h(l.protocol),
    `<code>${h(bind(l))}</code>`,
    l.dualStack ? `yes${l.dualStackSource ? ` (${h(l.dualStackSource)})` : ''}` : l.family === 6 && (l.address === '::' || l.address === '0:0:0:0:0:0:0:0') ? 'no (IPv6 only)' : '—',
    `${h(l.user ?? '?')} <span class="dim">(uid ${l.uid})</span>`,
    l.owners.length ? l.owners.map((o) => `${h(o.comm)}<span class="dim">[${o.pid}]</span>${o.user && o.user !== l.user ? ` as ${h(o.user)}` : ''}`).join(', ') : '<span class="dim">not seen</span>',
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

function limitCell(l: Json): string {
  return isObj(l) ? `${scalar(l.soft)} / ${scalar(l.hard)}` : generic(l);
}

function processes(v: ProcessesFact): string {
  const rows = v.processes.map((p) => [String(p.pid), `<code>${h(p.comm)}</code>`, `${h(p.user ?? '?')} <span class="dim">(uid ${p.uid})</span>`, scalar(p.unit), p.exe ? `<code>${h(p.exe)}</code>` : scalar(undefined), p.cmdline ? `<code>${h(p.cmdline)}</code>` : scalar(undefined)]);
  let out = `<h4>Processes (${v.processes.length})</h4>` + (rows.length ? grid(['PID', 'Command', 'User', 'Unit', 'Executable', 'Command line'], rows) : '<p class="dim">None read.</p>');
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
      ...(p.limits && isErr(p.limits) ? [errorLine(p.limits), ...items.slice(1).map(() => '')] : items.map((i) => limitCell(p.limits && !isErr(p.limits) ? p.limits[i] : undefined))),
    ]);
    out += `<h4>Limits (soft / hard)</h4>${grid(['Process', ...items.map((i) => i + unit(i))], lrows, 'limits')}`;
  }
  const map = (o: Record<string, number | FamilyError>): string[][] => Object.entries(o).map(([k, x]) => [`<code>${h(k)}</code>`, typeof x === 'number' ? String(x) : errorLine(x)]);
  if (Object.keys(v.pidfiles).length) out += `<h4>Pidfiles</h4>${grid(['Pidfile', 'PID'], map(v.pidfiles))}`;
  if (Object.keys(v.units).length) out += `<h4>systemd units</h4>${grid(['Unit', 'Main PID'], map(v.units))}`;
  return out + rest({ ...v, processes: undefined, pidfiles: undefined, units: undefined });
}

function counters(v: Record<string, Json>): string {
  return `<dl class="counters">${Object.entries(v)
    .map(([k, n]) => `<div${n === 0 ? ' class="zero"' : ''}><dt>${h(k)}</dt><dd>${isScalar(n) ? scalar(n) : generic(n)}</dd></div>`)
    .join('')}</dl>`;
}

function netstat(v: Record<string, Record<string, number>>): string {
  return Object.entries(v)
    .map(([section, c]) => `<h4>${h(section)} <span class="dim">(${Object.keys(c).length} counters)</span></h4>${isObj(c) ? counters(c) : generic(c)}`)
    .join('');
}

function interfaces(v: Record<string, InterfaceFact>): string {
  const rows = Object.values(v).map((i) => [
    `<code>${h(i.name)}</code>`,
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

function routeRows(routes: RouteFact[]): string {
  const rows = routes.map((r) => [
    `IPv${r.family}`,
    h(r.table ?? 'main'),
    h(r.type ?? 'unicast'),
    `<code>${h(r.dest)}</code>`,
    r.via ? `<code>${h(r.via)}</code>` : scalar(undefined),
    scalar(r.dev),
    String(r.metric),
    [r.nexthops ? `nexthops: ${r.nexthops.map((n) => `${n.via ? `via ${h(n.via)} ` : ''}dev ${h(n.dev)}${n.weight !== undefined ? ` weight ${n.weight}` : ''}`).join('; ')}` : '', r.tos ? `tos ${h(r.tos)}` : ''].filter(Boolean).join(' · '),
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
      `${r.not ? 'not ' : ''}${r.selectors ? Object.entries(r.selectors).map(([k, x]) => `${h(k)} ${h(x)}`).join(' ') : 'from all'}`,
      h(r.action),
      r.table !== undefined ? h(r.table) : r.target !== undefined ? `goto ${r.target}` : scalar(undefined),
      [r.suppressPrefixlength !== undefined ? `suppress_prefixlength ${r.suppressPrefixlength}` : '', r.suppressIfgroup ? `suppress_ifgroup ${h(r.suppressIfgroup)}` : ''].filter(Boolean).join(' '),
    ]);
    out += `<h4>Policy rules (${v.rules.length})</h4>${grid(['Family', 'Priority', 'Selects', 'Action', 'Table', 'Suppress'], rows)}`;
  } else out += '<p class="note">Policy rules could not be read: the kernel\'s default rules are assumed.</p>';
  return out + rest({ ...v, source: undefined, routes: undefined, rules: undefined, unreadable: undefined, note: undefined });
}

function firewall(v: FirewallFact): string {
  let out = `<p>Backend <b>${h(v.backend)}</b>${v.managers.length ? `; managed by ${v.managers.map((m) => `<b>${h(m)}</b>`).join(', ')}` : '; no front-end recognised'}.</p>`;
  out += `<h4>Tables (${v.tables.length})</h4>` + (v.tables.length ? grid(['Family', 'Name', 'Legacy', 'Dormant'], v.tables.map((t) => [h(t.family), `<code>${h(t.name)}</code>`, scalar(t.legacy ?? false), scalar(t.dormant)])) : '<p class="dim">No tables: nothing filters.</p>');
  const rows = v.chains.map((c) => [
    h(c.family),
    `<code>${h(c.table)}</code>`,
    `<code>${h(c.name)}</code>${c.legacy ? ' <span class="tag">legacy</span>' : ''}`,
    c.hook ? `${h(c.hook)}${c.type ? ` <span class="dim">${h(c.type)}</span>` : ''}${c.priority !== undefined ? ` <span class="dim">prio ${c.priority}</span>` : ''}` : '<span class="dim">regular</span>',
    scalar(c.policy),
    c.rules.length
      ? `<ol class="rules">${c.rules.map((r) => `<li>${r.handle !== undefined ? `<span class="dim">#${r.handle}</span> ` : ''}${h(r.verdict)}${r.target ? ` <code>${h(r.target)}</code>` : ''}${r.unconditional ? ' <span class="dim">(every packet)</span>' : r.family ? ` <span class="dim">(every ${h(r.family)} packet)</span>` : ''}</li>`).join('')}</ol>`
      : '<span class="dim">no rules</span>',
  ]);
  out += `<h4>Chains (${v.chains.length})</h4>` + (v.chains.length ? grid(['Family', 'Table', 'Chain', 'Hook', 'Policy', 'Rules'], rows) : '<p class="dim">No chains.</p>');
  return out + rest({ ...v, backend: undefined, managers: undefined, tables: undefined, chains: undefined });
}

/** Whatever a special-cased family holds beyond what its tables show (a newer snapshot's fields). */
function rest(v: Record<string, Json>): string {
  const left = Object.entries(v).filter(([, x]) => x !== undefined);
  return left.length ? `<h4>Other fields</h4>${generic(Object.fromEntries(left))}` : '';
}

const TITLES: Record<string, string> = {
  host: 'Host',
  sysctl: 'Kernel parameters (sysctl)',
  sockets: 'Sockets and listeners',
  processes: 'Processes and their limits',
  netstat: 'Network counters (netstat, snmp)',
  interfaces: 'Interfaces',
  routes: 'Routes',
  firewall: 'Firewall',
  ipv6: 'IPv6',
  probes: 'Live probes',
  certificates: 'Certificate files',
  tlsListeners: "The host's TLS listeners",
  timings: 'Collection timings (ms)',
};

const SPECIAL: Record<string, (v: never) => string> = { sysctl, sockets, processes, netstat, interfaces, routes, firewall };

function count(v: Json): string {
  if (Array.isArray(v)) return `${v.length}`;
  if (isObj(v) && !isErr(v)) return `${Object.keys(v).length}`;
  return '';
}

export function factsAppendix(facts: FactsSnapshot | undefined): string {
  const head = '<h2>Facts appendix</h2>';
  if (!facts) return `<section class="appendix" id="facts">${head}<p class="note">This report carries no facts snapshot (it was written elsewhere, or by an older plumbline): the verdict above cannot be traced to what was seen here. <code>plumbline facts -o facts.json</code> writes one.</p></section>`;
  const families = Object.entries(facts as unknown as Record<string, Json>).filter(([k]) => k !== 'schema');
  const toc = families.map(([k, v]) => `<a href="#f-${h(k).replace(/[^A-Za-z0-9_-]/g, '_')}">${h(TITLES[k] ?? k)}${count(v) && k !== 'host' ? ` <span class="dim">${count(v)}</span>` : ''}</a>`).join('');
  const body = families.map(([k, v]) => {
    const id = `f-${h(k).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let inner: string;
    if (isErr(v)) inner = errorLine(v);
    else if (k === 'sysctl' && isObj(v)) inner = sysctl(v as Record<string, SysctlFact>);
    else if (SPECIAL[k] && (isObj(v) || Array.isArray(v))) inner = SPECIAL[k]!(v as never);
    else if (k === 'timings' && isObj(v)) inner = grid(['Family', 'Milliseconds'], Object.entries(v).map(([f, ms]) => [h(f), scalar(ms)]));
    else inner = generic(v);
    return `<section class="fam" id="${id}"><h3>${h(TITLES[k] ?? k)} <code class="dim">${h(k)}</code></h3>${inner}</section>\n`;
  });
  return `<section class="appendix" id="facts">${head}<p class="note">The snapshot the verdict was judged on (<code>${h(facts.schema)}</code>), as collected from <b>${h(facts.host.hostname)}</b> at <time>${h(facts.host.collectedAt)}</time>. <code>plumbline audit --facts</code> judges it again anywhere.</p><nav class="toc">${toc}</nav>${body.join('')}</section>`;
}

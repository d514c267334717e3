// The facts appendix: the snapshot the verdict was judged on, one section per family, so a verdict can be
// traced to what was seen. The families a person reads most get tables, each from the check kind that reads
// it (kinds/registry.ts); every other value (and every family this file does not know) goes through one
// generic reading (fact-html.ts), so nothing in the snapshot is left out.
import type { FactsSnapshot } from '../../facts/model.js';
import { h } from './escape.js';
import { errorLine, generic, grid, isErr, isObj, scalar } from './fact-html.js';
import type { FactReading, Json } from './fact-html.js';
import { FACT_READINGS } from './kinds/registry.js';

const TITLES: Record<string, string> = {
  host: 'Host',
  sysctl: 'Kernel parameters (sysctl)',
  sockets: 'Sockets and listeners',
  processes: 'Processes and their limits',
  netstat: 'Network counters (netstat, snmp)',
  interfaces: 'Interfaces',
  routes: 'Routes',
  neighbours: 'Neighbours (ARP and NDP)',
  icmp: 'ICMP: pings and path MTU',
  firewall: 'Firewall',
  ipv6: 'IPv6',
  probes: 'Live probes',
  certificates: 'Certificate files',
  tlsListeners: "The host's TLS listeners",
  timings: 'Collection timings (ms)',
};

/** The families shown as tables, by the kinds that read them. */
const SPECIAL = new Map<string, FactReading>(Object.values(FACT_READINGS).map((r) => [r.family, r]));

function count(v: Json): string {
  if (Array.isArray(v)) return `${v.length}`;
  if (isObj(v) && !isErr(v)) return `${Object.keys(v).length}`;
  return '';
}

export function factsAppendix(facts: FactsSnapshot | undefined): string {
  const head = '<h2>Facts appendix</h2>';
  if (!facts)
    return `<section class="appendix" id="facts">${head}<p class="note">This report carries no facts snapshot (it was written elsewhere, or by an older plumbline): the verdict above cannot be traced to what was seen here. <code>plumbline facts -o facts.json</code> writes one.</p></section>`;
  const families = Object.entries(facts as unknown as Record<string, Json>).filter(([k]) => k !== 'schema');
  const toc = families
    .map(
      ([k, v]) =>
        `<a href="#f-${h(k).replace(/[^A-Za-z0-9_-]/g, '_')}">${h(TITLES[k] ?? k)}${count(v) && k !== 'host' ? ` <span class="dim">${count(v)}</span>` : ''}</a>`,
    )
    .join('');
  const body = families.map(([k, v]) => {
    const id = `f-${h(k).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let inner: string;
    if (isErr(v)) inner = errorLine(v);
    else if (SPECIAL.has(k) && (isObj(v) || (Array.isArray(v) && SPECIAL.get(k)!.list))) inner = SPECIAL.get(k)!.render(v as never);
    else if (k === 'timings' && isObj(v))
      inner = grid(
        ['Family', 'Milliseconds'],
        Object.entries(v).map(([f, ms]) => [h(f), scalar(ms)]),
      );
    else inner = generic(v);
    return `<section class="fam" id="${id}"><h3>${h(TITLES[k] ?? k)} <code class="dim">${h(k)}</code></h3>${inner}</section>\n`;
  });
  return `<section class="appendix" id="facts">${head}<p class="note">The snapshot the verdict was judged on (<code>${h(facts.schema)}</code>), as collected from <b>${h(facts.host.hostname)}</b> at <time>${h(facts.host.collectedAt)}</time>. <code>plumbline audit --facts</code> judges it again anywhere.</p><nav class="toc">${toc}</nav>${body.join('')}</section>`;
}

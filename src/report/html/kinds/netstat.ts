// The `netstat` kind's reading of the facts for the HTML appendix: network counters by section.
import { h } from '../escape.js';
import { isObj, generic, counters } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

function netstat(v: Record<string, Record<string, number>>): string {
  return Object.entries(v)
    .map(([section, c]) => `<h4>${h(section)} <span class="dim">(${Object.keys(c).length} counters)</span></h4>${isObj(c) ? counters(c) : generic(c)}`)
    .join('');
}

export const reading: FactReading = { family: 'netstat', render: netstat, list: true };

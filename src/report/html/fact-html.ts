// The facts appendix's building blocks: scalars, tables and the generic reading of any value, which every
// family's reading (kinds/) and the appendix itself (facts.ts) use.
import type { FamilyError } from '../../facts/model.js';
import { h } from './escape.js';

export type Json = unknown;

export const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isErr = (v: Json): v is FamilyError => isObj(v) && typeof v.error === 'string' && Object.keys(v).length === 1;

const isScalar = (v: Json): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function scalar(v: Json): string {
  if (v === null || v === undefined) return '<span class="dim">—</span>';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return h(String(v));
}

const DEPTH = 12;

/** Any value, readably: scalars as text, lists of like records as tables, records as definition lists. */
export function generic(v: Json, depth = 0): string {
  if (isScalar(v) || v === undefined) return scalar(v);
  if (depth > DEPTH) return `<pre class="json">${h(JSON.stringify(v, null, 1))}</pre>`;
  if (Array.isArray(v)) {
    if (!v.length) return '<span class="dim">none</span>';
    if (v.every(isScalar)) return v.map(scalar).join(', ');
    if (v.every(isObj)) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x as object)))];
      return grid(
        keys,
        v.map((x) => keys.map((k) => generic((x as Record<string, Json>)[k], depth + 1))),
      );
    }
    return `<ol class="gl">${v.map((x) => `<li>${generic(x, depth + 1)}</li>`).join('')}</ol>`;
  }
  if (isErr(v)) return errorLine(v);
  const entries = Object.entries(v as Record<string, Json>);
  if (!entries.length) return '<span class="dim">none</span>';
  return `<dl class="gd">${entries.map(([k, x]) => `<dt>${h(k)}</dt><dd>${generic(x, depth + 1)}</dd>`).join('')}</dl>`;
}

export function errorLine(e: FamilyError): string {
  return `<p class="ferr"><span class="st s-error">! Could not be collected</span> ${h(e.error)}</p>`;
}

export function grid(head: string[], rows: string[][], cls = ''): string {
  return `<div class="tw"><table class="facts${cls ? ' ' + cls : ''}"><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>\n`).join('')}</tbody></table></div>`;
}

export function counters(v: Record<string, Json>): string {
  return `<dl class="counters">${Object.entries(v)
    .map(([k, n]) => `<div${n === 0 ? ' class="zero"' : ''}><dt>${h(k)}</dt><dd>${isScalar(n) ? scalar(n) : generic(n)}</dd></div>`)
    .join('')}</dl>`;
}

/** Whatever a special-cased family holds beyond what its tables show (a newer snapshot's fields). */
export function rest(v: Record<string, Json>): string {
  const left = Object.entries(v).filter(([, x]) => x !== undefined);
  return left.length ? `<h4>Other fields</h4>${generic(Object.fromEntries(left))}` : '';
}

/** How a check kind shows the family it reads (kinds/registry.ts): `render` gets the family's value. */
export interface FactReading {
  family: string;
  render: (v: never) => string;
  /** The family may be a list (an older snapshot's shape) as well as a record. */
  list?: true;
}

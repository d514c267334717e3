// The facts appendix's building blocks: scalars, tables and the generic reading of any value, which every
// family's reading (kinds/) and the appendix itself (facts.ts) use.
import type { FamilyError } from '../../facts/model.js';
import { h, hWrap } from './escape.js';

export type Json = unknown;

export const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isErr = (v: Json): v is FamilyError => isObj(v) && typeof v.error === 'string' && Object.keys(v).length === 1;

const isScalar = (v: Json): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function scalar(v: Json): string {
  if (v === null || v === undefined) return '<span class="dim">—</span>';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return hWrap(String(v));
}

const DEPTH = 12;
// A table wider than this many columns no longer fits a page with its words whole (a certificate has twenty
// fields): its records are shown one below the other instead.
const COLUMNS = 8;

/** A scalar, or a list of scalars: what a table cell holds without a table of its own. */
const isFlat = (v: Json): boolean => isScalar(v) || v === undefined || (Array.isArray(v) && v.every(isScalar));

/**
 * Any value, readably: scalars as text, lists of like flat records with few fields as tables, other records as
 * definition lists (a list of them one below the other). No table is nested in another's cell, so none is
 * squeezed narrower than its words.
 */
export function generic(v: Json, depth = 0): string {
  if (isScalar(v) || v === undefined) return scalar(v);
  if (depth > DEPTH) return `<pre class="json">${h(JSON.stringify(v, null, 1))}</pre>`;
  if (Array.isArray(v)) {
    if (!v.length) return '<span class="dim">none</span>';
    if (v.every(isScalar)) return v.map(scalar).join(', ');
    if (v.every(isObj)) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x)))];
      if (keys.length <= COLUMNS && v.every((x) => Object.values(x).every(isFlat)))
        return grid(
          keys,
          v.map((x) => keys.map((k) => generic(x[k], depth + 1))),
        );
      return `<ol class="recs">${v.map((x) => `<li>${generic(x, depth + 1)}</li>`).join('')}</ol>`;
    }
    return `<ol class="gl">${v.map((x) => `<li>${generic(x, depth + 1)}</li>`).join('')}</ol>`;
  }
  if (isErr(v)) return errorLine(v);
  const entries = Object.entries(v as Record<string, Json>);
  if (!entries.length) return '<span class="dim">none</span>';
  // A key beside its value when the value is flat; above it, the value indented below, when it holds more:
  // nesting then costs an indent, not another column of keys.
  return `<dl class="gd">${entries
    .map(([k, x]) => {
      const nest = isFlat(x) || isErr(x) ? '' : ' class="nest"';
      return `<dt${nest}>${hWrap(k)}</dt><dd${nest}>${generic(x, depth + 1)}</dd>`;
    })
    .join('')}</dl>`;
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

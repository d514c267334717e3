// Report text into HTML: sanitised by the report's one rule, then every character that could open markup or end
// an attribute becomes an entity. Text and attribute values take the same escaping.
import { clip } from '../reading.js';
import { sanitize } from '../sanitize.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Long enough for any real message; one runaway field must not make the page unusable.
const FIELD = 20_000;

export function h(s: string | number | boolean, max = FIELD): string {
  return clip(sanitize(String(s)), max).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/**
 * An element id for a check: the characters an id and a URL fragment both keep as they are, the rest (and
 * `_`, so two ids never meet) spelled as `_hex_`. The fragment then needs no percent-encoding.
 */
export function idFor(checkId: string): string {
  return 'c-' + checkId.replace(/[^A-Za-z0-9.:-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

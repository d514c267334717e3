// Report text into HTML: sanitised by the report's one rule, then every character that could open markup or end
// an attribute becomes an entity. Text and attribute values take the same escaping.
import { clip } from '../reading.js';
import { sanitize } from '../sanitize.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Long enough for any real message; one runaway field must not make the page unusable.
const FIELD = 20_000;

// A token longer than this (a path, a fingerprint, a URL, a list joined without spaces) is no word: it may break
// anywhere to fit a narrow column. Words never do, so no column is squeezed to a letter a line.
const LONG_TOKEN = 24;

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITY[c]!);

export function h(s: string | number | boolean, max = FIELD): string {
  return escape(clip(sanitize(String(s)), max));
}

/** `h`, with each token too long for a column marked (`.tok`) as breakable anywhere. */
export function hWrap(s: string | number | boolean, max = FIELD): string {
  return clip(sanitize(String(s)), max)
    .split(/(\s+)/)
    .map((t) => (t.length > LONG_TOKEN ? `<span class="tok">${escape(t)}</span>` : escape(t)))
    .join('');
}

/**
 * An element id for a check: the characters an id and a URL fragment both keep as they are, the rest (and
 * `_`, so two ids never meet) spelled as `_hex_`. The fragment then needs no percent-encoding.
 */
export function idFor(checkId: string): string {
  return 'c-' + checkId.replace(/[^A-Za-z0-9.:-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

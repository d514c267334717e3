// The fast reader: js-yaml's event parser, several times quicker than `yaml` on a cold start, and one walk over
// its events that builds the value and records where each node starts. It reads only what needs no
// judgement: one plain document of maps, lists and scalars with string keys. Anything else — tags, anchors,
// aliases, directives, complex or non-string keys, empty values, duplicate keys, several documents, a
// byte-order mark, nesting deeper than MAX_NESTING, the few texts the libraries read differently (below) —
// returns undefined, and the caller reads the file with `yaml` (load.ts), which also words the problems. Scalars resolve as YAML 1.2's core schema does in `yaml` (schema/core/*.js there). The two
// readers are held equal by a differential property test (test/unit/policy/property.test.ts).
import { EVENT_ID, SCALAR_STYLE, getScalarValue, parseEvents } from 'js-yaml';
import type { Event, EventId, ScalarEvent } from 'js-yaml';

const { DOCUMENT, SEQUENCE, MAPPING, SCALAR, POP } = EVENT_ID;
const { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED } = SCALAR_STYLE;

/**
 * How deeply lists and maps may nest. A policy needs a handful of levels; every walker after loading
 * (composing, validating, interpolating) recurses, so the precise reader (load.ts) refuses deeper texts and
 * this one declines them.
 */
export const MAX_NESTING = 64;

/** Where a node starts, and where each of its children does (a number for a scalar child). */
export interface Place {
  start: number;
  children: Record<string, Place | number> | (Place | number)[];
}

export interface FastLoaded {
  value: unknown;
  places: Place;
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const INF_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar as the core schema reads it. */
function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these can start a non-string: digits, sign, dot, ~, n/N, t/T, f/F.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70)) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return c === 116 || c === 84;
  if (INT.test(s)) return parseInt(s, 10);
  if (OCT.test(s)) return parseInt(s.substring(2), 8);
  if (HEX.test(s)) return parseInt(s.substring(2), 16);
  if (INF_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/**
 * Where `yaml` starts a scalar: at the quote of a quoted one, at the `|`/`>` header of a block one; -1 when
 * the header line has a comment, whose text could hold another `|` or `>`.
 */
function scalarStart(text: string, e: ScalarEvent): number {
  if (e.style === PLAIN) return e.valueStart;
  if (e.style === SINGLE_QUOTED || e.style === DOUBLE_QUOTED) return e.valueStart - 1;
  let i = e.valueStart - 1;
  while (i >= 0 && text[i] !== '|' && text[i] !== '>') i--;
  const lineEnd = text.indexOf('\n', i);
  return text.slice(text.lastIndexOf('\n', i) + 1, lineEnd < 0 ? undefined : lineEnd).includes('#') ? -1 : i;
}

// Where the two libraries part ways on the text itself, found by review and differential testing: a lone CR
// is a line break to js-yaml but not to `yaml`; a `...` line before the content is an empty first document
// to `yaml`; js-yaml decodes out-of-range `\U` escapes that `yaml` rejects. Such files go to `yaml`.
const LONE_CR = /\r(?!\n)/;
const DOCUMENT_END = /^\.\.\.(?:[ \t#]|$)/m;
/** `yaml` refuses implicit keys this long; js-yaml takes them. */
const MAX_KEY_SPAN = 1000;

interface Frame {
  kind: EventId;
  value: Record<string, unknown> | unknown[] | undefined;
  place: Place | undefined;
  /** Map frames: the key just read, or undefined while a key is awaited. */
  key: string | undefined;
}

export function fastLoad(text: string): FastLoaded | undefined {
  if (text.charCodeAt(0) === 0xfeff || LONE_CR.test(text) || DOCUMENT_END.test(text) || text.includes('\\U')) return undefined;
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return undefined;
  }
  const stack: Frame[] = [];
  let root: { value: unknown; place: Place } | undefined;
  let documents = 0;
  for (const e of events) {
    if (e.type === POP) {
      stack.pop();
      continue;
    }
    if (e.type === DOCUMENT) {
      if (++documents > 1 || e.directives.length > 0) return undefined;
      stack.push({ kind: DOCUMENT, value: undefined, place: undefined, key: undefined });
      continue;
    }
    if (e.type !== SEQUENCE && e.type !== MAPPING && e.type !== SCALAR) return undefined; // an alias
    if (e.tagStart >= 0 || e.anchorStart >= 0) return undefined;
    const parent = stack[stack.length - 1];
    if (!parent) return undefined;
    let value: unknown;
    let place: Place | number;
    if (e.type === SCALAR) {
      // An empty value (`expect:`) has no text; `yaml` places it after the indicator and its spaces. Rare in
      // a policy that is right, so leave those files to `yaml` rather than imitate its placement.
      if (e.valueStart < 0) return undefined;
      const s = getScalarValue(text, e);
      if (parent.kind === MAPPING && parent.key === undefined) {
        // A key. Non-string plain keys (`~:`, `1.0:`) become different property names in the two libraries.
        if (e.style === PLAIN && typeof plainValue(s) !== 'string') return undefined;
        if (e.valueEnd - e.valueStart >= MAX_KEY_SPAN) return undefined;
        if (s === '__proto__' || Object.prototype.hasOwnProperty.call(parent.value, s)) return undefined;
        parent.key = s;
        continue;
      }
      value = e.style === PLAIN ? plainValue(s) : s;
      place = scalarStart(text, e);
      if (place < 0) return undefined;
    } else {
      if (parent.kind === MAPPING && parent.key === undefined) return undefined; // a list or map as a key
      value = e.type === SEQUENCE ? [] : {};
      place = { start: e.start, children: e.type === SEQUENCE ? [] : {} };
    }
    if (parent.kind === MAPPING) {
      (parent.value as Record<string, unknown>)[parent.key!] = value;
      (parent.place!.children as Record<string, Place | number>)[parent.key!] = place;
      parent.key = undefined;
    } else if (parent.kind === SEQUENCE) {
      (parent.value as unknown[]).push(value);
      (parent.place!.children as (Place | number)[]).push(place);
    } else {
      if (typeof place === 'number') return undefined; // a lone scalar is no policy
      root = { value, place };
    }
    if (typeof place !== 'number') {
      // The stack holds the document and every enclosing collection: its length is this collection's depth.
      if (stack.length > MAX_NESTING) return undefined;
      stack.push({ kind: e.type, value: value as Frame['value'], place, key: undefined });
    }
  }
  return documents === 1 && root ? { value: root.value, places: root.place } : undefined;
}

/** The start of the node at `path`, or of the nearest ancestor the walk recorded. */
export function placeOf(places: Place, path: readonly (string | number)[]): number {
  let at: Place = places;
  for (const seg of path) {
    const next = (at.children as Record<string, Place | number>)[String(seg)];
    if (next === undefined) return at.start;
    if (typeof next === 'number') return next;
    at = next;
  }
  return at.start;
}

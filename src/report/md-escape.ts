// The one markdown escaper: report text as markdown that reads as text and nothing else, wherever markdown is
// written (the markdown report and the Action's job summary, the diff for a pull request, SARIF's help text).
import { clip } from './reading.js';
import { sanitize } from './sanitize.js';

/** The longest report field markdown shows in full. */
const FIELD = 1000;

/**
 * How a newline in report text is written: `<br>` (GitHub's summaries and comments, where text sits in table
 * cells and list items and must never start a line of its own), or a hard break (`  ` and a newline) for
 * viewers that may not take HTML (SARIF's markdown).
 */
type Breaks = 'html' | 'hard';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Sanitised text made inert: markup becomes entities (so it is text in a table, a list or a `<details>` block
 * alike), every character markdown gives a meaning wherever it stands is backslash-escaped (`$` too: GitHub
 * renders math), a line that would open a block (a list item, a setext underline) is escaped at its start, and
 * newlines are written as `breaks` says.
 */
function escapeText(s: string, breaks: Breaks): string {
  return s
    .replace(/[&<>]/g, (c) => ENTITY[c]!)
    .replace(/[\\`*_[\]|~#$]/g, '\\$&')
    .replace(/^( {0,3})([-+]|\d{1,9}[.)])(?= |$)/gm, (_, sp: string, m: string) => `${sp}${m.slice(0, -1)}\\${m.slice(-1)}`)
    .replace(/^( {0,3})(=+|-+)( *)$/gm, '$1\\$2$3')
    .replace(/ *\n+ */g, breaks === 'html' ? '<br>' : '  \n');
}

/** Report text as markdown: sanitised, trimmed, at most `max` characters, escaped. */
export function md(s: string, max = FIELD, breaks: Breaks = 'html'): string {
  return escapeText(clip(sanitize(s).trim(), max), breaks);
}

/**
 * Like `md`, but the author's `code` spans stay code, so a command in a fix reads as one. Inside a span
 * markdown reads nothing (no markup, no entities), so its text goes in as it is: only a span of one backtick
 * each side, with no newline (block structure is read before spans) and no pipe (a table cell ends at one).
 */
export function mdWithCode(s: string, max = FIELD, breaks: Breaks = 'html'): string {
  const t = clip(sanitize(s).trim(), max);
  let out = '';
  let last = 0;
  for (const m of t.matchAll(/`([^`\n|]+)`/g)) {
    out += escapeText(t.slice(last, m.index), breaks) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeText(t.slice(last), breaks);
}

/**
 * Report text as one inline code span (an id in a table): on one line, fenced by one backtick more than the
 * longest run inside it, padded so a backtick at either end stays text, and a pipe escaped (GitHub ends a
 * table cell at a bare one even inside a span).
 */
export function mdCodeSpan(s: string, max = 200): string {
  const t = clip(sanitize(s).replace(/\s+/g, ' ').trim(), max).replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = /^`|`$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

// Report text as markdown that reads as text and nothing else (the job summary, the diff for a pull request).
import { clip, plain } from './reading.js';

/** The longest report field markdown shows in full. */
export const FIELD = 1000;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Report text made inert: markup becomes entities (so it is text in a table, a list or a `<details>` block
 * alike), every character markdown gives a meaning is backslash-escaped (`$` too: GitHub renders math), and a
 * newline becomes `<br>` so no report text ever starts a line of its own (no heading, list or table row).
 */
export function md(s: string, max = FIELD): string {
  return esc(clip(plain(s).trim(), max));
}

export function esc(s: string): string {
  return s
    .replace(/[&<>]/g, (c) => ENTITY[c]!)
    .replace(/[\\`*_[\]|~#$]/g, '\\$&')
    .replace(/ *\n+ */g, '<br>');
}

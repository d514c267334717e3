// The one rule for a long list in what a person reads: the first ten, then how many more. A check's items that
// do not pass (listeners outside an allow-list, processes over a limit) and the findings its message strings
// together are cut by it in every format, so a list is cut once, and the same way, in the terminal, markdown,
// HTML, JUnit, SARIF, the Action's annotations and its job summary. The JSON report keeps every item (`details`)
// and every finding (`reason`) whole.
//
// A view lists a check's items or says its message, never both: where the items are listed, what was seen is
// their count (`seen`), and the message, which strings the same findings together, is left out; a one-line
// view (an annotation, a symptom's line) says the message, cut by this rule when it was worded.
import type { ResultDetail } from '../evaluate/model.js';
import type { ReportResult as Result } from './model.js';

/** How many items of a list a person's view shows before it says how many more there are. */
const SHOWN = 10;

/** The first `max` of a list, and how many more it holds. */
export function cut<T>(list: readonly T[], max = SHOWN): { shown: T[]; more: number } {
  return { shown: list.slice(0, max), more: Math.max(0, list.length - max) };
}

/** A list in a sentence, cut by the rule: "a; b; …; and 94 more". */
export function joinCut(list: readonly string[], sep: string): string {
  const { shown, more } = cut(list);
  return more ? `${shown.join(sep)}${sep}and ${more} more` : shown.join(sep);
}

/** The line after a list of items the rule cut. */
export function moreItems(more: number): string {
  return `… and ${more} more (all in the JSON report)`;
}

/** A check's items that do not pass, cut by the rule, with how many there are of how many checked. */
export interface FailingItems {
  shown: ResultDetail[];
  more: number;
  count: number;
  of: number;
}

/** The items of a result that do not pass, cut by the rule; undefined when it has none. */
export function failingItems(r: Pick<Result, 'details'>): FailingItems | undefined {
  const details = r.details ?? [];
  const bad = details.filter((d) => d.status !== 'pass');
  return bad.length ? { ...cut(bad), count: bad.length, of: details.length } : undefined;
}

/** What was seen, as a view says it: the count, where the items that do not pass are listed; else `actual`. */
export function seen(r: Pick<Result, 'details' | 'actual'>): string {
  const items = failingItems(r);
  return items ? `${items.of} checked, ${items.count} not passing` : r.actual;
}

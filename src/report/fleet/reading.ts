// What the fleet renderers share for a person reading them: host names on one line, the findings a view shows,
// and the summary line. Lists of names are cut by the report's one rule (../listing.ts).
import { sanitize } from '../sanitize.js';
import type { FleetReport } from './model.js';

/** Text on one line: sanitised, line breaks as spaces. */
export function oneLine(s: string): string {
  return sanitize(s).replace(/\s*\n\s*/g, ' ');
}

/** At most `n` characters, the cut marked. */
export function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** "2 of 5 hosts ready · 1 not ready · 2 not audited" */
export function summaryLine(f: FleetReport): string {
  const s = f.summary;
  return `${s.ready} of ${s.hosts} host${s.hosts === 1 ? '' : 's'} ready · ${s.notReady} not ready · ${s.unaudited} not audited`;
}

/** The findings a person's view lists before saying how many more the JSON report holds. */
export const FINDINGS_SHOWN = 25;

// A waivers file's waivers in words, for every format: what each one did on the host, and which need a person's
// attention (stale, expired, about to expire). Made from the data (evaluate/waivers.ts), never read back.
import type { WaiverUse } from '../evaluate/waivers.js';
import { EXPIRY_WARNING_DAYS, needsAttention } from '../evaluate/waivers.js';

const days = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;

function checksText(u: WaiverUse): string {
  const [first, second, ...more] = u.checks;
  if (first === undefined) return '';
  if (second === undefined) return first;
  return more.length ? `${first}, ${second} and ${more.length} more` : `${first} and ${second}`;
}

/** What the waiver did here, in a phrase. */
export function waiverUseText(u: WaiverUse): string {
  switch (u.state) {
    case 'applied':
      return u.daysLeft <= EXPIRY_WARNING_DAYS
        ? `expires ${u.daysLeft === 0 ? 'at the end of today' : `in ${days(u.daysLeft)}`} (${u.expires}): ${checksText(u)} will be judged again`
        : `waives ${checksText(u)} until ${u.expires}`;
    case 'shadowed':
      return `stale: ${checksText(u)} ${u.checks.length === 1 ? 'is' : 'are'} waived by a waiver written before it, which wins (so this one's run and dates do not apply)`;
    case 'expired':
      return `expired on ${u.expires} (${days(-u.daysLeft)} ago): it no longer waives ${checksText(u)}`;
    case 'unmatched':
      return `stale: "${u.check}" names no check of the policy (by id, tag or area)`;
    case 'passing':
      return `stale: ${checksText(u)} ${u.checks.length === 1 ? 'passes' : 'pass'} without it; remove it`;
    case 'not-judged':
      return `${checksText(u)} not in this run (--only, --skip)`;
    case 'other-hosts':
      return 'not for this host (hosts)';
  }
}

/** "waiver for CHECK (owner O): …", said at the waiver's place. */
export function waiverUseMessage(u: WaiverUse): string {
  return `waiver for ${u.check} (owner ${u.owner}): ${waiverUseText(u)}`;
}

/** "FILE:LINE:COL: waiver for CHECK (owner O): …", one line for standard error. */
export function waiverUseLine(u: WaiverUse): string {
  return `${u.source.file}:${u.source.line}:${u.source.column}: ${waiverUseMessage(u)}`;
}

export function attentionUses(uses: readonly WaiverUse[] | undefined): WaiverUse[] {
  return (uses ?? []).filter(needsAttention);
}

/** A waived result's waiver in a phrase: "waived until DATE (owner O): why". */
export function waivedNote(w: { reason: string; expires?: string; owner?: string } | undefined): string {
  if (!w) return 'waived';
  return `waived${w.expires ? ` until ${w.expires}` : ''}${w.owner !== undefined ? ` (owner ${w.owner})` : ''}: ${w.reason || 'no reason given'}`;
}

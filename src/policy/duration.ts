// Durations as policies write them ("500ms", "2s", "1m", "1h" or a number of milliseconds), and the range a
// timer can actually wait: Node's setTimeout holds a signed 32-bit count of milliseconds and fires at once
// (with a warning) when given more, so a longer timeout would silently mean none.

export const TIMER_MAX_MS = 2 ** 31 - 1;

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds from "500ms", "2s", "1m", "1h" or a number of milliseconds; undefined for anything else. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = DURATION.exec(v);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** Why a well-formed duration cannot be a timeout, or undefined when it can (timers count whole milliseconds). */
export function timeoutRangeProblem(ms: number): string | undefined {
  if (ms <= 0) return 'must be at least 1ms';
  if (ms > TIMER_MAX_MS) return `must be at most ${TIMER_MAX_MS}ms (about ${Math.floor(TIMER_MAX_MS / 8_640_000) / 10} days, the longest a timer can wait)`;
  return undefined;
}

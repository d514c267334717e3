// The progress line of live probes on a terminal: `probing 37/1000 · tls 198.18.0.7:443 +3` on standard error,
// drawn only once a run has taken a second, redrawn in place at most every 100 ms, cut to the terminal's width
// and erased when collecting ends, so that what follows starts on a clean line. The commands decide whether
// their output allows one (audit: the pretty report to a terminal; facts: the snapshot to a file);
// terminalWantsProgress says whether the terminal and the environment do.
import { isatty } from 'node:tty';
import type { ProbeProgressEvent } from '../facts/probes.js';

/** What the line is drawn on: process.stderr, or a test's stand-in. */
export interface ProgressStream {
  isTTY?: boolean;
  /** The terminal's width; 80 when unknown. */
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressLine {
  update(e: ProbeProgressEvent): void;
  /** Erase the line (when one was drawn) and draw no more. Safe to call twice. */
  stop(): void;
}

const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;
const CLEAR_TO_END = '\x1b[K';
export const ERASE_LINE = '\r\x1b[2K';

/**
 * Standard error is a terminal, no CI system runs us (CI set to anything but "", "0" or "false") and the
 * terminal can move its cursor (TERM is not "dumb").
 */
export function terminalWantsProgress(stderrIsTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (!stderrIsTTY) return false;
  const ci = (env.CI ?? '').trim().toLowerCase();
  if (ci !== '' && ci !== '0' && ci !== 'false') return false;
  return env.TERM !== 'dumb';
}

/** A progress line on standard error when the terminal and the environment want one, else undefined. */
export function startProgress(label = 'probing'): ProgressLine | undefined {
  if (!terminalWantsProgress(isatty(2), process.env)) return undefined;
  const line = progressLine(process.stderr, label);
  // Interrupted, the line is erased before the shell's prompt comes back on it. Whoever else listens (a fleet
  // run ending its connections) ends the process; alone, this ends it as the signal would have.
  const onSignal = (signal: NodeJS.Signals): void => {
    line.stop();
    if (process.listenerCount(signal) === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    update: line.update,
    stop() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      line.stop();
    },
  };
}

const codePoints = (s: string): string[] => Array.from(s);

/** Cut to `width` code points, the last of them an ellipsis when something was cut. */
function fit(s: string, width: number): string {
  const cs = codePoints(s);
  if (cs.length <= width) return s;
  return width <= 0 ? '' : `${cs.slice(0, width - 1).join('')}…`;
}

/**
 * How an endpoint is named on the line: no control characters (a key holds what the policy wrote), and of an
 * HTTP probe only its method and URL without credentials: the headers a key also holds may carry a token.
 */
function endpoint(key: string): string {
  let k = key.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  if (k.startsWith('http '))
    k = k
      .split(' ')
      .slice(0, 3)
      .join(' ')
      .replace(/:\/\/[^/@]*@/, '://');
  return k;
}

/** The line for one state, at most `columns - 1` wide (the last column would make some terminals wrap). */
export function formatProgress(e: ProbeProgressEvent, columns?: number, label = 'probing'): string {
  const width = Math.max(0, (columns !== undefined && columns > 0 ? columns : 80) - 1);
  const head = `${label} ${e.done}/${e.total}`;
  const oldest = e.running[0];
  if (oldest === undefined) return fit(head, width);
  const more = e.running.length > 1 ? ` +${e.running.length - 1}` : '';
  const key = codePoints(endpoint(oldest));
  // Cut the endpoint rather than the count of the others in flight.
  const room = width - codePoints(head).length - 3 - codePoints(more).length;
  if (key.length <= room) return `${head} · ${key.join('')}${more}`;
  if (room >= 2) return `${head} · ${key.slice(0, room - 1).join('')}…${more}`;
  return fit(`${head} · ${key.join('')}${more}`, width);
}

/**
 * Draw the latest state on `stream`, from SHOW_AFTER_MS after this call on, at most every REDRAW_EVERY_MS.
 * Its timers are unref'd: a progress line never keeps the process alive.
 */
export function progressLine(stream: ProgressStream, label = 'probing'): ProgressLine {
  let latest: ProbeProgressEvent | undefined;
  let onScreen = '';
  let visible = false;
  let stopped = false;
  let pending = false;
  let throttle: NodeJS.Timeout | undefined;

  const draw = (): void => {
    pending = false;
    if (stopped || !latest) return;
    const text = formatProgress(latest, stream.columns, label);
    // The throttle counts writes: a state that draws the same line writes nothing and waits for nothing.
    if (text === onScreen) return;
    stream.write(`\r${text}${CLEAR_TO_END}`);
    onScreen = text;
    throttle = setTimeout(() => {
      throttle = undefined;
      if (pending) draw();
    }, REDRAW_EVERY_MS);
    throttle.unref();
  };

  const show = setTimeout(() => {
    visible = true;
    draw();
  }, SHOW_AFTER_MS);
  show.unref();

  return {
    update(e) {
      if (stopped) return;
      latest = e;
      if (!visible) return;
      if (throttle) pending = true;
      else draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(show);
      clearTimeout(throttle);
      if (onScreen !== '') stream.write(ERASE_LINE);
      onScreen = '';
    },
  };
}

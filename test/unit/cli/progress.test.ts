// The probe progress line as drawn: a fake terminal records every write, fake timers stand in for the clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERASE_LINE, formatProgress, progressLine, terminalWantsProgress } from '../../../src/cli/progress.js';
import type { ProbeProgressEvent } from '../../../src/facts/probes.js';

class FakeTerminal {
  isTTY = true;
  writes: string[] = [];
  constructor(public columns?: number) {}
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
}

const ev = (done: number, total: number, ...running: string[]): ProbeProgressEvent => ({ done, total, running });

describe('progress line', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws nothing in the first second, then the latest state, and erases it at the end', () => {
    const t = new FakeTerminal(80);
    const p = progressLine(t);
    p.update(ev(0, 1000, 'tcp 198.18.0.1:443'));
    p.update(ev(37, 1000, 'tls 198.18.0.7:443'));
    vi.advanceTimersByTime(999);
    expect(t.writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(t.writes).toEqual(['\rprobing 37/1000 · tls 198.18.0.7:443\x1b[K']);
    p.stop();
    expect(t.writes).toEqual(['\rprobing 37/1000 · tls 198.18.0.7:443\x1b[K', '\r\x1b[2K']);
    expect(ERASE_LINE).toBe('\r\x1b[2K');
  });

  it('a run under a second leaves no trace at all', () => {
    const t = new FakeTerminal(80);
    const p = progressLine(t);
    p.update(ev(0, 2, 'tcp a:1', 'tcp b:2'));
    p.update(ev(2, 2));
    vi.advanceTimersByTime(500);
    p.stop();
    vi.advanceTimersByTime(5000);
    expect(t.writes).toEqual([]);
  });

  it('counts the others in flight as +N', () => {
    const t = new FakeTerminal(80);
    const p = progressLine(t);
    p.update(ev(3, 10, 'tls 198.18.0.7:443', 'tcp 198.18.0.1:22', 'dns example.com A'));
    vi.advanceTimersByTime(1000);
    expect(t.writes).toEqual(['\rprobing 3/10 · tls 198.18.0.7:443 +2\x1b[K']);
    p.stop();
  });

  it('redraws at most every 100 ms, with the latest state, and skips a redraw that changes nothing', () => {
    const t = new FakeTerminal(80);
    const p = progressLine(t);
    vi.advanceTimersByTime(1000);
    expect(t.writes).toEqual([]); // nothing to show yet
    p.update(ev(1, 5, 'tcp a:1'));
    expect(t.writes).toEqual(['\rprobing 1/5 · tcp a:1\x1b[K']);
    p.update(ev(2, 5, 'tcp b:2'));
    p.update(ev(3, 5, 'tcp c:3'));
    vi.advanceTimersByTime(99);
    expect(t.writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.writes).toEqual(['\rprobing 1/5 · tcp a:1\x1b[K', '\rprobing 3/5 · tcp c:3\x1b[K']);
    vi.advanceTimersByTime(1000);
    p.update(ev(3, 5, 'tcp c:3'));
    expect(t.writes).toHaveLength(2);
    p.update(ev(4, 5));
    expect(t.writes.at(-1)).toBe('\rprobing 4/5\x1b[K');
    p.stop();
    expect(t.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('draws nothing after stop, and stop erases once', () => {
    const t = new FakeTerminal(80);
    const p = progressLine(t);
    p.update(ev(1, 2, 'tcp a:1'));
    vi.advanceTimersByTime(1000);
    p.update(ev(1, 2, 'tcp b:1'));
    p.stop();
    p.stop();
    p.update(ev(2, 2));
    vi.advanceTimersByTime(1000);
    expect(t.writes).toEqual(['\rprobing 1/2 · tcp a:1\x1b[K', '\r\x1b[2K']);
  });

  it('is cut to the terminal width, one column short of it, keeping the count of the others', () => {
    const t = new FakeTerminal(30);
    const p = progressLine(t);
    p.update(ev(37, 1000, 'http GET https://www.example.com/a/long/path', 'tcp a:1'));
    vi.advanceTimersByTime(1000);
    expect(t.writes).toEqual(['\rprobing 37/1000 · http GE… +1\x1b[K']);
    expect('probing 37/1000 · http GE… +1').toHaveLength(29);
    p.stop();
  });

  it('counts hosts for a fleet, naming the one audited longest', () => {
    const t = new FakeTerminal(80);
    const p = progressLine(t, 'auditing');
    p.update(ev(3, 10, 'web1', 'web2', 'db1'));
    vi.advanceTimersByTime(1000);
    expect(t.writes).toEqual(['\rauditing 3/10 · web1 +2\x1b[K']);
    p.stop();
  });

  it('cuts the whole line when even the count does not fit', () => {
    expect(formatProgress(ev(37, 1000, 'tcp a:1'), 10)).toBe('probing …');
    expect(formatProgress(ev(37, 1000), 10)).toBe('probing …');
    expect(formatProgress(ev(1, 2), 1)).toBe('');
  });

  it('takes 80 columns when the width is unknown', () => {
    const key = `tcp ${'a'.repeat(100)}:1`;
    const line = formatProgress(ev(0, 1, key));
    expect(line).toHaveLength(79);
    expect(line.endsWith('…')).toBe(true);
    expect(formatProgress(ev(0, 1, key), 0)).toBe(line);
  });

  it('names an HTTP probe by method and URL: no headers, no credentials, no control characters', () => {
    expect(formatProgress(ev(0, 1, 'http GET https://u:secret@example.com/ {"authorization":"Bearer t"} ca=/etc/ca.pem'), 200)).toBe(
      'probing 0/1 · http GET https://example.com/',
    );
    expect(formatProgress(ev(0, 1, 'dns a\x1b[31m.example A'), 200)).toBe('probing 0/1 · dns a?[31m.example A');
  });

  it('keeps the process free: its timers are unref’d', () => {
    vi.useRealTimers();
    const unref = vi.spyOn(globalThis, 'setTimeout');
    const t = new FakeTerminal(80);
    const p = progressLine(t);
    const timer = unref.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    p.stop();
    unref.mockRestore();
  });
});

describe('whether the terminal wants a progress line', () => {
  it('only on a terminal, outside CI, with a TERM that can move the cursor', () => {
    expect(terminalWantsProgress(true, { TERM: 'xterm-256color' })).toBe(true);
    expect(terminalWantsProgress(true, {})).toBe(true);
    expect(terminalWantsProgress(false, { TERM: 'xterm' })).toBe(false);
    expect(terminalWantsProgress(true, { TERM: 'dumb' })).toBe(false);
    expect(terminalWantsProgress(true, { CI: 'true' })).toBe(false);
    expect(terminalWantsProgress(true, { CI: '1' })).toBe(false);
    expect(terminalWantsProgress(true, { CI: 'woodpecker' })).toBe(false);
    expect(terminalWantsProgress(true, { CI: '' })).toBe(true);
    expect(terminalWantsProgress(true, { CI: 'false' })).toBe(true);
    expect(terminalWantsProgress(true, { CI: '0' })).toBe(true);
  });
});

// The README's diagnose section says what `plumbline diagnose --help` says: every option in its usage line, the
// exit codes, and an example in the shape the pretty renderer prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../../src/cli/commands/diagnose.js';

const README = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

/** The options --help lists under "Options:" (each line's long names), --help itself aside. */
const OPTIONS = [...USAGE.slice(USAGE.indexOf('Options:')).matchAll(/^\s+(?:-\w, )?(--[\w-]+)(?:, (--[\w-]+))?/gm)]
  .flatMap((m) => [m[1]!, ...(m[2] ? [m[2]] : [])])
  .filter((o) => o !== '--help');

/** A usage: the line starting with `start` and the lines indented under it. */
function usageOf(text: string, start: string): string {
  const lines = text.slice(text.indexOf(start)).split('\n');
  const end = lines.findIndex((l, i) => i > 0 && !/^\s{8,}\[/.test(l));
  return lines.slice(0, end).join(' ');
}

describe('diagnose: the README', () => {
  it('finds the options --help lists', () => {
    expect(OPTIONS).toEqual(expect.arrayContaining(['--target', '--ssh-config', '--accept-new-host-keys', '--allow-target', '--color', '--no-color']));
  });

  it.each([
    ['the README', usageOf(README, 'plumbline diagnose TARGET')],
    ['--help', usageOf(USAGE, 'Usage: plumbline diagnose TARGET')],
  ])('%s: the usage lists every option --help lists', (_, usage) => {
    for (const o of OPTIONS) expect(usage).toMatch(new RegExp(`\\[${o}[\\s\\]|]|\\|${o}\\]`));
  });

  it('says every exit code, 3 included, and shows the output as printed (header lines, TCP states)', () => {
    const section = README.slice(README.indexOf('## diagnose'), README.indexOf('## Waivers'));
    expect(section).toMatch(/3 when the diagnosis could\s+not run/);
    expect(section).toMatch(
      /\n\$ plumbline diagnose (\S+)\ndiagnose \1 via \S+, gateway \S+\naudited host \S+ \(local\); bottom-up, judging stops at the first layer that fails\n\n✓ link /,
    );
    expect(section).toMatch(
      /\n\n✓ TCP states {11}on this host {2}SYN_SENT \d+ toward \S+, CLOSE_WAIT \d+ toward \S+\n\n\S+ cannot be reached: stopped at TCP connect \(\d\.\d\d s\)\n```/,
    );
  });
});

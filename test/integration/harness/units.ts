// systemd unit files read as the examples' tests need them: directives by `Section.Key`, continuation lines
// joined, a directive given twice keeping every value (ExecStart=, SystemCallFilter=).

export type UnitDirectives = Map<string, string[]>;

export function unitDirectives(text: string): UnitDirectives {
  const m: UnitDirectives = new Map();
  let section = '';
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(\w+)\]$/.exec(line);
    if (s) {
      section = s[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    const key = `${section}.${line.slice(0, eq)}`;
    m.set(key, [...(m.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return m;
}

/** The value in force: the last one given. */
export const lastValue = (u: UnitDirectives, k: string): string | undefined => u.get(k)?.at(-1);

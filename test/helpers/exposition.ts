// Prometheus's text format read strictly, for the tests of the renderers that write it.
import { expect } from 'vitest';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  raw: string;
}
export interface Family {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

/** The text format, read strictly: a sample line outside its family, or a malformed line, throws. */
export function parse(text: string): Family[] {
  const families: Family[] = [];
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) {
      families.push({ name: m[1]!, help: m[2]!, type: '', samples: [] });
    } else if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) {
      const f = families.at(-1)!;
      if (f.name !== m[1] || f.type) throw new Error(`TYPE out of place: ${line}`);
      f.type = m[2]!;
    } else if ((m = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line))) {
      const f = families.at(-1);
      if (!f || f.name !== m[1] || !f.type) throw new Error(`sample outside its family: ${line}`);
      const labels: Record<string, string> = {};
      const body = m[2] ?? '';
      const re = /([^=,]+)="((?:[^"\\]|\\.)*)"(,|$)/gy;
      let lm: RegExpExecArray | null;
      let end = 0;
      while ((lm = re.exec(body))) {
        if (lm[1]! in labels) throw new Error(`label twice: ${line}`);
        labels[lm[1]!] = lm[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
        end = re.lastIndex;
      }
      if (end !== body.length) throw new Error(`bad labels: ${line}`);
      f.samples.push({ name: m[1]!, labels, value: Number(m[3]), raw: line });
    } else {
      throw new Error(`unreadable line: ${JSON.stringify(line)}`);
    }
  }
  return families;
}

export function fam(families: Family[], name: string): Family {
  const f = families.find((x) => x.name === name);
  expect(f, name).toBeDefined();
  return f!;
}

// Paths into a policy value (map keys and list indices, as in an ajv instancePath) and findings made at them
// before load.ts turns a path into a line and column.

export type DataPath = readonly (string | number)[];

/** An issue before it has a position: where in the value, and optionally which key of the map there. */
export interface RawIssue {
  path: DataPath;
  key?: string;
  message: string;
  /** An earlier declaration to mention: "; first declared on line N" is appended once positions are known. */
  firstAt?: DataPath;
  /** The vars whose values made the value at fault (`${name}` in what the file wrote there). */
  vars?: string[];
  /** With `vars`: what is wrong with the value, without the reference it came from. */
  valueProblem?: string;
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** "listener.port", "expect.only[2]", "defaults.timeout": the path as a reader would name it. */
export function label(path: DataPath): string {
  let rel = path;
  if (path[0] === 'checks' && typeof path[1] === 'number') {
    rel = path.slice(2);
    if (rel.length === 0) return 'check';
  } else if (path[0] === 'waivers' && typeof path[1] === 'number') {
    rel = path.slice(2);
    if (rel.length === 0) return 'waiver';
  }
  if (rel.length === 0) return 'policy';
  let s = '';
  for (const seg of rel) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s;
}

export function getPath(v: unknown, path: DataPath): unknown {
  let cur: unknown = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (typeof cur === 'object' && cur !== null && !Array.isArray(cur)) cur = (cur as Record<string, unknown>)[String(seg)];
    else return undefined;
  }
  return cur;
}

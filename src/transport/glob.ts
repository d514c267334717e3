// The one glob every transport expands the same way: per path component a literal name or a pattern of `*`, `?`
// and `[...]` (a leading `!` or `^` negates), matched against a directory listing; hidden names never match a
// wildcard. Directories that vanish while listed (a process that exits) are simply not there.

export type Lister = (dir: string) => string[] | { error: string };

const VANISHED = new Set(['ENOENT', 'ENOTDIR', 'ESRCH']);

const isPattern = (part: string): boolean => /[*?[]/.test(part);

const compiled = new Map<string, RegExp>();

/** The regular expression a glob component stands for, compiled once: a link filter expands per process. */
function componentRegex(part: string): RegExp {
  let re = compiled.get(part);
  if (!re) compiled.set(part, (re = compileComponent(part)));
  return re;
}

function compileComponent(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = part.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Every path matching `pattern`, and the directories on the way that could not be listed (errno code). */
export function expandGlob(pattern: string, list: Lister): { paths: string[]; unlisted: Record<string, string> } {
  const parts = pattern.split('/').filter((p) => p !== '');
  let bases = [''];
  const unlisted: Record<string, string> = {};
  for (const part of parts) {
    if (!isPattern(part)) {
      bases = bases.map((b) => `${b}/${part}`);
      continue;
    }
    const re = componentRegex(part);
    const next: string[] = [];
    for (const base of bases) {
      const names = list(base || '/');
      if (!Array.isArray(names)) {
        if (!VANISHED.has(names.error)) unlisted[base] = names.error;
        continue;
      }
      for (const n of names) if (!n.startsWith('.') && re.test(n)) next.push(`${base}/${n}`);
    }
    bases = next;
  }
  return { paths: bases, unlisted };
}

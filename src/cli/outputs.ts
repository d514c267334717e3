// Where reports go: `--format X` (standard output), `--format X=PATH`, or `--format X -o PATH` paired in order,
// and how a file is written: whole or not at all.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { UsageError } from './errors.js';
import { didYouMean } from '../lib/did-you-mean.js';
import { errCode, errText } from '../lib/errno.js';

/** The formats for help texts (report/registry.ts loads them). */
export const FORMAT_LIST = 'pretty (default), json, junit, sarif, markdown, html or prometheus';

/** The options of a command that renders (util.parseArgs form). */
export const RENDER_OPTIONS = {
  format: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o', multiple: true },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface Target {
  format: string;
  /** undefined: standard output. */
  path?: string;
}

/**
 * `--format` values with their paths. A value `X=PATH` names its own file; the `-o` values go, in order, to the
 * formats that name none; a format left without a path goes to standard output (one at most).
 */
export function targets(formats: string[] | undefined, outputs: string[] | undefined, known: readonly string[], fallback: string): Target[] {
  // `-o report.html` alone: the file's extension says what the user wants in it, not the default format.
  if ((!formats || formats.length === 0) && outputs?.length === 1) {
    const format = formatOfFile(outputs[0]!, known, fallback);
    return [isStandardOutput(outputs[0]!) ? { format } : { format, path: outputs[0]! }];
  }
  const given = (formats?.length ? formats : [fallback]).map((f) => {
    const eq = f.indexOf('=');
    const format = eq < 0 ? f : f.slice(0, eq);
    if (!known.includes(format)) {
      const s = didYouMean(format, known);
      throw new UsageError(`unknown format "${format}"${s ? `; did you mean "${s}"?` : ''} (formats: ${known.join(', ')})`);
    }
    if (eq >= 0 && eq === f.length - 1)
      throw new UsageError(`--format ${f} names no file; write --format ${format}=PATH, or --format ${format} for standard output`);
    // A path that is this process's standard output (/dev/stdout, /dev/fd/1) is standard output: written
    // through, never replaced, and no pretty report added to it for the terminal.
    return { format, ...(eq >= 0 && !isStandardOutput(f.slice(eq + 1)) ? { path: f.slice(eq + 1) } : {}) };
  });
  const os = (outputs ?? []).map((o) => (isStandardOutput(o) ? '-' : o));
  const ts = given.map((t) => {
    if (t.path !== undefined || !os.length) return t;
    const o = os.shift()!;
    return o === '-' ? t : { ...t, path: o };
  });
  if (os.length)
    throw new UsageError(`${os.length} -o path(s) left without a format (${os.join(', ')}); give each -o its own --format, or write --format X=PATH`);
  const toStdout = ts.filter((t) => t.path === undefined);
  if (toStdout.length > 1)
    throw new UsageError(`only one format can go to standard output (${toStdout.map((t) => t.format).join(', ')}); give the others a file: --format X=PATH`);
  const seen = new Map<string, string>();
  for (const t of ts) {
    if (t.path === undefined) continue;
    const before = seen.get(t.path);
    if (before !== undefined) throw new UsageError(`${t.path} is named for both ${before} and ${t.format}; give each format its own file`);
    seen.set(t.path, t.format);
  }
  return ts;
}

/** Whether `path` is the file this process's standard output is (the same device and inode). */
function isStandardOutput(path: string): boolean {
  try {
    const named = statSync(path);
    const out = fstatSync(1);
    return named.dev === out.dev && named.ino === out.ino;
  } catch {
    return false;
  }
}

const BY_EXTENSION: Record<string, string> = {
  '.json': 'json',
  '.sarif': 'sarif',
  '.html': 'html',
  '.htm': 'html',
  '.xml': 'junit',
  '.md': 'markdown',
  '.prom': 'prometheus',
  '.txt': 'pretty',
};

function formatOfFile(path: string, known: readonly string[], fallback: string): string {
  const ext = /\.[^./]+$/.exec(path)?.[0]?.toLowerCase();
  const format = ext === undefined ? undefined : BY_EXTENSION[ext];
  if (format !== undefined && known.includes(format)) return format;
  if (ext === undefined || ext === '.log' || ext === '.out') return fallback;
  throw new UsageError(`-o ${path}: which format? "${ext}" names none; add --format FORMAT (${known.join(', ')}), or write --format FORMAT=${path}`);
}

function shown(path: string): string {
  return isAbsolute(path) || path.startsWith('./') || path.startsWith('../') ? path : `./${path}`;
}

/** Why a write failed, about the file the user named (never the temporary one beside it). */
function cannotWrite(path: string, err: unknown): UsageError {
  const code = errCode(err);
  const why =
    code === 'ENOENT'
      ? existsSync(dirname(path))
        ? `ENOENT: no file can be created in ${dirname(shown(path))}`
        : `ENOENT: the directory ${dirname(shown(path))} does not exist`
      : code === 'EACCES' || code === 'EPERM'
        ? `${code}: permission denied`
        : code === 'EISDIR'
          ? 'EISDIR: it is a directory'
          : code === 'ENOSPC'
            ? 'ENOSPC: no space left on the device'
            : code === 'EROFS'
              ? 'EROFS: the file system is read-only'
              : errText(err);
  return new UsageError(`cannot write ${shown(path)}: ${why}`);
}

/**
 * Write `text` to `path` so that a reader never sees a part of it: into a temporary file beside it, flushed,
 * then renamed over it, so a run killed half-way leaves the old file or none, never a truncated report.
 * Something that is not a regular file (/dev/stdout, /dev/null, a FIFO) cannot be replaced and is written to.
 */
export function writeFileAtomic(path: string, text: string): void {
  let target = path;
  let kind: 'file' | 'directory' | 'special' | 'new' = 'new';
  try {
    // Through any links: /dev/stdout is a link to a pipe or a terminal, which has no path to resolve.
    const st = statSync(path);
    kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'special';
    // A symlink stays a symlink: the file it points at is the one replaced.
    if (kind === 'file') target = realpathSync(path);
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw cannotWrite(path, err);
  }
  if (kind === 'directory') throw new UsageError(`cannot write ${shown(path)}: it is a directory; name a file in it`);
  if (kind === 'special') return writeThrough(path, text);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeAll(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already renamed.
    }
    throw cannotWrite(path, err);
  }
}

function writeThrough(path: string, text: string): void {
  try {
    const fd = openSync(path, 'w');
    try {
      writeAll(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw cannotWrite(path, err);
  }
}

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) buf = buf.subarray(writeSync(fd, buf));
}

/** A file the run reads, and what it is to the run (`the --facts snapshot`, `policy p.yaml`). */
export interface InputFile {
  path: string;
  what: string;
}

/** Device and inode of a regular file, so two spellings (or links) of one file compare equal. */
function identity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, before anything runs, a report that would be written over a file the run reads: the input would be
 * gone (the report renamed over it) and a second run would read the report instead. Only regular files count:
 * /dev/stdin read and /dev/stdout written may well be one terminal.
 */
export function refuseOverwritingInputs(outs: readonly Target[], inputs: readonly InputFile[]): void {
  const read = new Map<string, InputFile>();
  for (const i of inputs) {
    const id = identity(i.path);
    if (id !== undefined && !read.has(id)) read.set(id, i);
  }
  for (const t of outs) {
    if (t.path === undefined) continue;
    const input = read.get(identity(t.path) ?? '');
    if (input)
      throw new UsageError(
        `the ${t.format} report would be written over ${shown(t.path)}, which is ${input.what} of this run; nothing was written and ${shown(input.path)} is unchanged`,
      );
  }
}

// The batch as the remote program takes it, and its frames turned back into the four plain calls every batch is
// answered from (calls.ts): so a glob, its link filter and its refusals mean over SSH exactly what they mean locally.
import { gatherWith, type Calls } from '../calls.js';
import type { RawAnswer, RawFailure, RawMaterial, RawRequest, RunAnswer } from '../types.js';
import { requestKey } from '../types.js';
import type { Frame } from './frames.js';
import program from './remote.sh';

export { program };

type Run = Extract<RawRequest, { op: 'run' }>;

/** The arguments of the remote program (a nonce, then one hex-encoded request each) and the runs by id. */
export interface Encoded {
  args: string[];
  runs: Map<string, Run>;
  /** Requests the program cannot carry (a newline or byte 001 in a path or argument), answered here. */
  refused: Map<string, RawFailure>;
  /** The requests, when too many for arguments: to be written once the program has begun. */
  stdin?: string;
}

const ARGUMENT_ROOM = 64 * 1024;

const SEPARATOR = '\x01';

/** The directory part of a pattern that its first wildcard component matches (`/proc/[0-9]*` of `/proc/[0-9]*\/fd/*`). */
function anchorPattern(pattern: string): string {
  const parts = pattern.split('/');
  const first = parts.findIndex((p) => /[*?[]/.test(p));
  return parts.slice(0, first + 1).join('/');
}

export function encodeBatch(batch: readonly RawRequest[], nonce: string): Encoded {
  const lines: string[][] = [];
  const runs = new Map<string, Run>();
  const refused = new Map<string, RawFailure>();
  for (const r of batch) {
    let fields: string[][];
    switch (r.op) {
      case 'read':
        fields = [['R', r.path]];
        break;
      case 'list':
        fields = [['L', r.path]];
        break;
      case 'link':
        fields = [['K', r.path]];
        break;
      case 'glob':
        // A filtered glob carries its filter: the program reads only under the directories that pass it (the
        // processes holding a socket of every process), as the local transport does. The filter's links are read
        // under every directory the pattern's first wildcard matches, so the filter is judged here as well.
        fields = [r.where ? ['G', r.take, r.pattern, r.where.links, r.where.startsWith] : ['G', r.take, r.pattern]];
        if (r.where) fields.push(['G', 'link', `${anchorPattern(r.pattern)}/${r.where.links}`]);
        break;
      case 'run':
        fields = [['X', String(runs.size), String(Math.max(1, Math.ceil(r.timeoutMs / 1000))), ...r.argv]];
        break;
    }
    if (fields.some((f) => f.some((x) => x.includes('\n') || x.includes(SEPARATOR) || x.includes('\0')))) {
      refused.set(requestKey(r), { error: 'EINVAL', message: `${requestKey(r)}: a newline or control byte the remote program does not carry` });
      continue;
    }
    if (r.op === 'run') runs.set(String(runs.size), r);
    lines.push(...fields);
  }
  // Globs with the same link filter ask for the same links: each distinct request goes once.
  const hex = [...new Set(lines.map((f) => f.join(SEPARATOR)))].map((f) => Buffer.from(f, 'utf8').toString('hex'));
  // A command line (and ssh's session request) has room for a policy of hundreds of checks, not thousands.
  if (hex.reduce((n, h) => n + h.length + 1, 0) > ARGUMENT_ROOM) return { args: [nonce, '-'], stdin: `${hex.join('\n')}\n`, runs, refused };
  return { args: [nonce, ...hex], runs, refused };
}

const failure = (error: string, message: string): RawFailure => ({ error, message });
// What the calls throw is read back only for its code and message (calls.ts), never shown with a stack: an
// Error without one, as a host answers thousands of refused reads and non-links a batch.
const thrown = (f: RawFailure): Error => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return Object.assign(new Error(f.message), { code: f.error });
  } finally {
    Error.stackTraceLimit = limit;
  }
};

/**
 * `ls -ldq` lines of symbolic links: "lrwx... DATE /path -> target", or without the target when reading it was
 * refused (another user's /proc/PID/fd). The paths are the program's own.
 */
function parseLinks(text: string, into: Map<string, string | RawFailure>, seen?: (path: string) => void): void {
  for (const line of text.split('\n')) {
    const start = line.indexOf(' /');
    if (start < 0) continue;
    // Not a link at all: readlink's EINVAL.
    if (!line.startsWith('l')) {
      into.set(line.slice(start + 1), failure('EINVAL', `${line.slice(start + 1)}: not a symbolic link`));
      seen?.(line.slice(start + 1));
      continue;
    }
    const arrow = line.indexOf(' -> ', start);
    const path = arrow < 0 ? line.slice(start + 1) : line.slice(start + 1, arrow);
    into.set(path, arrow < 0 ? failure('EACCES', `${path}: permission denied`) : line.slice(arrow + 4));
    seen?.(path);
  }
}

const hexBytes = (data: Buffer): Buffer => Buffer.from(data.toString('latin1').replace(/\s+/g, ''), 'hex');

/** What the frames of one batch said, path by path. */
export class Fetched {
  private readonly files = new Map<string, string | RawFailure>();
  private readonly lists = new Map<string, string[] | RawFailure>();
  private readonly links = new Map<string, string | RawFailure>();
  private readonly stdout = new Map<string, string>();
  private readonly runs = new Map<string, RunAnswer | RawFailure>();

  constructor(private readonly encoded: Encoded) {}

  /** Takes one frame; returns the id of a run it finished. */
  take(f: Frame): string | undefined {
    const err = f.status === '-' ? undefined : f.status;
    switch (f.tag) {
      case 'R':
        this.files.set(f.path, err ? failure(err, `${f.path}: ${err}`) : f.data.toString('utf8'));
        return undefined;
      case 'L':
        this.lists.set(f.path, err ? failure(err, `${f.path}: ${err}`) : f.data.length ? f.data.toString('utf8').split('/') : []);
        return undefined;
      case 'K':
        this.links.set(f.path, failure(f.status, `${f.path}: ${f.status}`));
        return undefined;
      case 'Q':
        parseLinks(f.data.toString('utf8'), this.links);
        return undefined;
      case 'P': {
        // The entries of whole directories, a link glob's last component: their names are those directories'
        // listings too (the program does not list them twice), unless a listing of their own came.
        const names = new Map<string, string[]>();
        parseLinks(f.data.toString('utf8'), this.links, (path) => {
          const cut = path.lastIndexOf('/');
          const dir = path.slice(0, cut);
          const list = names.get(dir);
          if (list) list.push(path.slice(cut + 1));
          else names.set(dir, [path.slice(cut + 1)]);
        });
        for (const [dir, list] of names) if (!this.lists.has(dir)) this.lists.set(dir, list);
        return undefined;
      }
      case 'H':
        if (this.encoded.runs.has(f.path)) this.stdout.set(f.path, hexBytes(f.data).toString('utf8'));
        else this.files.set(f.path, hexBytes(f.data).toString('utf8'));
        return undefined;
      case 'O':
        this.stdout.set(f.path, f.data.toString('utf8'));
        return undefined;
      case 'E': {
        const run = this.encoded.runs.get(f.path);
        if (!run) return undefined;
        const exitCode = Number(f.status);
        const stderr = f.data.toString('utf8');
        const name = run.argv[0] ?? '';
        if (exitCode === 127 && !this.stdout.has(f.path)) this.runs.set(f.path, failure('ENOENT', `${name}: command not found`));
        // timeout -s KILL: GNU's and busybox's both end with the KILL status.
        else if (exitCode === 124 || exitCode === 137)
          this.runs.set(f.path, failure('ETIMEDOUT', `${run.argv.join(' ')}: timed out after ${run.timeoutMs} ms`));
        else this.runs.set(f.path, { stdout: this.stdout.get(f.path) ?? '', stderr, exitCode });
        return f.path;
      }
      default:
        return undefined;
    }
  }

  /**
   * The plain calls over what came. A path no frame named does not exist when the program ran to its end;
   * otherwise it is `missing` (the connection ended first).
   */
  calls(missing: RawFailure | undefined): Calls {
    const absent = (p: string): RawFailure => missing ?? failure('ENOENT', `${p}: no such file or directory`);
    return {
      readFile: (p) => {
        const v = this.files.get(p) ?? absent(p);
        if (typeof v === 'string') return v;
        throw thrown(v);
      },
      readDir: (p) => {
        const v = this.lists.get(p) ?? absent(p);
        if (Array.isArray(v)) return v;
        throw thrown(v);
      },
      readLink: (p) => {
        const v = this.links.get(p) ?? absent(p);
        if (typeof v === 'string') return v;
        throw thrown(v);
      },
      run: () => Promise.reject(thrown(failure('EINVAL', 'internal: runs are answered from their frames'))),
    };
  }

  runAnswer(id: string): RawAnswer | undefined {
    return this.runs.get(id);
  }
}

/** Every request but the runs, answered from what came (the program sends them all before any run's output). */
export async function answerFiles(
  batch: readonly RawRequest[],
  fetched: Fetched,
  missing: RawFailure | undefined,
  onAnswer?: (key: string, a: RawAnswer) => void,
): Promise<RawMaterial> {
  return gatherWith(
    fetched.calls(missing),
    batch.filter((r) => r.op !== 'run'),
    onAnswer,
  );
}

// A batch answered with four plain calls: read a file, list a directory, read a link (each synchronous, as the
// kernel answers /proc and /sys from memory) and run a program. The local transport answers this way; a
// transport that can only make single calls (a test's replay of a captured host, one that enters a network
// namespace per call) gets batches from the same code.
import { expandGlob } from './glob.js';
import type { LinkFilter, RawAnswer, RawFailure, RawMaterial, RawRequest, RunAnswer } from './types.js';
import { requestKey } from './types.js';

export interface Calls {
  /** Each call throws (or the run rejects) with an Error whose `code` is the errno (ENOENT, EACCES, ETIMEDOUT ...). */
  readFile(path: string): string;
  readDir(path: string): string[];
  readLink(path: string): string;
  run(argv: readonly string[], timeoutMs: number): Promise<RunAnswer>;
}

function failureOf(err: unknown): RawFailure {
  const e = err as { code?: unknown; message?: unknown };
  return { error: typeof e?.code === 'string' ? e.code : 'EIO', message: typeof e?.message === 'string' ? e.message : String(err) };
}

function attempt<T>(call: () => T): T | RawFailure {
  try {
    return call();
  } catch (err) {
    return failureOf(err);
  }
}

type Listing = string[] | RawFailure;

/** What the requests of one batch share: directory listings and link targets, each read once. */
class Shared {
  private readonly listed = new Map<string, Listing>();
  private readonly linked = new Map<string, string | RawFailure>();
  private readonly kept = new Map<string, boolean>();

  constructor(private readonly calls: Calls) {}

  // Globs of one batch share their listings: /proc is listed once for all the per-process globs, which so also
  // see the same processes.
  list = (dir: string): Listing => {
    let names = this.listed.get(dir);
    if (!names) this.listed.set(dir, (names = attempt(() => this.calls.readDir(dir))));
    return names;
  };

  link = (path: string): string | RawFailure => {
    let target = this.linked.get(path);
    if (target === undefined) this.linked.set(path, (target = attempt(() => this.calls.readLink(path))));
    return target;
  };

  /** Whether a link under `dir` matching `where.links` points at a target starting with `where.startsWith`. */
  passes(dir: string, where: LinkFilter): boolean {
    const key = `${dir}\0${where.links}\0${where.startsWith}`;
    let kept = this.kept.get(key);
    if (kept === undefined) {
      kept = false;
      for (const p of expandGlob(`${dir}/${where.links}`, this.list).paths) {
        const target = this.link(p);
        // Refused for permission: so would the rest of the directory be.
        if (typeof target !== 'string' && (target.error === 'EACCES' || target.error === 'EPERM')) break;
        if (typeof target === 'string' && target.startsWith(where.startsWith)) {
          kept = true;
          break;
        }
      }
      this.kept.set(key, kept);
    }
    return kept;
  }
}

/** The directory of a match that its pattern's first wildcard component matched (`/proc/42` of `/proc/42/limits`). */
function anchorOf(path: string, depth: number): string {
  let at = -1;
  for (let i = 0; i < depth; i++) at = path.indexOf('/', at + 1);
  return at < 0 ? path : path.slice(0, at);
}

function answer(calls: Calls, r: Exclude<RawRequest, { op: 'run' }>, shared: Shared): RawAnswer {
  switch (r.op) {
    case 'read': {
      const v = attempt(() => calls.readFile(r.path));
      return typeof v === 'string' ? { text: v } : v;
    }
    case 'list': {
      const v = shared.list(r.path);
      return Array.isArray(v) ? { names: v } : v;
    }
    case 'link': {
      const v = shared.link(r.path);
      return typeof v === 'string' ? { target: v } : v;
    }
    case 'glob': {
      const { paths, unlisted } = expandGlob(r.pattern, shared.list);
      const anchorDepth = r.pattern.split('/').findIndex((p) => /[*?[]/.test(p)) + 1;
      const found: Record<string, string | RawFailure> = {};
      for (const p of paths) {
        const dir = p.slice(0, p.lastIndexOf('/'));
        if (unlisted[dir] !== undefined) continue;
        if (r.where && !shared.passes(anchorOf(p, anchorDepth), r.where)) continue;
        const v = r.take === 'read' ? attempt(() => calls.readFile(p)) : shared.link(p);
        // Permission is the directory's (another process's fds, without the right to trace it): the rest of it
        // would be refused the same way, so the directory is reported once, as refused.
        if (typeof v !== 'string' && (v.error === 'EACCES' || v.error === 'EPERM')) unlisted[dir] = v.error;
        else found[p] = v;
      }
      return { found, unlisted };
    }
  }
}

/** Every request answered: the programs start first and run side by side while the reads are answered. */
export async function gatherWith(calls: Calls, batch: readonly RawRequest[], onAnswer?: (key: string, answer: RawAnswer) => void): Promise<RawMaterial> {
  const material: RawMaterial = {};
  const settle = (key: string, a: RawAnswer): void => {
    material[key] = a;
    onAnswer?.(key, a);
  };
  const runs = batch.flatMap((r) => {
    if (r.op !== 'run') return [];
    const key = requestKey(r);
    return [
      calls.run(r.argv, r.timeoutMs).then(
        (a) => settle(key, a),
        (err: unknown) => settle(key, failureOf(err)),
      ),
    ];
  });
  const shared = new Shared(calls);
  for (const r of batch) if (r.op !== 'run') settle(requestKey(r), answer(calls, r, shared));
  await Promise.all(runs);
  return material;
}

// A batch answered with four plain calls (read a file, list a directory, read a link, run a program). The local
// transport answers this way natively; a transport that can only make single calls (a test's replay of a
// captured host, one that enters a network namespace per call) gets batches from the same code.
import { expandGlob } from './glob.js';
import type { RawAnswer, RawFailure, RawMaterial, RawRequest, RunAnswer } from './types.js';
import { requestKey } from './types.js';

type Maybe<T> = T | Promise<T>;

export interface Calls {
  /** Each call throws (or rejects) with an Error whose `code` is the errno (ENOENT, EACCES, ETIMEDOUT ...). */
  readFile(path: string): Maybe<string>;
  readDir(path: string): Maybe<string[]>;
  readLink(path: string): Maybe<string>;
  run(argv: readonly string[], timeoutMs: number): Maybe<RunAnswer>;
}

function failureOf(err: unknown): RawFailure {
  const e = err as { code?: unknown; message?: unknown };
  return { error: typeof e?.code === 'string' ? e.code : 'EIO', message: typeof e?.message === 'string' ? e.message : String(err) };
}

async function attempt<T>(call: () => Maybe<T>): Promise<T | RawFailure> {
  try {
    return await call();
  } catch (err) {
    return failureOf(err);
  }
}

type Listing = string[] | RawFailure;

async function answer(calls: Calls, r: RawRequest, listed: Map<string, Promise<Listing>>): Promise<RawAnswer> {
  switch (r.op) {
    case 'read': {
      const v = await attempt(() => calls.readFile(r.path));
      return typeof v === 'string' ? { text: v } : v;
    }
    case 'list': {
      const v = await attempt(() => calls.readDir(r.path));
      return Array.isArray(v) ? { names: v } : v;
    }
    case 'link': {
      const v = await attempt(() => calls.readLink(r.path));
      return typeof v === 'string' ? { target: v } : v;
    }
    case 'glob': {
      // Globs of one batch share their listings: /proc is listed once for all the per-process globs, which so
      // also see the same processes.
      const list = (dir: string): Promise<Listing> => {
        let names = listed.get(dir);
        if (!names) listed.set(dir, (names = attempt(() => calls.readDir(dir))));
        return names;
      };
      const { paths, unlisted } = await expandGlob(r.pattern, list);
      const take = r.take === 'read' ? calls.readFile.bind(calls) : calls.readLink.bind(calls);
      const found: Record<string, string | RawFailure> = {};
      for (const p of paths) found[p] = await attempt(() => take(p));
      return { found, unlisted };
    }
    case 'run':
      return attempt(() => calls.run(r.argv, r.timeoutMs));
  }
}

/** Every request answered; programs run side by side, and the reads fill the time they take. */
export async function gatherWith(calls: Calls, batch: readonly RawRequest[]): Promise<RawMaterial> {
  // Programs first, so they work while the reads run.
  const ordered = [...batch.filter((r) => r.op === 'run'), ...batch.filter((r) => r.op !== 'run')];
  const listed = new Map<string, Promise<Listing>>();
  const answers = await Promise.all(ordered.map((r) => answer(calls, r, listed)));
  const material: RawMaterial = {};
  ordered.forEach((r, i) => (material[requestKey(r)] = answers[i]!));
  return material;
}

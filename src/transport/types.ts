// A transport is how the auditor reaches a host: it takes a batch of raw requests (files, directory listings,
// globs, symlinks, programs as argument arrays) and answers them all at once, and it opens connections to the
// host's own listeners. Locally both are native calls; over SSH (one fixed remote program, one channel per batch)
// the same contract means one round trip per batch however many files a policy needs.
import type { Duplex } from 'node:stream';

/** One thing to fetch from the host. Paths are absolute. */
export type RawRequest =
  /** A text file's contents. */
  | { op: 'read'; path: string }
  /** A directory's entry names. */
  | { op: 'list'; path: string }
  /** A symbolic link's target (e.g. /proc/PID/fd/N -> socket:[INODE]). */
  | { op: 'link'; path: string }
  /**
   * Every path matching `pattern`, read as text or as a link. Each component of the pattern is a name or a shell
   * glob of `*`, `?` and `[...]` (no `**`, no braces; names starting with `.` never match a wildcard), so a small
   * fixed program on any host expands it the same way. A match refused for permission stands for its whole
   * directory (see `GlobAnswer.unlisted`).
   */
  | { op: 'glob'; pattern: string; take: 'read' | 'link'; where?: LinkFilter }
  /** Run a program (never through a shell). The answer has its exit code even when that is not zero. */
  | { op: 'run'; argv: readonly string[]; timeoutMs: number };

/**
 * Keeps a glob's match only when, under the directory its pattern's first wildcard matched (`/proc/PID` for
 * `/proc/[0-9]*\/limits`), some link matching `links` points at a target starting with `startsWith`: "the
 * processes that hold a socket" is `{ links: 'fd/*', startsWith: 'socket:' }`.
 */
export interface LinkFilter {
  links: string;
  startsWith: string;
}

/** Why a request has no answer: the errno code the host gave (ENOENT, EACCES, EINVAL, ETIMEDOUT ...) and its words. */
export interface RawFailure {
  error: string;
  message: string;
}

export interface GlobAnswer {
  /** Each path that matched, with its text or link target, or why it could not be read. */
  found: Record<string, string | RawFailure>;
  /**
   * Directories on the way that could not be listed (except those that vanished), and directories whose entries
   * were refused (EACCES, EPERM: the rest of the directory is not asked), with the errno code.
   */
  unlisted: Record<string, string>;
}

export interface RunAnswer {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type RawAnswer = { text: string } | { names: string[] } | { target: string } | GlobAnswer | RunAnswer | RawFailure;

/** The answers to one or more batches, by request key (`requestKey`). */
export type RawMaterial = Record<string, RawAnswer>;

export interface Transport {
  readonly name: string;
  /**
   * Answer every request of the batch; one request's failure is its answer, never the batch's. `onAnswer` hears
   * each answer as it arrives (file reads long before a slow program's output), so a caller can use the answers
   * that are in while the rest are still coming.
   */
  gather(batch: readonly RawRequest[], onAnswer?: (key: string, answer: RawAnswer) => void): Promise<RawMaterial>;
  /** A stream to a listener of the host itself, as a client on that host would connect (locally a socket). */
  connect(host: string, port: number, timeoutMs: number): Promise<Duplex>;
}

/** The stable key of a request: batches are deduplicated on it and answers stored under it. */
export function requestKey(r: RawRequest): string {
  switch (r.op) {
    case 'read':
    case 'list':
    case 'link':
      return `${r.op} ${r.path}`;
    case 'glob':
      return `glob-${r.take} ${r.pattern}${r.where ? ` where ${r.where.links} -> ${r.where.startsWith}*` : ''}`;
    case 'run':
      return `run ${JSON.stringify(r.argv)}`;
  }
}

/** One request per key; a program asked for twice keeps the longer timeout. */
export function dedupe(requests: Iterable<RawRequest>): RawRequest[] {
  const byKey = new Map<string, RawRequest>();
  for (const r of requests) {
    const key = requestKey(r);
    const seen = byKey.get(key);
    if (seen?.op === 'run' && r.op === 'run') byKey.set(key, { ...r, timeoutMs: Math.max(seen.timeoutMs, r.timeoutMs) });
    else if (!seen) byKey.set(key, r);
  }
  return [...byKey.values()];
}

export const isFailure = (a: RawAnswer | string | readonly string[] | undefined): a is RawFailure => typeof a === 'object' && a !== null && 'error' in a;

/** How many raw items a set of answers holds: each glob match counts on its own. */
export function itemCount(material: RawMaterial): number {
  let n = 0;
  for (const a of Object.values(material)) n += 'found' in a ? Object.keys(a.found).length + Object.keys(a.unlisted).length : 1;
  return n;
}

// A Transport that replays a capture: file texts, directory listings, symlink targets and command outputs taken
// from a real host, so collectors can be tested offline. Anything not captured behaves as absent (ENOENT), and
// any captured entry may instead hold the errno the host answered with, e.g. { error: 'EACCES' }.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawRequest, RunAnswer, Transport } from '../../src/transport/types.js';
import type { Calls } from '../../src/transport/calls.js';
import { gatherWith } from '../../src/transport/calls.js';

/** An errno code (ENOENT, EACCES, EINVAL, EISDIR, ETIMEDOUT, ...) the host answers with instead of content. */
export interface Failure {
  error: string;
}

export interface Capture {
  /** path -> text (read). */
  files?: Record<string, string | Failure>;
  /** path (no trailing '/') -> entry names (list, and globs). Consulted before `deriveDirs`. */
  dirs?: Record<string, string[] | Failure>;
  /** path -> target (link). */
  links?: Record<string, string | Failure>;
  /** "file arg arg" -> result (run). A command not listed is not installed (ENOENT). */
  commands?: Record<string, RunAnswer | Failure>;
  /** List a directory not in `dirs` from the names of the captured files and links beneath it. */
  deriveDirs?: boolean;
}

export interface ReplayTransport extends Transport {
  /** Every path read as a file (by itself or matched by a glob), in order. */
  readonly reads: string[];
  /** Every command line run ("file arg arg"), in order, including ones that failed. */
  readonly execCalls: string[];
  /** Every batch gathered. */
  readonly batches: (readonly RawRequest[])[];
}

const isFailure = (v: unknown): v is Failure => typeof v === 'object' && v !== null && !Array.isArray(v) && 'error' in v;

const fail = (what: string, code: string): never => {
  throw Object.assign(new Error(`${what}: ${code}`), { code });
};

export function replayTransport(capture: Capture = {}): ReplayTransport {
  const { files = {}, dirs = {}, links = {}, commands = {}, deriveDirs = false } = capture;
  const reads: string[] = [];
  const execCalls: string[] = [];
  const batches: (readonly RawRequest[])[] = [];

  const lookup = <T>(map: Record<string, T | Failure>, p: string): T => {
    const v = Object.hasOwn(map, p) ? map[p] : undefined;
    if (v === undefined) return fail(p, 'ENOENT');
    if (isFailure(v)) return fail(p, v.error);
    return v;
  };

  const derive = (p: string): string[] => {
    const prefix = p.endsWith('/') ? p : `${p}/`;
    const names = new Set<string>();
    for (const k of [...Object.keys(files), ...Object.keys(links)]) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0] as string);
    return names.size ? [...names] : fail(p, 'ENOENT');
  };

  const calls: Calls = {
    readFile: (p) => {
      reads.push(p);
      return lookup(files, p);
    },
    readDir: (p) => (Object.hasOwn(dirs, p) || !deriveDirs ? [...lookup(dirs, p)] : derive(p)),
    readLink: (p) => lookup(links, p),
    run: async (argv) => {
      const line = argv.join(' ');
      execCalls.push(line);
      const r = Object.hasOwn(commands, line) ? commands[line] : undefined;
      if (r === undefined) return fail(`${argv[0]}: command not found`, 'ENOENT');
      if (isFailure(r)) return fail(line, r.error);
      return r;
    },
  };

  return {
    name: 'replay',
    reads,
    execCalls,
    batches,
    gather: (batch, onAnswer) => {
      batches.push(batch);
      return gatherWith(calls, batch, onAnswer);
    },
    connect: (host, port) => Promise.reject(Object.assign(new Error(`connect ${host}:${port}: a replay has no listeners`), { code: 'ECONNREFUSED' })),
  };
}

/** A successful command's captured output. */
export const ok = (stdout: string): RunAnswer => ({ stdout, stderr: '', exitCode: 0 });

/** A capture as stored in fixtures/proc/*.json: path -> text or errno; keys ending in '/' are directories. */
export type FlatCapture = Record<string, string | string[] | Failure>;

/** Splits a FlatCapture into files and dirs (directory keys lose their trailing '/'). */
export function splitCapture(flat: FlatCapture): { files: Record<string, string | Failure>; dirs: Record<string, string[] | Failure> } {
  const files: Record<string, string | Failure> = {};
  const dirs: Record<string, string[] | Failure> = {};
  for (const [k, v] of Object.entries(flat)) {
    if (k.endsWith('/')) {
      if (typeof v !== 'string') dirs[k.slice(0, -1)] = v;
    } else if (!Array.isArray(v)) {
      files[k] = v;
    }
  }
  return { files, dirs };
}

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** Reads fixtures/<dir>/<name> as text. */
export const fixtureReader =
  (dir: string) =>
  (name: string): string =>
    readFileSync(join(FIXTURES, dir, name), 'utf8');

/**
 * The snapshot taken while fixtures/proc/servers.py ran: its /proc tree, the readlink targets from links.txt and
 * the `ss -Hlntue -f inet6` output. Directories are listed from the captured paths. Returns a fresh, mutable copy.
 */
export function serversSnapshot(): Capture & Required<Pick<Capture, 'files' | 'links' | 'commands'>> {
  const root = join(FIXTURES, 'proc', 'snapshot-servers');
  const files: Record<string, string | Failure> = {};
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else files[p.slice(root.length)] = readFileSync(p, 'utf8');
    }
  };
  walk(join(root, 'proc'));
  const links: Record<string, string | Failure> = {};
  for (const line of readFileSync(join(root, 'links.txt'), 'utf8').split('\n')) {
    const [from, to] = line.split(' -> ');
    if (from && to) links[from] = to;
  }
  const ss = readFileSync(join(root, 'ss-Hlntue-f-inet6.txt'), 'utf8');
  return { files, links, commands: { 'ss -Hlntue -f inet6': ok(ss) }, deriveDirs: true };
}

// A Transport that replays a capture: file texts, directory listings, symlink targets and command outputs taken
// from a real host, so collectors can be tested offline. Anything not captured behaves as absent (ENOENT), and
// any captured entry may instead hold the errno the host answered with, e.g. { error: 'EACCES' }.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecResult, Transport } from '../../src/transport/types.js';
import { TransportError } from '../../src/transport/types.js';

/** An errno code (ENOENT, EACCES, EINVAL, EISDIR, ETIMEDOUT, ...) the replay rejects with, as a TransportError. */
export interface Failure {
  error: string;
}

export interface Capture {
  /** path -> text (readFile). */
  files?: Record<string, string | Failure>;
  /** path (no trailing '/') -> entry names (readDir). Consulted before `deriveDirs`. */
  dirs?: Record<string, string[] | Failure>;
  /** path -> target (readLink). */
  links?: Record<string, string | Failure>;
  /** "file arg arg" -> result (exec). A command not listed is not installed (ENOENT). */
  commands?: Record<string, ExecResult | Failure>;
  /** List a directory not in `dirs` from the names of the captured files and links beneath it. */
  deriveDirs?: boolean;
}

export interface ReplayTransport extends Transport {
  /** Every path passed to readFile, in order. */
  readonly reads: string[];
  /** Every command line passed to exec ("file arg arg"), in order, including ones that failed. */
  readonly execCalls: string[];
}

const isFailure = (v: unknown): v is Failure => typeof v === 'object' && v !== null && !Array.isArray(v) && 'error' in v;

const fail = (what: string, code: string): never => {
  throw new TransportError(`${what}: ${code}`, code);
};

export function replayTransport(capture: Capture = {}): ReplayTransport {
  const { files = {}, dirs = {}, links = {}, commands = {}, deriveDirs = false } = capture;
  const reads: string[] = [];
  const execCalls: string[] = [];

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

  return {
    name: 'replay',
    reads,
    execCalls,
    readFile: async (p) => {
      reads.push(p);
      return lookup(files, p);
    },
    readDir: async (p) => (Object.hasOwn(dirs, p) || !deriveDirs ? [...lookup(dirs, p)] : derive(p)),
    readLink: async (p) => lookup(links, p),
    exec: async (file, args) => {
      const line = [file, ...args].join(' ');
      execCalls.push(line);
      const r = Object.hasOwn(commands, line) ? commands[line] : undefined;
      if (r === undefined) throw new TransportError(`${file}: command not found`, 'ENOENT');
      if (isFailure(r)) return fail(line, r.error);
      return r;
    },
  };
}

/** A successful command's captured output. */
export const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0 });

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

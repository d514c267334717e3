// Running plumbline (or any program) as a user would, to completion: a non-zero exit is a result, not a failure.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = resolve(ROOT, 'bin/plumbline.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Switches that change output; each run starts from none of them and sets what it tests. */
const CONTROLLED_ENV = ['NO_COLOR', 'FORCE_COLOR', 'CI', 'PLUMBLINE_DEBUG', 'PLUMBLINE_TRACE', 'GITHUB_ACTIONS'];

export function run(file: string, args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of CONTROLLED_ENV) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete env[k];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd ?? ROOT, env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') return fail(err);
        done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

/** `plumbline ARGS` through the installed launcher, as `npx plumbline` runs it. */
export function plumbline(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return run(process.execPath, [CLI, ...args], opts);
}

export function expectNoStackTrace(text: string): void {
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(text) || /^\w*Error: /m.test(text)) throw new Error(`a stack trace or raw error in the output:\n${text}`);
}

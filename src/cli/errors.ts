// The one place that maps failures to exit codes. Nothing else calls process.exit.
import { InventoryError } from '../inventory/model.js';
import { PolicyError, VarError } from '../policy/model.js';

export const EXIT = { ready: 0, notReady: 1, usage: 2, cannotRun: 3 } as const;

/** Bad arguments or a bad input file the user gave: exit 2 with the message as is. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command's run failed (exit 3): `doing` names what could not run, in the command's own words. */
export class CannotRunError extends Error {
  constructor(
    readonly doing: string,
    readonly failure: unknown,
  ) {
    super((failure as Error)?.message ?? String(failure));
    this.name = 'CannotRunError';
  }
}

export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof PolicyError) return { code: EXIT.usage, message: err.message };
  if (err instanceof InventoryError) return { code: EXIT.usage, message: `plumbline: ${err.message}` };
  if (err instanceof UsageError || err instanceof VarError) return { code: EXIT.usage, message: `plumbline: ${err.message}` };
  const e = err as NodeJS.ErrnoException;
  if (
    e &&
    (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
  ) {
    return { code: EXIT.usage, message: `plumbline: ${e.message.split('\n')[0]}\nRun "plumbline --help" for usage.` };
  }
  const doing = err instanceof CannotRunError ? err.doing : 'the audit';
  const cause = err instanceof CannotRunError ? (err.failure as Error) : e;
  const detail = process.env.PLUMBLINE_DEBUG ? `\n${cause?.stack ?? ''}` : '';
  return { code: EXIT.cannotRun, message: `plumbline: ${doing} could not run: ${cause?.message ?? String(cause)}${detail}` };
}

// Exit 3 says what could not run, in the command's words: a diagnosis is no audit.
import { describe, expect, it } from 'vitest';
import { run as diagnose } from '../../../src/cli/commands/diagnose.js';
import { EXIT, exitCodeFor } from '../../../src/cli/errors.js';

const failure = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => expect.unreachable('it ran'),
    (err: unknown) => err,
  );

describe('exit 3', () => {
  it('a diagnosis whose audited host cannot be reached over SSH: "the diagnosis could not run"', async () => {
    // Nothing listens on loopback port 1: ssh is refused at once.
    const err = await failure(diagnose(['127.0.0.1', '--target', 'ssh://127.0.0.1:1', '--timeout', '2s']));
    const { code, message } = exitCodeFor(err);
    expect(code).toBe(EXIT.cannotRun);
    expect(message).toMatch(/^plumbline: the diagnosis could not run: ssh:\/\/127\.0\.0\.1:1: /);
    expect(message).not.toContain('audit');
  }, 30_000);

  it("other commands' failures keep their words", () => {
    expect(exitCodeFor(new Error('boom'))).toEqual({ code: EXIT.cannotRun, message: 'plumbline: the audit could not run: boom' });
  });

  it('a refused target stays a usage error (exit 2), not a diagnosis that could not run', async () => {
    const { code, message } = exitCodeFor(await failure(diagnose(['169.254.169.254:80', '--target', 'ssh://127.0.0.1:1'])));
    expect(code).toBe(EXIT.usage);
    expect(message).toContain('169.254.169.254 is in 169.254.0.0/16');
  });
});

// Thin CLI: find the command, load it on demand, map whatever it throws to an exit code.
import { didYouMean } from '../lib/did-you-mean.js';
import { EXIT, UsageError, exitCodeFor } from './errors.js';
import { version } from './paths.js';
import { writeErr, writeOut } from './stdio.js';

export const HELP = `plumbline — production-readiness auditor for networked Linux hosts

Usage:
  plumbline audit [-p FILE]... [--var NAME=VALUE]... [--vars FILE]... [--format FORMAT[=FILE]]... [--fail-under N]
                  [--facts FILE] [--deadline DURATION] [--concurrency N] [--allow-target CIDR]... [--no-progress]
  plumbline audit --target ssh://[USER@]HOST[:PORT]... | --inventory FILE [--limit PATTERN] [fleet options]
  plumbline report REPORT.json [--format FORMAT[=FILE]]...
  plumbline diff OLD.json NEW.json [--format pretty|markdown|json]
  plumbline validate [--waivers FILE] [--inventory FILE | --target ssh://HOST]... FILE...
  plumbline facts [-p FILE]... [--var NAME=VALUE]... [-o FILE] [--deadline DURATION] [--concurrency N]
                  [--allow-target CIDR]...
  plumbline init [--from-host [--target ssh://HOST]] [-o FILE] [--force]
  plumbline diagnose TARGET [--target ssh://HOST] [--format pretty|json|markdown]   (TARGET: host, host:port or URL)
  plumbline --version
  plumbline help COMMAND   (or plumbline COMMAND --help): the command's every option

With no -p, audit and facts use the built-in baseline (policies/baseline.yaml).
Formats: pretty, json, junit, sarif, markdown, html, prometheus.
Exit codes: 0 ready · 1 not ready (diff: a regression; diagnose: the target does not answer) · 2 usage, policy or input error · 3 the audit could not run.
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  audit: async () => (await import('./commands/audit.js')).run,
  validate: async () => (await import('./commands/validate.js')).run,
  facts: async () => (await import('./commands/facts.js')).run,
  report: async () => (await import('./commands/report.js')).run,
  diff: async () => (await import('./commands/diff.js')).run,
  init: async () => (await import('./commands/init.js')).run,
  diagnose: async () => (await import('./commands/diagnose.js')).run,
};

function unknownCommand(name: string): string {
  const meant = didYouMean(name, Object.keys(COMMANDS));
  const commands = `commands: ${Object.keys(COMMANDS).join(', ')}. Run "plumbline --help".`;
  return meant ? `unknown command "${name}"; did you mean "${meant}"? The ${commands}` : `unknown command "${name}"; ${commands}`;
}

export async function main(argv: string[]): Promise<number> {
  if (process.env.PLUMBLINE_TRACE) writeErr(`trace ${performance.now().toFixed(1)} ms cli started\n`);
  const [first, ...rest] = argv;
  if (first === 'help' && rest.length > 0) {
    const [command, ...extra] = rest;
    const load = COMMANDS[command!];
    if (!load) throw new UsageError(unknownCommand(command!));
    if (extra.length) throw new UsageError(`help takes one command, got "${rest.join(' ')}"`);
    return (await load())(['--help']);
  }
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    writeOut(HELP);
    return first === undefined ? EXIT.usage : EXIT.ready;
  }
  if (first === '-v' || first === '--version' || first === 'version') {
    writeOut(`plumbline ${version()}\n`);
    return EXIT.ready;
  }
  const load = COMMANDS[first];
  if (!load) throw new UsageError(unknownCommand(first));
  return (await load())(rest);
}

// Everything was written synchronously (stdio.ts), so nothing is left to flush: leave now rather than wait
// for Node's teardown of an event loop that has no work.
function finish(code: number): void {
  process.exit(code);
}

main(process.argv.slice(2)).then(finish, (err: unknown) => {
  const { code, message } = exitCodeFor(err);
  writeErr(`${message}\n`);
  finish(code);
});

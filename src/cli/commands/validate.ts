import { resolvePolicy } from '../../policy/resolve.js';
import { PolicyError } from '../../policy/model.js';
import { EXIT, UsageError } from '../errors.js';
import { builtinDir } from '../paths.js';
import { parseCommandLine, policyFiles } from '../options.js';
import { writeErr, writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline validate FILE...

Check policy files (and everything they extend) without touching the host.
Prints file:line:col: message for every problem; exit 0 when all are valid, 2 otherwise.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one policy file');
  // Each file on its own: one broken file must not hide the problems of the next.
  const problems: string[] = [];
  for (const file of positionals) {
    try {
      const policy = await resolvePolicy(policyFiles([file]), { builtinDir: builtinDir() });
      const implied = policy.checks.filter((c) => c.impliedBy !== undefined).length;
      const own = policy.checks.length - implied;
      const sources = `${policy.sources.length} source${policy.sources.length === 1 ? '' : 's'}`;
      const kinds = [...new Set(policy.checks.filter((c) => c.impliedBy !== undefined).map((c) => c.selector.kind.toUpperCase()))].join(', ');
      const impliedText = implied ? `, and ${implied} implied lower check${implied === 1 ? '' : 's'} (${kinds})` : '';
      writeOut(`${file}: ok (${own} check${own === 1 ? '' : 's'} from ${sources}${impliedText})\n`);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length) {
    writeErr(`${problems.join('\n')}\n`);
    return EXIT.usage;
  }
  return EXIT.ready;
}

import type { FactsSnapshot } from '../../facts/model.js';
import { EXIT } from '../errors.js';
import { collectHost } from '../collect-host.js';
import { COLLECT_OPTIONS, COLLECT_USAGE, POLICY_OPTIONS, parseCollectOptions, loadPolicies, parseCommandLine, policyVars, selected } from '../options.js';
import { writeFileAtomic } from '../outputs.js';
import { writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline facts [-p FILE]... [--var NAME=VALUE]... [--vars FILE]... [-o FILE] [--deadline DURATION] [--concurrency N]
                       [--allow-target CIDR]... [--no-progress]

Collect the facts the policies need from this host and write them as a JSON snapshot
(schemas/facts.schema.json). Judge it later, anywhere, with "plumbline audit --facts FILE".

Options:
  -p, --policy FILE   policy file (repeatable); default: builtin:baseline
      --var NAME=VALUE  set a policy var, over the policies' own (repeatable)
      --only PATTERN    collect only what the checks with this id, tag or area need (globs; repeatable)
      --skip PATTERN    and not what only the checks with this id, tag or area need (repeatable)
      --vars FILE       a YAML map of var names to values (one per environment: staging.yaml); --var wins
                        over it, and it over the policies' own (repeatable, later files win)
  -o, --output FILE   write the snapshot to FILE instead of standard output
${COLLECT_USAGE}  -h, --help          this help

Progress: while live probes run, a line "probing DONE/TOTAL · ENDPOINT" on standard error once the run
has taken a second, erased when collecting ends. Only with -o (a snapshot on standard output is data,
like audit --format json), when standard error is a terminal, CI is not set (or is "0" or "false") and
TERM is not "dumb"; never with --no-progress.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      allowPositionals: false,
      options: { ...POLICY_OPTIONS, ...COLLECT_OPTIONS, output: { type: 'string', short: 'o' } },
    },
    'facts',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  const collectOpts = parseCollectOptions(values);
  const { vars, varOrigin } = policyVars(values);
  const policy = selected(await loadPolicies(values.policy, vars, varOrigin), values);
  // A snapshot on standard output is for a machine: the progress line only beside a file.
  const facts: FactsSnapshot = await collectHost(policy, collectOpts, values.output !== undefined && !values['no-progress']);
  const text = `${JSON.stringify(facts, null, 2)}\n`;
  if (values.output) writeFileAtomic(values.output, text);
  else writeOut(text);
  return EXIT.ready;
}

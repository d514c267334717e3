import { plan } from '../../plan/plan.js';
import { collect } from '../../facts/collect.js';
import { LocalTransport } from '../../transport/local.js';
import { EXIT } from '../errors.js';
import { COLLECT_OPTIONS, COLLECT_USAGE, POLICY_OPTIONS, parseCollectOptions, loadPolicies, parseCommandLine, writeOutput } from '../options.js';
import { writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline facts [-p FILE]... [-o FILE]

Collect the facts the policies need from this host and write them as a JSON snapshot
(schemas/facts.schema.json). Judge it later, anywhere, with "plumbline audit --facts FILE".

Options:
  -p, --policy FILE   policy file (repeatable); default: builtin:baseline
  -o, --output FILE   write the snapshot to FILE instead of standard output
${COLLECT_USAGE}  -h, --help          this help
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args: argv,
    allowPositionals: false,
    options: { ...POLICY_OPTIONS, ...COLLECT_OPTIONS, output: { type: 'string', short: 'o' } },
  });
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  const collectOpts = parseCollectOptions(values);
  const policy = await loadPolicies(values.policy);
  const facts = await collect(plan(policy.checks, policy.defaults.timeout), new LocalTransport(), collectOpts);
  const text = `${JSON.stringify(facts, null, 2)}\n`;
  if (values.output) writeOutput(values.output, text);
  else writeOut(text);
  return EXIT.ready;
}

import { evaluate } from '../../evaluate/evaluate.js';
import { buildReport } from '../../report/build.js';
import type { Report } from '../../report/model.js';
import { FORMATS, loadRenderer } from '../../report/registry.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { EXIT } from '../errors.js';
import { collectHost } from '../collect-host.js';
import { version } from '../paths.js';
import { COLLECT_OPTIONS, COLLECT_USAGE, POLICY_OPTIONS, parseCollectOptions, loadPolicies, parseCommandLine, parseThreshold, targets, useColor, writeOutput } from '../options.js';
import { stdoutIsTerminal, writeErr, writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline audit [-p FILE]... [--var NAME=VALUE]... [--format pretty|json]... [-o FILE]... [--fail-under N]
                      [--facts FILE] [--deadline DURATION] [--concurrency N] [--no-progress]

Audit this host (or a saved facts snapshot) against policies and print the verdict.

Options:
  -p, --policy FILE     policy file (repeatable; later files override earlier ones by check id);
                        builtin:NAME for a built-in policy; default: builtin:baseline
      --var NAME=VALUE  set a policy var, over the policies' own (repeatable), e.g. --var tlsHost=example.com
      --format FORMAT   pretty (default) or json; repeat to write several, paired with -o in order
  -o, --output FILE     write the report in the paired format to FILE; when every format goes to a
                        file, the pretty report still goes to standard output
      --fail-under N    readiness threshold in percent (default: the policy's, else 80)
      --facts FILE      evaluate a snapshot written by "plumbline facts" instead of this host
      --no-color        no colour (also NO_COLOR=1); --color forces it
${COLLECT_USAGE}  -h, --help            this help

Progress: while live probes run, a line "probing DONE/TOTAL · ENDPOINT" on standard error once the run
has taken a second, erased before the report. Only when the pretty report goes to standard output, both
standard output and standard error are terminals, CI is not set (or is "0" or "false") and TERM is not
"dumb"; never with --format json, -o, --facts or --no-progress.

Exit codes: 0 ready · 1 not ready · 2 usage or policy error · 3 the audit could not run.
`;

async function render(format: string, report: Report, color: boolean): Promise<string> {
  return (await loadRenderer(format))(report, { color });
}

/** PLUMBLINE_TRACE=1: milliseconds since process start at each stage, on stderr (for bench/). */
function traceFn(): (stage: string) => void {
  if (!process.env.PLUMBLINE_TRACE) return () => {};
  return (stage) => writeErr(`trace ${performance.now().toFixed(1)} ms ${stage}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine({
    args: argv,
    allowPositionals: false,
    options: {
      ...POLICY_OPTIONS,
      ...COLLECT_OPTIONS,
      format: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o', multiple: true },
      'fail-under': { type: 'string' },
      facts: { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  const trace = traceFn();
  const outs = targets(values.format, values.output, FORMATS, 'pretty');
  const threshold = parseThreshold(values['fail-under']);
  const collectOpts = parseCollectOptions(values);
  const policy = await loadPolicies(values.policy, values.var);
  trace('policy loaded');
  let facts: FactsSnapshot;
  if (values.facts) {
    facts = await (await import('../snapshot.js')).readSnapshot(values.facts);
  } else {
    // A progress line only above a report meant for a person: the pretty one, on the terminal.
    const forTerminal = outs.length === 1 && outs[0]!.format === 'pretty' && outs[0]!.path === undefined && stdoutIsTerminal();
    facts = await collectHost(policy, collectOpts, forTerminal && !values['no-progress']);
  }
  trace('facts ready');
  const now = new Date();
  const results = evaluate(policy, facts, now);
  const report = buildReport(policy, facts, results, { threshold: threshold ?? policy.defaults.failUnder, now, version: version() });
  const color = useColor(values);
  for (const t of outs) {
    if (t.path) writeOutput(t.path, await render(t.format, report, false));
    else writeOut(await render(t.format, report, color));
  }
  // Every format went to a file: still tell the person at the terminal how it went.
  if (outs.every((t) => t.path)) writeOut(await render('pretty', report, color));
  trace('rendered');
  // Nothing could be checked at all (no /proc, every collector refused): that is not a verdict on the host.
  const applicable = report.results.filter((r) => r.status !== 'skip' && r.impliedBy === undefined);
  if (applicable.length > 0 && applicable.every((r) => r.status === 'error')) {
    writeErr(`plumbline: the audit could not run: none of ${applicable.length} checks could be evaluated (first reason: ${applicable[0]!.message})\n`);
    return EXIT.cannotRun;
  }
  return report.ready ? EXIT.ready : EXIT.notReady;
}

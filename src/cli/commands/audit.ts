import { FORMATS } from '../../report/registry.js';
import { EXIT, UsageError } from '../errors.js';
import { auditReport, cannotRunReason, fleetExitCode, writeReports } from '../audit-run.js';
import { FLEET_OPTIONS, FLEET_USAGE, isFleet } from '../fleet-options.js';
import { COLLECT_OPTIONS, COLLECT_USAGE, POLICY_OPTIONS, parseCollectOptions, parseCommandLine, parseThreshold, policyVars, useColor } from '../options.js';
import { FORMAT_LIST, targets } from '../outputs.js';
import { stdoutIsTerminal, writeErr, writeOut } from '../stdio.js';
import { attentionUses, waiverUseLine } from '../../report/waivers.js';
import { fleetWaiverUses } from '../../evaluate/waivers.js';

export const USAGE = `Usage: plumbline audit [-p FILE]... [--var NAME=VALUE]... [--vars FILE]... [--format FORMAT[=FILE]]... [-o FILE]... [--fail-under N] [--only PATTERN]... [--skip PATTERN]... [--strict] [--quiet]
                      [--waivers FILE | --no-waivers] [--facts FILE] [--deadline DURATION] [--concurrency N]
                      [--allow-target CIDR]... [--no-progress]
       plumbline audit (--target ssh://[user@]host[:port]... | --inventory FILE [--limit PATTERN]) [options]

Audit this host (or a saved facts snapshot, or every host of a fleet over SSH) against policies and print
the verdict.

Options:
  -p, --policy FILE     policy file (repeatable; later files override earlier ones by check id);
                        builtin:NAME for a built-in policy; default: builtin:baseline
      --var NAME=VALUE  set a policy var, over the policies' own (repeatable), e.g. --var tlsHost=example.com
      --vars FILE       a YAML map of var names to values (one per environment: staging.yaml); --var wins
                        over it, and it over the policies' own (repeatable, later files win)
      --format FORMAT[=FILE]
                        ${FORMAT_LIST}; repeat for several at once
                        (--format pretty --format sarif=out.sarif --format html=report.html);
                        FORMAT alone goes to standard output (one at most); files are written whole
                        or not at all (a temporary file beside it, then renamed)
  -o, --output FILE     the file of the next --format given without =FILE (--format json -o r.json);
                        with no --format, the extension picks it (.json .sarif .html .xml .md .prom;
                        .txt or none: pretty); when every format goes to a file, the pretty report
                        still goes to standard output
      --fail-under N    readiness threshold in percent (default: the policy's, else 80)
      --only PATTERN    judge only the checks with this id, tag or area (globs: kernel.*; repeatable); what
                        only the others need is not collected
      --skip PATTERN    leave out the checks with this id, tag or area (repeatable; after --only)
      --waivers FILE    accepted exceptions kept apart from the policy (kind: Waivers): each waives the checks
                        it names (id, tag or area, globs) until its date, on the hosts it names; stale,
                        expired and soon-expiring waivers are said on standard error and in the report
      --no-waivers      judge every check as if nothing were waived (the policy's own waivers too)
      --strict          a key absent on this host (a sysctl the kernel lacks) fails instead of being skipped
  -q, --quiet           the terminal report shows only what is wrong and the verdict line (files keep it all)
      --facts FILE      evaluate a snapshot written by "plumbline facts" instead of this host
      --no-color        no colour (also NO_COLOR=1); --color forces it
${COLLECT_USAGE}  -h, --help            this help

${FLEET_USAGE}
A fleet's policies may use each host's own vars: \${host.name}, \${host.address}, \${host.port},
\${host.user}, \${host.groups} and \${host.vars.NAME} for each inventory var. The fleet report holds every
host's report; the exit code is 0 only when every host is ready.

Progress: while live probes run, a line "probing DONE/TOTAL · ENDPOINT" on standard error once the run
has taken a second, erased before the report. Only when the pretty report goes to standard output, both
standard output and standard error are terminals, CI is not set (or is "0" or "false") and TERM is not
"dumb"; never with --format json, -o, --facts or --no-progress.

Exit codes: 0 ready · 1 not ready · 2 usage or policy error · 3 the audit could not run.
`;

/** PLUMBLINE_TRACE=1: milliseconds since process start at each stage, on stderr (for bench/). */
function traceFn(): (stage: string) => void {
  if (!process.env.PLUMBLINE_TRACE) return () => {};
  return (stage) => writeErr(`trace ${performance.now().toFixed(1)} ms ${stage}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      allowPositionals: false,
      options: {
        ...POLICY_OPTIONS,
        ...COLLECT_OPTIONS,
        format: { type: 'string', multiple: true },
        output: { type: 'string', short: 'o', multiple: true },
        'fail-under': { type: 'string' },
        strict: { type: 'boolean' },
        waivers: { type: 'string' },
        'no-waivers': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        facts: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        ...FLEET_OPTIONS,
      },
    },
    'audit',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  const trace = traceFn();
  const outs = targets(values.format, values.output, FORMATS, 'pretty');
  const threshold = parseThreshold(values['fail-under']);
  const { vars, varOrigin } = policyVars(values);
  const collect = parseCollectOptions(values);
  // A progress line only above a report meant for a person: the pretty one, on the terminal.
  const forTerminal = outs.length === 1 && outs[0]!.format === 'pretty' && outs[0]!.path === undefined && stdoutIsTerminal();
  if (values.waivers !== undefined && values['no-waivers']) throw new UsageError('--waivers and --no-waivers say opposite things: give one');
  const waiving = { ...(values.waivers !== undefined ? { waiversFile: values.waivers } : {}), ...(values['no-waivers'] ? { noWaivers: true } : {}) };
  const selection = { ...(values.only ? { only: values.only } : {}), ...(values.skip ? { skip: values.skip } : {}) };
  if (isFleet(values)) {
    if (values.facts !== undefined) throw new UsageError('--facts judges one saved snapshot; it does not go with --target or --inventory');
    const { fleetReport } = await import('../fleet-audit.js');
    const fleet = await fleetReport({
      values,
      ...(values.policy ? { policies: values.policy } : {}),
      ...(vars ? { vars } : {}),
      ...(varOrigin ? { varOrigin } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      collect,
      outputs: outs,
      progress: forTerminal && !values['no-progress'],
      ...(values.strict ? { strict: true } : {}),
      ...(values.only || values.skip ? { selection } : {}),
      ...waiving,
    });
    for (const u of attentionUses(fleetWaiverUses(fleet.hosts.map((h) => h.report?.waivers)))) writeErr(`plumbline: ${waiverUseLine(u)}\n`);
    await writeReports(fleet, outs.every((t) => t.path !== undefined) ? [...outs, { format: 'pretty' }] : outs, useColor(values));
    const exit = fleetExitCode(fleet);
    if (exit.message) writeErr(`plumbline: ${exit.message}\n`);
    return exit.code;
  }
  const report = await auditReport({
    ...(values.policy ? { policies: values.policy } : {}),
    ...(values.strict ? { strict: true } : {}),
    ...(values.only || values.skip ? { selection } : {}),
    ...waiving,
    ...(vars ? { vars } : {}),
    ...(varOrigin ? { varOrigin } : {}),
    ...(values.facts !== undefined ? { factsFile: values.facts } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    collect,
    progress: forTerminal && !values['no-progress'],
    outputs: outs,
    trace,
  });
  // A typo in a sysctl key reads as a key this kernel lacks, skipped: said where the person running it looks.
  for (const r of report.results) {
    if (r.reason?.code === 'key-absent' && r.reason.nearest !== undefined)
      writeErr(`plumbline: ${r.source.file}:${r.source.line}:${r.source.column}: ${r.id}: ${r.message}\n`);
  }
  for (const u of attentionUses(report.waivers)) writeErr(`plumbline: ${waiverUseLine(u)}\n`);
  const color = useColor(values);
  // Every format went to a file: still tell the person at the terminal how it went.
  await writeReports(report, outs.every((t) => t.path !== undefined) ? [...outs, { format: 'pretty' }] : outs, color, values.quiet === true);
  trace('rendered');
  const cannotRun = cannotRunReason(report);
  if (cannotRun) {
    writeErr(`plumbline: the audit could not run: ${cannotRun}\n`);
    return EXIT.cannotRun;
  }
  return report.ready ? EXIT.ready : EXIT.notReady;
}

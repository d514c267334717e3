import { FORMATS } from '../../report/registry.js';
import { EXIT, UsageError } from '../errors.js';
import { writeReports } from '../audit-run.js';
import { parseCommandLine, useColor } from '../options.js';
import { FORMAT_LIST, RENDER_OPTIONS, refuseOverwritingInputs, targets } from '../outputs.js';
import { readSaved } from '../saved-report.js';
import { writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline report REPORT.json [--format FORMAT[=FILE]]... [-o FILE]...

Render a saved JSON report (plumbline audit --format json=FILE), a host's or a fleet's, again, in any format,
without auditing.

Options:
      --format FORMAT[=FILE]
                        ${FORMAT_LIST}; repeat for several at once; FORMAT alone goes
                        to standard output (one at most); files are written whole or not at all
  -o, --output FILE     the file of the next --format given without =FILE; with no --format, the
                        extension picks it (.json .sarif .html .xml .md .prom; .txt or none: pretty)
      --no-color        no colour (also NO_COLOR=1); --color forces it
  -h, --help            this help

Exit codes: 0 the report says ready (a fleet's: every host ready) · 1 it says not ready · 2 usage error, or REPORT.json is not a report
plumbline can read (not JSON, truncated, another document, a newer schema).
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: RENDER_OPTIONS,
    },
    'report',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (positionals.length !== 1) throw new UsageError(`report takes one saved report (REPORT.json), got ${positionals.length}; see "plumbline report --help"`);
  const outs = targets(values.format, values.output, FORMATS, 'pretty');
  refuseOverwritingInputs(outs, [{ path: positionals[0]!, what: 'the saved report' }]);
  const saved = await readSaved(positionals[0]!);
  const report = saved.kind === 'fleet' ? saved.fleet : saved.report;
  await writeReports(report, outs, useColor(values));
  return report.ready ? EXIT.ready : EXIT.notReady;
}

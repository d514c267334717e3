import { diffReports } from '../../report/diff.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffPretty } from '../../report/diff-render.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandLine, useColor } from '../options.js';
import { RENDER_OPTIONS, refuseOverwritingInputs, targets, writeFileAtomic } from '../outputs.js';
import { readSaved, type SavedReport } from '../saved-report.js';
import { writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline diff OLD.json NEW.json [--format pretty|markdown|json[=FILE]]... [-o FILE]...

Compare two saved JSON reports by check id: newly failing, newly passing, new and removed checks, other
status changes, and the score and verdict before and after. Two fleet reports are compared host by host
(by name): hosts added and removed, hosts that became ready or not ready, faults that appeared or cleared,
and each host's checks as above.

Options:
      --format FORMAT[=FILE]  pretty (default), markdown or json; repeat for several; FORMAT alone goes to
                              standard output (one at most); files are written whole or not at all
  -o, --output FILE           the file of the next --format given without =FILE
      --no-color              no colour (also NO_COLOR=1); --color forces it
  -h, --help                  this help

Exit codes: 0 no regression · 1 a regression (a check newly fails or could not be checked, a new check
fails, or the verdict went from ready to not ready; in a fleet, also a host that can no longer be audited,
a fault that appeared, or a new host that is not ready) · 2 usage error, a file is not a report plumbline
can read, or a fleet report is compared with a host's.
`;

const DIFF_FORMATS = ['pretty', 'markdown', 'json'] as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: RENDER_OPTIONS,
    },
    'diff',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (positionals.length !== 2)
    throw new UsageError(`diff takes two saved reports (OLD.json NEW.json), got ${positionals.length}; see "plumbline diff --help"`);
  const outs = targets(values.format, values.output, DIFF_FORMATS, 'pretty');
  refuseOverwritingInputs(outs, [
    { path: positionals[0]!, what: 'the older report' },
    { path: positionals[1]!, what: 'the newer report' },
  ]);
  const [older, newer] = [await readSaved(positionals[0]!), await readSaved(positionals[1]!)];
  const d = await diffText(older, newer, positionals as [string, string]);
  const color = useColor(values);
  for (const t of outs) {
    const text = d.render(t.format, t.path === undefined && color);
    if (t.path !== undefined) writeFileAtomic(t.path, text);
    else writeOut(text);
  }
  return d.regression ? EXIT.notReady : EXIT.ready;
}

const KIND = { host: "a host's report", fleet: 'a fleet report' } as const;

/** The diff of two saved reports of one kind, and its rendering per format. */
async function diffText(
  older: SavedReport,
  newer: SavedReport,
  [a, b]: [string, string],
): Promise<{ regression: boolean; render: (format: string, color: boolean) => string }> {
  if (older.kind === 'host' && newer.kind === 'host') {
    const d = diffReports(older.report, newer.report);
    return {
      regression: d.regression,
      render: (f, color) => (f === 'json' ? renderDiffJson(d) : f === 'markdown' ? renderDiffMarkdown(d) : renderDiffPretty(d, { color })),
    };
  }
  if (older.kind === 'fleet' && newer.kind === 'fleet') {
    const { diffFleets } = await import('../../report/fleet/diff.js');
    const r = await import('../../report/fleet/diff-render.js');
    const d = diffFleets(older.fleet, newer.fleet);
    return {
      regression: d.regression,
      render: (f, color) => (f === 'json' ? r.renderFleetDiffJson(d) : f === 'markdown' ? r.renderFleetDiffMarkdown(d) : r.renderFleetDiffPretty(d, { color })),
    };
  }
  throw new UsageError(`${a} is ${KIND[older.kind]} and ${b} is ${KIND[newer.kind]}: diff compares two of one kind (two host reports, or two fleet reports)`);
}

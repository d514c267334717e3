import { diffReports } from '../../report/diff.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffPretty } from '../../report/diff-render.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandLine, useColor } from '../options.js';
import { RENDER_OPTIONS, refuseOverwritingInputs, targets, writeFileAtomic } from '../outputs.js';
import { readReport } from '../saved-report.js';
import { writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline diff OLD.json NEW.json [--format pretty|markdown|json[=FILE]]... [-o FILE]...

Compare two saved JSON reports by check id: newly failing, newly passing, new and removed checks, other
status changes, and the score and verdict before and after.

Options:
      --format FORMAT[=FILE]  pretty (default), markdown or json; repeat for several; FORMAT alone goes to
                              standard output (one at most); files are written whole or not at all
  -o, --output FILE           the file of the next --format given without =FILE
      --no-color              no colour (also NO_COLOR=1); --color forces it
  -h, --help                  this help

Exit codes: 0 no regression · 1 a regression (a check newly fails or could not be checked, a new check
fails, or the verdict went from ready to not ready) · 2 usage error, or a file is not a report plumbline
can read.
`;

const DIFF_FORMATS = ['pretty', 'markdown', 'json'] as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: RENDER_OPTIONS,
  });
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
  const [older, newer] = [await readReport(positionals[0]!), await readReport(positionals[1]!)];
  const d = diffReports(older, newer);
  const color = useColor(values);
  for (const t of outs) {
    const text =
      t.format === 'json' ? renderDiffJson(d) : t.format === 'markdown' ? renderDiffMarkdown(d) : renderDiffPretty(d, { color: t.path === undefined && color });
    if (t.path !== undefined) writeFileAtomic(t.path, text);
    else writeOut(text);
  }
  return d.regression ? EXIT.notReady : EXIT.ready;
}

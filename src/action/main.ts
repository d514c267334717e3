// The GitHub Action: its inputs into the audit the CLI runs (src/cli/audit-run.ts), then the job page: outputs,
// the markdown job summary, annotations at the policy lines, and a failed step on a not-ready verdict.
import * as core from '@actions/core';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { auditReport, cannotRunReason, writeReports } from '../cli/audit-run.js';
import type { Target } from '../cli/outputs.js';
import { PolicyError } from '../policy/model.js';
import { mergeVars, parseAllowTargets, parseThreshold, parseVars, type CollectChoices, type PolicyVars } from '../cli/options.js';
import { renderMarkdown } from '../report/markdown.js';
import { md } from '../report/md-escape.js';
import { annotationsFor, PER_LEVEL } from './annotations.js';
import { inWorkspace, rebased, workflowStep } from './workspace.js';
import { exitCodeFor } from '../cli/errors.js';
import { fleetValues, runFleet } from './fleet.js';
import { waiverAnnotations } from './waiver-annotations.js';

/** A wrong input: the step fails with this one line. */
class InputError extends Error {}

const REPORT_INPUTS = ['json', 'sarif', 'html', 'junit', 'markdown'] as const;

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function reportTargets(cwd: string): Target[] {
  const outs: Target[] = REPORT_INPUTS.filter((k) => core.getInput(k) !== '').map((k) => ({ format: k, path: core.getInput(k) }));
  const seen = new Map<string, string>();
  for (const t of outs) {
    const abs = path.resolve(cwd, t.path!);
    const before = seen.get(abs);
    if (before !== undefined) throw new InputError(`inputs ${before} and ${t.format} name the same file, ${t.path}; give each report its own path`);
    seen.set(abs, t.format);
  }
  return outs;
}

/** Input vars-file (one path a line, later files win), then input vars over them, as --vars and --var. */
function varsInput(cwd: string): PolicyVars {
  const given = parseVars(
    core.getMultilineInput('vars').filter((v) => !v.startsWith('#')),
    'input vars',
  );
  return mergeVars(files('vars-file', cwd), given);
}

/** Input waivers: a waivers file (as --waivers), or "none" (as --no-waivers). */
function waiversInput(cwd: string): { waiversFile?: string; noWaivers?: true } {
  const v = core.getInput('waivers');
  if (v === '') return {};
  if (v === 'none') return { noWaivers: true };
  if (!existsSync(path.resolve(cwd, v))) throw new InputError(`input waivers: ${v} does not exist (looked in ${cwd})`);
  return { waiversFile: v };
}

function threshold(): number | undefined {
  const v = core.getInput('fail-under');
  return v === '' ? undefined : parseThreshold(v, 'input fail-under');
}

/**
 * Input allow-targets: networks the live probes may connect to beyond the default, one per line or separated by
 * commas. Empty (the default) leaves link-local and metadata addresses refused, as a policy from a pull request
 * must not reach the runner's metadata service.
 */
function collectInput(): CollectChoices {
  const given = core
    .getMultilineInput('allow-targets')
    .filter((l) => !l.startsWith('#'))
    .flatMap((l) => l.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return given.length ? { allowTargets: parseAllowTargets(given, 'input allow-targets') } : {};
}

function softFail(): boolean {
  const v = core.getInput('soft-fail').toLowerCase();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw new InputError(`input soft-fail takes true or false, got "${core.getInput('soft-fail')}"`);
}

function workingDirectory(workspace: string): string {
  const dir = path.resolve(workspace, core.getInput('working-directory') || '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`input working-directory: ${dir} is not a directory`);
  return dir;
}

function files(name: string, cwd: string): string[] {
  const given = core.getMultilineInput(name).filter((f) => !f.startsWith('#'));
  for (const f of given) {
    if (!f.startsWith('builtin:') && !existsSync(path.resolve(cwd, f))) throw new InputError(`input ${name}: ${f} does not exist (looked in ${cwd})`);
  }
  return given;
}

async function run(): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const cwd = workingDirectory(workspace);
  process.chdir(cwd);
  const policies = files('policy', cwd);
  const facts = files('facts', cwd);
  if (facts.length > 1) throw new InputError(`input facts takes one snapshot, got ${facts.length}`);
  const { vars, varOrigin } = varsInput(cwd);
  const fail = threshold();
  const soft = softFail();
  const outs = reportTargets(cwd);
  const collect = collectInput();
  const fleet = fleetValues();
  const only = core.getMultilineInput('only').filter((v) => !v.startsWith('#'));
  const skip = core.getMultilineInput('skip').filter((v) => !v.startsWith('#'));
  const selection = only.length || skip.length ? { selection: { ...(only.length ? { only } : {}), ...(skip.length ? { skip } : {}) } } : {};
  const waiving = waiversInput(cwd);
  if (fleet) {
    if (facts.length) throw new InputError('input facts judges one saved snapshot; it does not go with targets or inventory');
    for (const t of outs) mkdirSync(path.dirname(path.resolve(cwd, t.path!)), { recursive: true });
    await runFleet(fleet, { policies, vars, varOrigin, ...selection, ...waiving, threshold: fail, soft, outs, cwd, collect });
    return;
  }

  const raw = await auditReport({
    ...(policies.length ? { policies } : {}),
    ...(vars ? { vars } : {}),
    ...(varOrigin ? { varOrigin } : {}),
    ...selection,
    ...waiving,
    ...(facts.length ? { factsFile: facts[0]! } : {}),
    ...(fail !== undefined ? { threshold: fail } : {}),
    collect,
    outputs: outs.map((t) => ({ ...t, path: path.resolve(cwd, t.path!) })),
  });
  const report = rebased(raw, cwd, workspace, workflowStep(workspace, process.env, readIfThere));
  // A workflow names report paths before anything made their folders.
  for (const t of outs) mkdirSync(path.dirname(path.resolve(cwd, t.path!)), { recursive: true });
  await writeReports(report, [...outs, { format: 'pretty' }], true);

  const { annotations, left } = annotationsFor(report, (f) => !f.startsWith('builtin:') && !path.isAbsolute(f));
  for (const a of annotations) {
    const props = { title: a.title, ...(a.file !== undefined ? { file: a.file, startLine: a.line!, startColumn: a.column! } : {}) };
    core[a.level](a.message, props);
  }
  // The report is the repository's already (rebased): its relative paths are the checkout's.
  waiverAnnotations(report.waivers, (f) => (path.isAbsolute(f) ? undefined : f));
  let summary = renderMarkdown(report);
  if (left > 0) {
    const them = left === 1 ? '1 more failing or unverified check is' : `${left} more failing or unverified checks are`;
    summary += `\n> ${them} not annotated on the job page (GitHub shows ${PER_LEVEL} per level and step); every one is listed above and in the SARIF report.\n`;
  }
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summary).write();

  const failed = report.counts.fail;
  core.setOutput('score', String(report.score));
  core.setOutput('ready', String(report.ready));
  core.setOutput('failed', String(failed));
  for (const t of outs) core.setOutput(t.format, inWorkspace(t.path!, cwd, workspace) ?? path.resolve(cwd, t.path!));

  const cannotRun = cannotRunReason(report);
  if (cannotRun) throw new InputError(`the audit could not run: ${cannotRun}`);
  if (!report.ready) {
    const why = `not ready: ${report.verdictReason} (score ${report.score}, threshold ${report.threshold})`;
    if (soft) core.warning(`${why}; soft-fail is set, so the step passes`);
    else core.setFailed(why);
  }
}

/** A step that stops before its verdict still says why on the summary page, where readers look. */
async function failureSummary(lines: string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const text = lines.map((l) => `> ${md(l)}`).join('\n>\n');
  try {
    await core.summary.addRaw(`## ⚠️ plumbline could not audit\n\n${text}\n`).write();
  } catch {
    // The step fails with its message anyway.
  }
}

run().catch(async (err: unknown) => {
  if (err instanceof PolicyError) {
    await failureSummary(err.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`));
    // One annotation per problem, each at its line in the policy file.
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    for (const i of err.issues) {
      const file = inWorkspace(i.file, process.cwd(), workspace);
      core.error(`${i.file}:${i.line}:${i.column}: ${i.message}`, {
        title: 'plumbline policy',
        ...(file !== undefined ? { file, startLine: i.line, startColumn: i.column } : {}),
      });
    }
    process.exitCode = 1;
    return;
  }
  const message = err instanceof InputError ? err.message : exitCodeFor(err).message.replace(/^plumbline: /, '');
  await failureSummary([message]);
  core.setFailed(message);
});

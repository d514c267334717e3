// The Action's fleet mode (inputs `targets` or `inventory`): the same fleet audit as `plumbline audit --target /
// --inventory`, its reports to the report inputs, the fleet's markdown as the job summary, a failed step unless
// every host is ready.
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { fleetExitCode, writeReports } from '../cli/audit-run.js';
import { EXIT, UsageError } from '../cli/errors.js';
import type { FleetValues } from '../cli/fleet-options.js';
import type { Target } from '../cli/outputs.js';
import type { CollectChoices } from '../cli/options.js';
import type { Scalar } from '../policy/model.js';
import { renderFleetMarkdown } from '../report/fleet/markdown.js';
import { fleetWaiverUses } from '../evaluate/waivers.js';
import { waiverAnnotations } from './waiver-annotations.js';
import { inWorkspace } from './workspace.js';

export function fleetValues(): FleetValues | undefined {
  const target = core.getMultilineInput('targets').filter((t) => !t.startsWith('#'));
  const inventory = core.getInput('inventory');
  if (target.length === 0 && inventory === '') return undefined;
  const become = core.getInput('become').toLowerCase();
  if (become !== '' && become !== 'true' && become !== 'false') throw new UsageError(`input become takes true or false, got "${core.getInput('become')}"`);
  return {
    ...(target.length ? { target } : {}),
    ...(inventory !== '' ? { inventory } : {}),
    ...(core.getInput('limit') !== '' ? { limit: core.getInput('limit') } : {}),
    ...(core.getInput('ssh-config') !== '' ? { 'ssh-config': core.getInput('ssh-config') } : {}),
    ...(become === 'true' ? { become: true } : {}),
  };
}

export async function runFleet(
  values: FleetValues,
  req: {
    policies: string[];
    vars: Record<string, Scalar> | undefined;
    varOrigin?: Record<string, string> | undefined;
    selection?: { only?: string[]; skip?: string[] };
    waiversFile?: string;
    noWaivers?: true;
    threshold: number | undefined;
    soft: boolean;
    outs: Target[];
    cwd: string;
    collect: CollectChoices;
  },
): Promise<void> {
  const { fleetReport } = await import('../cli/fleet-audit.js');
  const files = req.outs.map((t) => ({ ...t, path: resolve(req.cwd, t.path!) }));
  const fleet = await fleetReport({
    values,
    ...(req.policies.length ? { policies: req.policies } : {}),
    ...(req.vars ? { vars: req.vars } : {}),
    ...(req.varOrigin ? { varOrigin: req.varOrigin } : {}),
    ...(req.selection ? { selection: req.selection } : {}),
    ...(req.waiversFile !== undefined ? { waiversFile: req.waiversFile } : {}),
    ...(req.noWaivers ? { noWaivers: true } : {}),
    ...(req.threshold !== undefined ? { threshold: req.threshold } : {}),
    collect: req.collect,
    outputs: files,
  });
  await writeReports(fleet, [...files, { format: 'pretty' }], true);
  for (const h of fleet.hosts) if (h.fault) core.warning(`${h.name}: ${h.fault.class}: ${h.fault.detail}`, { title: 'plumbline: host not audited in full' });
  const workspace = process.env.GITHUB_WORKSPACE || req.cwd;
  waiverAnnotations(fleetWaiverUses(fleet.hosts.map((h) => h.report?.waivers)), (f) => inWorkspace(f, req.cwd, workspace));
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderFleetMarkdown(fleet)).write();
  const scores = fleet.hosts.flatMap((h) => (h.score !== undefined ? [h.score] : []));
  core.setOutput('hosts', String(fleet.summary.hosts));
  core.setOutput('hosts-ready', String(fleet.summary.ready));
  core.setOutput('ready', String(fleet.ready));
  core.setOutput('score', scores.length ? String(Math.min(...scores)) : '');
  core.setOutput('failed', String(fleet.failing.reduce((n, f) => n + f.hosts.length, 0)));
  for (const t of req.outs) core.setOutput(t.format, t.path!);
  const exit = fleetExitCode(fleet);
  if (exit.code === EXIT.cannotRun) throw new Error(exit.message ?? 'the fleet audit could not run');
  if (!fleet.ready) {
    const why = `not ready: ${fleet.verdictReason}`;
    if (req.soft) core.warning(`${why}; soft-fail is set, so the step passes`);
    else core.setFailed(why);
  }
}

// The audit as both front ends run it (the CLI's audit command and the GitHub Action): policies and facts in,
// the report out, then the report rendered to its targets. Neither front end does more than read its inputs,
// call these, and say how it went.
import { evaluate } from '../evaluate/evaluate.js';
import { buildReport } from '../report/build.js';
import { unevaluated } from '../score/score.js';
import type { Report } from '../report/model.js';
import { loadFleetRenderer, loadRenderer } from '../report/registry.js';
import { isFleetReport } from '../report/fleet/build.js';
import type { FleetReport } from '../report/fleet/model.js';
import { EXIT } from './errors.js';
import type { ResolvedPolicy, Scalar } from '../policy/model.js';
import type { Transport } from '../transport/types.js';
import { hostname, networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { policyForRun } from '../policy/waive.js';
import { waiverUses } from '../evaluate/waivers.js';
import { collectHost } from './collect-host.js';
import { loadPolicies, selected } from './options.js';
import type { CollectChoices } from './options.js';
import { version } from './paths.js';
import { refuseOverwritingInputs, writeFileAtomic, type InputFile, type Target } from './outputs.js';
import { writeOut } from './stdio.js';

export interface AuditRequest {
  /** Policy files as given (`builtin:NAME` too); none: the built-in baseline. */
  policies?: string[];
  /** Policy vars over the policies' own (parseVars reads `NAME=VALUE` texts). */
  vars?: Record<string, Scalar>;
  /** Where each var came from, when a --vars file set it. */
  varOrigin?: Record<string, string>;
  /** --strict: a key absent on the host fails instead of being skipped. */
  strict?: boolean;
  /** --only and --skip: the checks judged. */
  selection?: { only?: string[]; skip?: string[] };
  /** --waivers FILE: a waivers file, laid over the policy's own waivers. */
  waiversFile?: string;
  /** --no-waivers: nothing is waived. */
  noWaivers?: boolean;
  /** Judge this facts snapshot instead of collecting from this host. */
  factsFile?: string;
  /** Overrides the policy's threshold. */
  threshold?: number;
  collect?: CollectChoices;
  /** Draw the live probes' progress line (only for a person at a terminal). */
  progress?: boolean;
  /** Where the report will go: refused before anything runs when one is a file the run reads. */
  outputs?: readonly Target[];
  trace?: (stage: string) => void;
  /** How to reach the host (default: this machine, read natively). */
  transport?: Transport;
}

export async function auditReport(req: AuditRequest): Promise<Report> {
  const trace = req.trace ?? (() => {});
  const whole = await loadPolicies(req.policies, req.vars, req.varOrigin);
  // Checked on the whole policy: a pattern that names no check is refused before anything runs.
  if (req.selection) selected(whole, req.selection);
  trace('policy loaded');
  // Its validator is loaded only by the runs that have one.
  const waivers = req.noWaivers || req.waiversFile === undefined ? undefined : (await import('../policy/waivers-file.js')).readWaiversFile(req.waiversFile);
  if (req.outputs) refuseOverwritingInputs(req.outputs, inputFiles(whole, req.factsFile, waivers && req.waiversFile));
  const snapshot = req.factsFile !== undefined ? await (await import('./snapshot.js')).readSnapshot(req.factsFile) : undefined;
  const now = new Date();
  // A waiver's `hosts` name this host as its snapshot does, or as this machine calls itself.
  const host = snapshot ? { name: snapshot.host.hostname } : { name: hostname(), addresses: ownAddresses() };
  const policy = policyForRun(
    whole,
    { ...(req.selection ? { selection: req.selection } : {}), ...(waivers ? { waivers } : {}), ...(req.noWaivers ? { noWaivers: true } : {}) },
    host,
    now,
  );
  const facts = snapshot ?? (await collectHost(policy, req.collect ?? {}, req.progress ?? false, req.transport));
  trace('facts ready');
  const results = evaluate(policy, facts, now, { strict: req.strict === true });
  return buildReport(policy, facts, results, {
    threshold: req.threshold ?? policy.defaults.failUnder,
    now,
    version: version(),
    ...(waivers ? { waivers: waiverUses(waivers, whole, results, host, now) } : {}),
  });
}

/** This machine's addresses, which a waiver's `hosts` may name. */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/**
 * The files an audit reads on this machine: the policy files, a facts snapshot, the CA files of the probes, and
 * (through the local transport) the certificate and key files its checks name.
 */
function inputFiles(policy: ResolvedPolicy, factsFile: string | undefined, waiversFile: string | undefined): InputFile[] {
  const files: InputFile[] = policy.sources.filter((s) => !s.startsWith('builtin:')).map((s) => ({ path: resolve(s), what: `the policy ${s}` }));
  if (factsFile !== undefined) files.push({ path: factsFile, what: 'the --facts snapshot' });
  if (waiversFile !== undefined) files.push({ path: waiversFile, what: 'the --waivers file' });
  for (const c of policy.checks) {
    const s = c.selector;
    if ((s.kind === 'tls' || s.kind === 'http') && s.spec.ca !== undefined) files.push({ path: s.spec.ca, what: `the ca file of check ${c.id}` });
    if (s.kind === 'certificate') {
      files.push({ path: s.spec.path, what: `the certificate file of check ${c.id}` });
      if (s.spec.key !== undefined) files.push({ path: s.spec.key, what: `the key file of check ${c.id}` });
    }
  }
  return files;
}

/**
 * Why this report is no verdict on the host, if it is none: nothing could be checked at all (no /proc, every
 * collector refused).
 */
export function cannotRunReason(report: Report): string | undefined {
  const none = unevaluated(report.results);
  return none ? `none of ${none.length} checks could be evaluated (first reason: ${none[0]!.message})` : undefined;
}

/**
 * How a fleet audit exits: 0 only when every host is ready; 3 when it judged nothing anywhere (no host could be
 * audited, or every audited host's checks were all errors: no host was found unready, none could be read); 1
 * otherwise. `message` says why for exit 3, for standard error.
 */
export function fleetExitCode(fleet: FleetReport): { code: number; message?: string } {
  if (fleet.ready) return { code: EXIT.ready };
  const audited = fleet.hosts.filter((h) => h.report);
  const judged = audited.filter((h) => cannotRunReason(h.report!) === undefined);
  if (judged.length === 0) {
    const why = audited.length
      ? `${audited.length} host${audited.length === 1 ? '' : 's'} audited but no check could be evaluated`
      : fleet.hosts.length
        ? 'no host could be audited'
        : 'no host to audit';
    return { code: EXIT.cannotRun, message: `the fleet audit could not run: ${why} (${fleet.verdictReason})` };
  }
  return { code: EXIT.notReady };
}

/**
 * Render the report (a host's or a fleet's) once per target: files atomically and without colour, standard
 * output with `color`.
 */
export async function writeReports(report: Report | FleetReport, outs: readonly Target[], color: boolean, quiet = false): Promise<void> {
  const render = async (format: string, c: boolean, q: boolean): Promise<string> =>
    isFleetReport(report) ? (await loadFleetRenderer(format))(report, { color: c }) : (await loadRenderer(format))(report, { color: c, quiet: q });
  for (const t of outs) {
    // A file keeps the whole report: --quiet is for the person at the terminal.
    if (t.path !== undefined) writeFileAtomic(t.path, await render(t.format, false, false));
    else writeOut(await render(t.format, color, quiet));
  }
}

// The open-file limits of the services that listen: the baseline's floor where they all meet it, and each
// service's own soft limit as its floor, so a restart that loses a LimitNOFILE is seen.
import { isFamilyError } from '../../facts/model.js';
import type { CheckOf } from '../../policy/model.js';
import type { CapturedCheck, Capturer, CaptureContext } from '../model.js';

function capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] } {
  const sockets = ctx.facts.sockets;
  const procs = ctx.facts.processes;
  if (!sockets || isFamilyError(sockets) || !procs || isFamilyError(procs)) return { checks: [], leftOut: ['open-file limits: processes not read'] };
  const checks: CapturedCheck[] = [];
  const leftOut: string[] = [];
  const base = ctx.baseline.checks.find((c): c is CheckOf<'limits'> => c.selector.kind === 'limits');
  if (base && ctx.results.get(base.id)?.status === 'pass')
    checks.push({
      id: base.id,
      title: base.title,
      severity: base.severity,
      selector: ['limits', base.selector.spec],
      expect: base.expect,
      comment: "the baseline's floor, which every listening service here meets",
      tags: base.tags,
    });
  // Each service (command name) once, by the lowest port it listens on: the processes holding that port.
  const byComm = new Map<string, number>();
  for (const l of [...sockets.listeners].sort((a, b) => a.port - b.port)) for (const o of l.owners) if (!byComm.has(o.comm)) byComm.set(o.comm, l.port);
  for (const [comm, port] of byComm) {
    const holders = new Set(sockets.listeners.filter((l) => l.port === port).flatMap((l) => l.owners.map((o) => o.pid)));
    const softs = procs.processes.filter((p) => holders.has(p.pid)).map((p) => (p.limits && !isFamilyError(p.limits) ? p.limits.nofile?.soft : undefined));
    if (softs.length === 0 || softs.some((s) => s === undefined)) {
      leftOut.push(`open-file limit of ${comm}: not readable`);
      continue;
    }
    const numbers = softs.filter((s): s is number => typeof s === 'number');
    checks.push({
      id: `limits.${comm
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '')}-nofile`,
      title: `${comm} can open as many files as it does today`,
      severity: 'medium',
      selector: ['limits', { port, item: 'nofile' }],
      // unlimited compares as infinity: the lowest number is the floor of them all.
      expect: { soft: numbers.length === 0 ? 'unlimited' : { gte: Math.min(...numbers) } },
      comment: `the soft limit of ${comm} (listening on ${port}) today`,
      tags: ['limits'],
    });
  }
  return { checks, leftOut };
}

export const limitsCapturer: Capturer = { section: 'open-file limits of listening services', capture };

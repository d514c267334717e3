// Read a JSON report written by `plumbline audit --format json=FILE` (or the Action) to render or compare it: a
// host's report or a fleet's, told apart by its `schema`.
import type { Report } from '../report/model.js';
import type { FleetReport } from '../report/fleet/model.js';
import { UsageError } from './errors.js';
import { readJson, schemaError } from './json-file.js';
import { validate as validateReport } from '../report/generated/report-validator.js';
import { validate as validateFleet } from '../report/generated/fleet-report-validator.js';
import { validate as validateFacts } from '../facts/generated/facts-validator.js';

const CURRENT = 1;

export type SavedReport = { kind: 'host'; report: Report } | { kind: 'fleet'; fleet: FleetReport };

/** The facts inside a report are a snapshot like any other (the HTML appendix reads every family of it). */
async function checkFacts(path: string, text: string, report: Report, at: string): Promise<void> {
  if (report.facts !== undefined && !validateFacts(report.facts)) {
    const errors = (validateFacts.errors ?? []).map((e) => ({ ...e, instancePath: `${at}/facts${e.instancePath}` }));
    throw await schemaError(path, text, errors, "the report's facts do not match schemas/facts.schema.json");
  }
}

/** A saved report of either kind. */
export async function readSaved(path: string): Promise<SavedReport> {
  const { text, data } = readJson(path, 'the report');
  const schema = data && typeof data === 'object' && !Array.isArray(data) ? (data as { schema?: unknown }).schema : undefined;
  const m = typeof schema === 'string' ? /^plumbline\/(report|fleet-report)\/v(\d+)$/.exec(schema) : null;
  if (!m) {
    const hint = schema === 'plumbline/facts/v1' ? ' (it is a facts snapshot: judge it with "plumbline audit --facts FILE")' : '';
    throw new UsageError(
      `${path}:1:1: not a plumbline report${hint}; expected "schema": "plumbline/report/v${CURRENT}" or "plumbline/fleet-report/v${CURRENT}", as "plumbline audit --format json=FILE" writes`,
    );
  }
  if (Number(m[2]) > CURRENT) {
    throw new UsageError(
      `${path}:1:1: the report is from a newer plumbline (schema ${String(schema)}); this plumbline reads plumbline/${m[1]}/v${CURRENT}: upgrade plumbline to read it`,
    );
  }
  if (m[1] === 'report') {
    if (!validateReport(data)) throw await schemaError(path, text, validateReport.errors ?? [], 'the report does not match schemas/report.schema.json');
    await checkFacts(path, text, data as Report, '');
    return { kind: 'host', report: data as Report };
  }
  if (!validateFleet(data)) throw await schemaError(path, text, validateFleet.errors ?? [], 'the fleet report does not match schemas/fleet-report.schema.json');
  const fleet = data as FleetReport;
  const seen = new Set<string>();
  for (const [i, h] of fleet.hosts.entries()) {
    // Hosts are the fleet's key (diff pairs them by name): a name twice is a file edited by hand or another tool.
    if (seen.has(h.name)) {
      const { positionOf } = await import('./json-position.js');
      throw new UsageError(`${path}:${positionOf(text, `/hosts/${i}/name`)}: host "${h.name}" appears twice; a fleet report holds each host once`);
    }
    seen.add(h.name);
    if (h.report) await checkFacts(path, text, h.report, `/hosts/${i}/report`);
  }
  return { kind: 'fleet', fleet };
}

/** A saved host report; a fleet report here is a usage error. */
export async function readReport(path: string): Promise<Report> {
  const saved = await readSaved(path);
  if (saved.kind === 'fleet') throw new UsageError(`${path}:1:1: a fleet report, where a host's report was expected`);
  return saved.report;
}

// Read a JSON report written by `plumbline audit --format json=FILE` (or the Action) to render or compare it.
import type { Report } from '../report/model.js';
import { UsageError } from './errors.js';
import { readJson, schemaError } from './json-file.js';
import { validate as validateReport } from '../report/generated/report-validator.js';
import { validate as validateFacts } from '../facts/generated/facts-validator.js';

const CURRENT = 1;

export async function readReport(path: string): Promise<Report> {
  const { text, data } = readJson(path, 'the report');
  const schema = data && typeof data === 'object' && !Array.isArray(data) ? (data as { schema?: unknown }).schema : undefined;
  const m = typeof schema === 'string' ? /^plumbline\/report\/v(\d+)$/.exec(schema) : null;
  if (!m) {
    const hint = schema === 'plumbline/facts/v1' ? ' (it is a facts snapshot: judge it with "plumbline audit --facts FILE")' : '';
    throw new UsageError(
      `${path}:1:1: not a plumbline report${hint}; expected "schema": "plumbline/report/v${CURRENT}", as "plumbline audit --format json=FILE" writes`,
    );
  }
  if (Number(m[1]) > CURRENT) {
    throw new UsageError(
      `${path}:1:1: the report is from a newer plumbline (schema ${schema}); this plumbline reads plumbline/report/v${CURRENT}: upgrade plumbline to read it`,
    );
  }
  if (!validateReport(data)) throw await schemaError(path, text, validateReport.errors ?? [], 'the report does not match schemas/report.schema.json');
  // The facts inside are a snapshot like any other (the HTML appendix reads every family of it).
  const facts = (data as Report).facts;
  if (facts !== undefined && !validateFacts(facts)) {
    const errors = (validateFacts.errors ?? []).map((e) => ({ ...e, instancePath: `/facts${e.instancePath}` }));
    throw await schemaError(path, text, errors, "the report's facts do not match schemas/facts.schema.json");
  }
  return data as Report;
}

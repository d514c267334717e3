// The JSON report: the report model as it is (schemas/report.schema.json); every other format can be rendered from it.
import type { Report } from './model.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

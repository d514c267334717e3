// Placeholder while the sarif renderer is being written.
import type { Report } from './model.js';

export function renderSarif(report: Report): string {
  throw new Error(`sarif: not written yet (${report.results.length} results)`);
}

// Placeholder while the junit renderer is being written.
import type { Report } from './model.js';

export function renderJunit(report: Report): string {
  throw new Error(`junit: not written yet (${report.results.length} results)`);
}

// Placeholder while the prometheus renderer is being written.
import type { Report } from './model.js';

export function renderPrometheus(report: Report): string {
  throw new Error(`prometheus: not written yet (${report.results.length} results)`);
}

// Placeholder while the html renderer is being written.
import type { Report } from './model.js';

export function renderHtml(report: Report): string {
  throw new Error(`html: not written yet (${report.results.length} results)`);
}

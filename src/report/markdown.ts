// Placeholder while the markdown renderer is being written.
import type { Report } from './model.js';

export function renderMarkdown(report: Report): string {
  throw new Error(`markdown: not written yet (${report.results.length} results)`);
}

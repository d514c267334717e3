// One renderer per format, each a pure function of the report, loaded only when a run asks for its format.
// A new format is a new module and one line here.
import type { Report } from './model.js';

interface RenderOptions {
  /** Terminal colour; only the pretty renderer uses it, and only when the output is a terminal. */
  color: boolean;
}

export type Render = (report: Report, opts: RenderOptions) => string;

const RENDERERS: Record<string, () => Promise<Render>> = {
  pretty: async () => (await import('./pretty.js')).renderPretty,
  json: async () => (await import('./json.js')).renderJson,
  junit: async () => (await import('./junit.js')).renderJunit,
  sarif: async () => (await import('./sarif.js')).renderSarif,
  markdown: async () => (await import('./markdown.js')).renderMarkdown,
  html: async () => (await import('./html.js')).renderHtml,
  prometheus: async () => (await import('./prometheus.js')).renderPrometheus,
};

export const FORMATS: readonly string[] = Object.keys(RENDERERS);

/** The render function of a known format (see FORMATS). */
export function loadRenderer(format: string): Promise<Render> {
  const load = RENDERERS[format];
  if (!load) throw new Error(`unknown format "${format}"`);
  return load();
}

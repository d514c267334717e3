// One renderer per format, each a pure function of the report, loaded only when a run asks for its format.
// Every format renders both kinds of report: a host's (`Report`) and a fleet's (`FleetReport`, in fleet/). A new
// format is two modules and one entry here; TypeScript refuses a format without both.
import type { Report } from './model.js';
import type { FleetReport } from './fleet/model.js';

interface RenderOptions {
  /** Terminal colour; only the pretty renderer uses it, and only when the output is a terminal. */
  color: boolean;
  /** Only what is wrong and the verdict (the pretty renderer; --quiet). */
  quiet?: boolean;
}

export type Render = (report: Report, opts: RenderOptions) => string;
export type RenderFleet = (fleet: FleetReport, opts: RenderOptions) => string;

const RENDERERS: Record<string, { host: () => Promise<Render>; fleet: () => Promise<RenderFleet> }> = {
  pretty: { host: async () => (await import('./pretty.js')).renderPretty, fleet: async () => (await import('./fleet/pretty.js')).renderFleetPretty },
  json: { host: async () => (await import('./json.js')).renderJson, fleet: async () => (await import('./fleet/json.js')).renderFleetJson },
  junit: { host: async () => (await import('./junit.js')).renderJunit, fleet: async () => (await import('./fleet/junit.js')).renderFleetJunit },
  sarif: { host: async () => (await import('./sarif.js')).renderSarif, fleet: async () => (await import('./fleet/sarif.js')).renderFleetSarif },
  markdown: {
    host: async () => (await import('./markdown.js')).renderMarkdown,
    fleet: async () => (await import('./fleet/markdown.js')).renderFleetMarkdown,
  },
  html: { host: async () => (await import('./html.js')).renderHtml, fleet: async () => (await import('./fleet/html.js')).renderFleetHtml },
  prometheus: {
    host: async () => (await import('./prometheus.js')).renderPrometheus,
    fleet: async () => (await import('./fleet/prometheus.js')).renderFleetPrometheus,
  },
};

export const FORMATS: readonly string[] = Object.keys(RENDERERS);

function entry(format: string): (typeof RENDERERS)[string] {
  const e = RENDERERS[format];
  if (!e) throw new Error(`unknown format "${format}"`);
  return e;
}

/** The render function of a known format (see FORMATS) for a host's report. */
export function loadRenderer(format: string): Promise<Render> {
  return entry(format).host();
}

/** The render function of a known format for a fleet report. */
export function loadFleetRenderer(format: string): Promise<RenderFleet> {
  return entry(format).fleet();
}

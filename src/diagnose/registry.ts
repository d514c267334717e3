// One renderer per diagnosis format, each a pure function of the Diagnosis, loaded only when asked for.
import type { Diagnosis } from './model.js';

export type RenderDiagnosis = (d: Diagnosis, opts: { color: boolean }) => string;

const RENDERERS: Record<string, () => Promise<RenderDiagnosis>> = {
  pretty: async () => (await import('./pretty.js')).renderDiagnosisPretty,
  json: async () => (await import('./json.js')).renderDiagnosisJson,
  markdown: async () => (await import('./markdown.js')).renderDiagnosisMarkdown,
};

export const DIAGNOSE_FORMATS: readonly string[] = Object.keys(RENDERERS);

export function loadDiagnosisRenderer(format: string): Promise<RenderDiagnosis> {
  const load = RENDERERS[format];
  if (!load) throw new Error(`unknown diagnosis format "${format}"`);
  return load();
}

// The diagnosis as JSON: the model as it is, for a machine; every other format can be made from it.
import type { Diagnosis } from './model.js';

export function renderDiagnosisJson(d: Diagnosis): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

// The diagnosis as JSON: the model as it is, for a machine, with the words the other formats print beside the
// codes (the verdict's line, each layer's line, each symptom's meaning), so a reader needs no table of its own.
import type { Diagnosis, Symptom } from './model.js';
import { fromWords, headline, seenWords, symptomWords } from './words.js';

const said = (s: Symptom) => ({ ...s, meaning: symptomWords(s) });

export function renderDiagnosisJson(d: Diagnosis): string {
  const out = {
    ...d,
    headline: headline(d),
    layers: d.layers.map((l) => ({ ...l, judged: fromWords(d, l), seen: seenWords(d, l), ...(l.symptom ? { symptom: said(l.symptom) } : {}) })),
    ...(d.health ? { health: { ...d.health, symptoms: d.health.symptoms.map(said) } } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

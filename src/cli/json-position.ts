import { LineCounter, parseDocument } from 'yaml';

/** `line:col` of a JSON pointer (an ajv instancePath) in JSON text, or of its nearest existing ancestor. */
export function positionOf(text: string, pointer: string): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const path = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return `${pos.line}:${pos.col}`;
    }
  }
  return '1:1';
}

import { describe, expect, it } from 'vitest';
import { targets } from '../../../src/cli/outputs.js';

const KNOWN = ['pretty', 'json', 'sarif', 'html'];

describe('targets', () => {
  it('nothing given: the fallback on standard output', () => {
    expect(targets(undefined, undefined, KNOWN, 'pretty')).toEqual([{ format: 'pretty' }]);
  });

  it('X=PATH names its file; -o values go in order to the formats that name none', () => {
    expect(targets(['pretty', 'sarif=out.sarif', 'json', 'html=r.html'], ['r.json'], KNOWN, 'pretty')).toEqual([
      { format: 'pretty', path: 'r.json' },
      { format: 'sarif', path: 'out.sarif' },
      { format: 'json' },
      { format: 'html', path: 'r.html' },
    ]);
    expect(targets(['json'], ['r.json'], KNOWN, 'pretty')).toEqual([{ format: 'json', path: 'r.json' }]);
    // The first = splits: a path may hold one too.
    expect(targets(['json=a=b.json'], undefined, KNOWN, 'pretty')).toEqual([{ format: 'json', path: 'a=b.json' }]);
  });

  it('-o FILE with no --format: the extension picks the format', () => {
    expect(targets(undefined, ['r.html'], KNOWN, 'pretty')).toEqual([{ format: 'html', path: 'r.html' }]);
    expect(targets([], ['R.SARIF'], KNOWN, 'pretty')).toEqual([{ format: 'sarif', path: 'R.SARIF' }]);
    expect(targets(undefined, ['report'], KNOWN, 'pretty')).toEqual([{ format: 'pretty', path: 'report' }]);
    expect(targets(undefined, ['out.txt'], KNOWN, 'pretty')).toEqual([{ format: 'pretty', path: 'out.txt' }]);
    expect(() => targets(undefined, ['r.docx'], KNOWN, 'pretty')).toThrow(
      '-o r.docx: which format? ".docx" names none; add --format FORMAT (pretty, json, sarif, html), or write --format FORMAT=r.docx',
    );
  });

  it.each([
    [['xml'], undefined, /unknown format "xml"/],
    [['jsn'], undefined, /did you mean "json"\?/],
    [['json='], undefined, /names no file/],
    [['json', 'html'], undefined, /only one format can go to standard output \(json, html\)/],
    [['json=a', 'html=a'], undefined, /a is named for both json and html/],
    [['json=a'], ['b'], /1 -o path\(s\) left without a format \(b\)/],
  ] as [string[], string[] | undefined, RegExp][])('%j %j is refused', (formats, outputs, message) => {
    expect(() => targets(formats, outputs, KNOWN, 'pretty')).toThrow(message);
  });
});

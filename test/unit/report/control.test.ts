// What the terminal renderers make of control characters in report text: pictures and code points, so text can
// neither drive the terminal nor read otherwise than it is stored.
import { describe, expect, it } from 'vitest';
import { visibleControls } from '../../../src/report/control.js';

describe('visibleControls', () => {
  it('draws C0 controls as their pictures, DEL as its own, C1 as \\x escapes; newline and tab stay', () => {
    expect(visibleControls('a\x1b[31mred\x07\x7f\x9b\n\tb')).toBe('a\u241b[31mred\u2407\u2421\\x9b\n\tb');
  });

  it('shows bidi controls as code points, so "exe.txt" spelt backwards stays as stored (as markdown and HTML remove them)', () => {
    expect(visibleControls('invoice\u202etxt.exe')).toBe('invoice<U+202E>txt.exe');
    expect(visibleControls('\u2066x\u2069 \u202a\u202b\u202c\u202d')).toBe('<U+2066>x<U+2069> <U+202A><U+202B><U+202C><U+202D>');
  });
});

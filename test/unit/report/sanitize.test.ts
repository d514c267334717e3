// The one rule for report text every renderer shows (src/report/sanitize.ts), character class by character
// class, and the one markdown escaper built on it. What real consumers make of the result (cmark-gfm, Chromium,
// xmllint and junitparser, promtool, the SARIF schema) is in test/integration (markdown-gfm, html-chromium,
// report-consumers), over the hostile fixture report.
import { describe, expect, it } from 'vitest';
import { sanitize } from '../../../src/report/sanitize.js';
import { md, mdCodeSpan, mdWithCode } from '../../../src/report/md-escape.js';
import { HOSTILE } from '../../helpers/reports.js';

describe('sanitize', () => {
  it('makes every kind of line break one newline, and a tab a space', () => {
    expect(sanitize('a\r\nb\rc\u0085d\u2028e\u2029f\ng\th')).toBe('a\nb\nc\nd\ne\nf\ng h');
  });

  it('drops terminal escape sequences whole: colours, cursor moves, window titles, 8-bit CSI', () => {
    expect(sanitize('\x1b[1;31mred\x1b[0m \x1b[2J\x1b[H \x1b]0;owned\x07title \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b31mc1\x1bc')).toBe(
      'red  title link c1',
    );
  });

  it('shows any other control character: C0 as its picture, DEL as its own, C1 as its code point', () => {
    expect(sanitize('\x00\x07\x08\x0b\x0c\x1f\x7f\x80\x90\x9f')).toBe('\u2400\u2407\u2408\u240b\u240c\u241f\u2421<U+0080><U+0090><U+009F>');
  });

  it('shows bidi controls as code points, so "invoice<RLO>txt.exe" reads as stored', () => {
    expect(sanitize('invoice\u202etxt.exe')).toBe('invoice<U+202E>txt.exe');
    expect(sanitize('\u2066x\u2069 \u202a\u202b\u202c\u202d \u200e\u200f\u061c')).toBe(
      '<U+2066>x<U+2069> <U+202A><U+202B><U+202C><U+202D> <U+200E><U+200F><U+061C>',
    );
  });

  it('shows invisible characters as code points, so two ids that look alike are told apart', () => {
    expect(sanitize('a\u200bb\u200cc\u200dd\u2060e\ufefff\u00adg\u180eh')).toBe('a<U+200B>b<U+200C>c<U+200D>d<U+2060>e<U+FEFF>f<U+00AD>g<U+180E>h');
    // Tag characters (U+E0000 block) spell invisible ASCII.
    expect(sanitize('ok\u{e0041}\u{e007f}')).toBe('ok<U+E0041><U+E007F>');
  });

  it('replaces a lone surrogate with U+FFFD, shows the noncharacters XML cannot hold, keeps real astral characters', () => {
    expect(sanitize('a\ud800b\udc00c\ud800')).toBe('a\ufffdb\ufffdc\ufffd');
    expect(sanitize('\ufffe\uffff')).toBe('<U+FFFE><U+FFFF>');
    expect(sanitize('😀 é 中 ✓')).toBe('😀 é 中 ✓');
  });

  it('is idempotent, and what it gives is well-formed UTF-16 with no control character but newline', () => {
    const once = sanitize(HOSTILE);
    expect(sanitize(once)).toBe(once);
    expect(once).toBe(
      '<script>alert("x")</script> ]]> | `rm -rf` \n second line "quoted" \'single\' & red \u2407 \\ end <U+202E>exe.txt<U+202C> z<U+200B>w <U+0090> \n\ufffd',
    );
    expect(Buffer.from(once, 'utf8').toString('utf8')).toBe(once); // no lone surrogate to lose on the way
    expect(once).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });
});

describe('the markdown escaper', () => {
  it('sanitises, then makes markup entities and escapes what markdown reads anywhere', () => {
    expect(md('<b>x</b> & *a* _b_ `c` [d](e) | ~f~ #g $h$ \\')).toBe(
      '&lt;b&gt;x&lt;/b&gt; &amp; \\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\| \\~f\\~ \\#g \\$h\\$ \\\\',
    );
    expect(md('a\u202eb\x1b[31mc')).toBe('a&lt;U+202E&gt;bc');
  });

  it('never lets report text open a block: newlines are <br> (or hard breaks), a list or underline is escaped', () => {
    expect(md('- item\n1. first\n---\nnext')).toBe('\\- item<br>1\\. first<br>\\---<br>next');
    expect(md('- item\n1) first\n+ x\n===', 1000, 'hard')).toBe('\\- item  \n1\\) first  \n\\+ x  \n\\===');
    // Numbers and ranges are no list markers and stay as they are.
    expect(md('-1 0.5 1.5.2 10-20')).toBe('-1 0.5 1.5.2 10-20');
  });

  it('clips a runaway field and says so', () => {
    expect(md('x'.repeat(30), 10)).toBe('xxxxxxxxxx… (20 more characters in the JSON report)');
  });

  it("keeps the author's one-line code spans as code, escaping the rest", () => {
    expect(mdWithCode('run `sysctl -w a=1` then *reboot*')).toBe('run `sysctl -w a=1` then \\*reboot\\*');
    // A span with a pipe or across lines is no span: its backticks are text.
    expect(mdWithCode('`a|b` x')).toBe('\\`a\\|b\\` x');
    expect(mdWithCode('`c\nd` y')).toBe('\\`c<br>d\\` y');
  });

  it('writes an id as one code span that no backtick or pipe in it can end', () => {
    expect(mdCodeSpan('kernel.somaxconn')).toBe('`kernel.somaxconn`');
    expect(mdCodeSpan('a`b``c|d\ne')).toBe('```a`b``c\\|d e```');
    expect(mdCodeSpan('`x`')).toBe('`` `x` ``');
  });
});

// The one rule for report text that a renderer shows. Titles, messages, values, ids, hostnames and tags come
// from policies, hosts and servers (or a report written elsewhere), so they may hold anything. Every renderer
// that shows text to a person or hands it to another program (pretty, diff, markdown, HTML, JUnit, SARIF,
// Prometheus, the Action's summary and annotations) passes it through `sanitize` first, and then applies only
// its own syntax escaping. The JSON report is the record and keeps the text as it was.
//
// What the rule does, and why:
// - Line breaks of every kind (CR LF, CR, NEL, U+2028, U+2029) become one newline, which each format lays out
//   its own way; a tab becomes a space.
// - Terminal escape sequences (CSI, OSC, two-character ESC sequences, and the 8-bit CSI and OSC) are dropped
//   whole: they only ever colour, move the cursor or retitle a window, and their parameters are no text.
// - Any other control character is shown, never obeyed and never silently dropped: C0 as its Unicode control
//   picture (BEL as ␇), DEL as ␡, C1 as its code point.
// - Bidirectional controls (which make text read otherwise than it is stored, "invoice<RLO>txt.exe") and
//   invisible characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen, tag characters) are
//   shown as their code point, `<U+202E>`, so two ids that look alike are told apart.
// - A lone surrogate (no character at all) becomes U+FFFD; the noncharacters U+FFFE and U+FFFF, which XML
//   cannot hold, their code point.
// What comes out is valid UTF-16 with no control character but newline, which XML 1.0, JSON, markdown, HTML,
// a terminal and Prometheus's text format all hold.

const BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
// CSI and OSC sequences first, whole, so their parameters do not survive as text; then every other ESC sequence.
// eslint-disable-next-line no-control-regex
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g;
const SHOWN =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function shown(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Report text as every renderer shows it (see above); idempotent, so text already shown stays as it is. */
export function sanitize(s: string): string {
  return s.replace(BREAKS, '\n').replace(ESCAPES, '').replace(/\t/g, ' ').replace(SHOWN, shown);
}

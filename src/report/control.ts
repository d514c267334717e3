// Text from a report can hold anything its policy or host put there, terminal escapes included. Shown on a
// terminal or in a file meant for one, a control character is drawn as its Unicode control picture (ESC as
// ␛), so a title cannot recolour, move the cursor or retitle the window of whoever reads the report; a bidi
// control (which makes text read otherwise than it is stored, as markdown and HTML remove it) is shown as its code
// point. Newline and tab stay: renderers lay them out.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function visibleControls(s: string): string {
  return s.replace(CONTROLS, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    if (code > 0xff) return `<U+${code.toString(16).toUpperCase()}>`;
    return `\\x${code.toString(16)}`;
  });
}

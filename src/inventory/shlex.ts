// Python's shlex.split (POSIX mode), which Ansible uses for INI host lines (with comments) and for
// ansible_ssh_common_args (without): a port of shlex.read_token with whitespace_split, so words split where
// Ansible splits them. It only splits text into words; nothing here is ever given to a shell.

const WHITESPACE = ' \t\r\n';
const QUOTES = `'"`;
const ESCAPE = '\\';
/** Inside these quotes a backslash escapes only the quote itself and the backslash. */
const ESCAPED_QUOTES = '"';

export class ShlexError extends Error {}

export function shlexSplit(text: string, opts: { comments: boolean }): string[] {
  return shlexWords(text, opts).map((w) => w.word);
}

/** The words, each with the offset in `text` where it starts. */
export function shlexWords(text: string, opts: { comments: boolean }): { word: string; at: number }[] {
  const commenters = opts.comments ? '#' : '';
  const words: { word: string; at: number }[] = [];
  let i = 0;
  const readLine = (): void => {
    while (i < text.length && text[i] !== '\n') i++;
    i++;
  };
  for (;;) {
    // One read_token: state ' ' is between words, 'a' inside one, a quote or the escape inside those.
    let state = ' ';
    let escapedState = ' ';
    let token = '';
    let quoted = false;
    let ended = false;
    let at = i;
    for (;;) {
      const c = i < text.length ? text[i]! : '';
      i++;
      if (state === ' ') {
        at = i - 1;
        if (c === '') {
          ended = true;
          break;
        }
        if (WHITESPACE.includes(c)) {
          if (token || quoted) break;
        } else if (commenters.includes(c)) {
          readLine();
        } else if (c === ESCAPE) {
          escapedState = 'a';
          state = c;
        } else if (QUOTES.includes(c)) {
          state = c;
        } else {
          token = c;
          state = 'a';
        }
      } else if (QUOTES.includes(state)) {
        quoted = true;
        if (c === '') throw new ShlexError('no closing quotation');
        if (c === state) state = 'a';
        else if (c === ESCAPE && ESCAPED_QUOTES.includes(state)) {
          escapedState = state;
          state = c;
        } else token += c;
      } else if (state === ESCAPE) {
        if (c === '') throw new ShlexError('no escaped character');
        if (QUOTES.includes(escapedState) && c !== state && c !== escapedState) token += state;
        token += c;
        state = escapedState;
      } else {
        // state 'a'
        if (c === '') {
          ended = true;
          break;
        }
        if (WHITESPACE.includes(c)) {
          state = ' ';
          if (token || quoted) break;
        } else if (commenters.includes(c)) {
          readLine();
          state = ' ';
          if (token || quoted) break;
        } else if (QUOTES.includes(c)) {
          state = c;
        } else if (c === ESCAPE) {
          escapedState = 'a';
          state = c;
        } else token += c;
      }
    }
    if (token || quoted) words.push({ word: token, at });
    if (ended) return words;
  }
}

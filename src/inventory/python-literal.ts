// The INI inventory's values: Ansible reads each one with Python's ast.literal_eval and keeps the text as it is
// when that fails. So `1` is a number, `True` a boolean, `'a b'` the string a b, `[1, 2]` a list, while `true`,
// `007`, `1+2` and `hello` stay strings. This reads the same literals (numbers, strings and their prefixes,
// True/False/None, tuples, lists, dicts, sets) and says "not a literal" for everything else.

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

class NotLiteral extends Error {}

/** The value literal_eval gives for `text`, or undefined when it is no Python literal. */
export function pythonLiteral(text: string): { value: Value } | undefined {
  const reader = new Reader(text.replace(/^[ \t]+/, ''));
  try {
    const value = reader.expressionList(true);
    reader.end();
    return { value };
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*[eE][+-]?\d(?:_?\d)*|[1-9](?:_?\d)*|0(?:_?0)*)(?![\w.])/;
const STRING_PREFIX = /^(?:[rRuU]|[bB]|[bB][rR]|[rR][bB])?(?=['"])/;
const NAME = /^[A-Za-z_]\w*/;
const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  private skip(): void {
    while (this.i < this.s.length && ' \t\f'.includes(this.s[this.i]!)) this.i++;
  }

  private peek(): string {
    this.skip();
    return this.s[this.i] ?? '';
  }

  private eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.i++;
    return true;
  }

  end(): void {
    this.skip();
    // A comment may follow the expression, as in any Python source.
    if (this.i < this.s.length && this.s[this.i] !== '#') throw new NotLiteral();
  }

  /** `a, b` is a tuple (a list once it is JSON); `a` alone is itself. */
  expressionList(top: boolean): Value {
    const first = this.value();
    if (this.peek() !== ',') return first;
    const items = [first];
    while (this.eat(',')) {
      const c = this.peek();
      if (c === '' || c === '#' || (!top && c === ')')) break;
      items.push(this.value());
    }
    return items;
  }

  private value(): Value {
    const c = this.peek();
    if (c === '+' || c === '-') {
      this.i++;
      const n = this.number();
      if (n === undefined) throw new NotLiteral();
      return c === '-' ? -n : n;
    }
    const n = this.number();
    if (n !== undefined) return n;
    const rest = this.s.slice(this.i);
    if (STRING_PREFIX.test(rest)) return this.strings();
    if (c === '(') return this.parenthesised();
    if (c === '[') return this.list();
    if (c === '{') return this.braces();
    const name = NAME.exec(rest)?.[0];
    this.i += name?.length ?? 0;
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    throw new NotLiteral();
  }

  private number(): number | undefined {
    this.skip();
    const m = NUMBER.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    // An imaginary number is a literal to Python but no JSON value: not one here.
    if (/^[jJ]/.test(this.s.slice(this.i))) throw new NotLiteral();
    const t = m[0].replace(/_/g, '');
    if (/^0[xX]/.test(t)) return Number.parseInt(t.slice(2), 16);
    if (/^0[oO]/.test(t)) return Number.parseInt(t.slice(2), 8);
    if (/^0[bB]/.test(t)) return Number.parseInt(t.slice(2), 2);
    return Number(t);
  }

  /** Adjacent string literals are one string, as in Python source. */
  private strings(): string {
    let out = '';
    let kind: 'str' | 'bytes' | undefined;
    for (;;) {
      this.skip();
      const prefix = STRING_PREFIX.exec(this.s.slice(this.i))?.[0];
      if (prefix === undefined) break;
      const bytes = /[bB]/.test(prefix);
      // Python refuses to join bytes and str literals.
      if (kind !== undefined && (kind === 'bytes') !== bytes) throw new NotLiteral();
      kind = bytes ? 'bytes' : 'str';
      this.i += prefix.length;
      out += this.string(/[rR]/.test(prefix), bytes);
    }
    return out;
  }

  private string(raw: boolean, bytes: boolean): string {
    const triple = this.s.startsWith(this.s[this.i]!.repeat(3), this.i);
    const quote = this.s[this.i]!.repeat(triple ? 3 : 1);
    this.i += quote.length;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new NotLiteral();
      if (this.s.startsWith(quote, this.i)) {
        this.i += quote.length;
        return out;
      }
      const c = this.s[this.i]!;
      if (c === '\n' && !triple) throw new NotLiteral();
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const next = this.s[this.i + 1];
      if (next === undefined) throw new NotLiteral();
      if (raw) {
        // A raw string keeps the backslash, and the quote it escapes does not end it.
        out += c + next;
        this.i += 2;
        continue;
      }
      out += this.escape(next, bytes);
    }
  }

  private escape(next: string, bytes: boolean): string {
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      this.i += 2;
      return simple;
    }
    const rest = this.s.slice(this.i + 1);
    const octal = /^[0-7]{1,3}/.exec(rest)?.[0];
    if (octal) {
      this.i += 1 + octal.length;
      return String.fromCodePoint(Number.parseInt(octal, 8));
    }
    const hex = next === 'x' ? /^x([0-9a-fA-F]{2})/.exec(rest) : bytes ? null : /^(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(rest);
    if (hex) {
      const code = Number.parseInt(hex[1] ?? hex[2]!, 16);
      if (code > 0x10ffff) throw new NotLiteral();
      this.i += 1 + hex[0].length;
      return String.fromCodePoint(code);
    }
    // \x, \u and \U without their digits, and \N{NAME} (which needs Unicode's names), are errors or unread here.
    if ('xuUN'.includes(next) && !(bytes && 'uUN'.includes(next))) throw new NotLiteral();
    // Python keeps an unknown escape as it is written.
    this.i += 2;
    return `\\${next}`;
  }

  private parenthesised(): Value {
    this.i++;
    if (this.eat(')')) return [];
    const v = this.expressionList(false);
    if (!this.eat(')')) throw new NotLiteral();
    return v;
  }

  private list(): Value[] {
    this.i++;
    const items: Value[] = [];
    while (!this.eat(']')) {
      items.push(this.value());
      if (!this.eat(',') && this.peek() !== ']') throw new NotLiteral();
    }
    return items;
  }

  /** `{}` and `{k: v}` are dicts, `{a, b}` a set (a list once it is JSON). */
  private braces(): Value {
    this.i++;
    if (this.eat('}')) return {};
    const first = this.value();
    if (!this.eat(':')) {
      const items = [first];
      while (this.eat(',') && this.peek() !== '}') items.push(this.value());
      if (!this.eat('}')) throw new NotLiteral();
      return items.filter((v, i) => items.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
    }
    const dict: Record<string, Value> = {};
    let key = first;
    for (;;) {
      dict[jsonKey(key)] = this.value();
      if (!this.eat(',') || this.peek() === '}') break;
      key = this.value();
      if (!this.eat(':')) throw new NotLiteral();
    }
    if (!this.eat('}')) throw new NotLiteral();
    return dict;
  }
}

/** The key json.dumps writes for a Python dict key; lists and dicts cannot be keys (unhashable). */
function jsonKey(key: Value): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  if (key === true) return 'true';
  if (key === false) return 'false';
  if (key === null) return 'null';
  throw new NotLiteral();
}

/**
 * Ansible's second look at rendered text (`ansible_eval_concat`, jinja2_native off): a task argument or a
 * variable that renders to text starting with `[` or `{`, or to exactly `True` or `False`, becomes the
 * value that text spells as a Python literal (`ast.literal_eval`, with JSON's true/false/null read as
 * Python's). Text that is no literal stays text; so do numbers, `None` and quoted strings on their own.
 */
import { setKey } from '../expr/values.js';

/** The value `text` stands for under Ansible's rule, or `text` itself. */
export function textToValue(text: string): unknown {
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (!text.startsWith('[') && !text.startsWith('{')) return text;
  const parsed = parseLiteral(text);
  return parsed ? parsed.value : text;
}

// Ansible's STRING_TYPE_FILTERS: a lone output of one of them stays text
const KEEP = '(?:string|to_json|to_nice_json|to_yaml|to_nice_yaml|ppretty|json)';
const LAST_FILTER = new RegExp(String.raw`\|\s*${KEEP}\s*(?:\([^()]*\))?\s*[-~+]?$`);
// the same filters called as Handlebars helpers: {{to_json d}}
const HELPER_CALL = new RegExp(String.raw`^[{~-]*\s*${KEEP}\s`);

/** Whether an output expression ends in a filter whose text Ansible keeps as text (`x | to_json`, `x | string`). */
export function keepsText(expr: string): boolean {
  const body = expr.trim();
  return LAST_FILTER.test(body) || HELPER_CALL.test(body);
}

/**
 * The value of a Python literal expression (lists, tuples, dicts, sets, strings, numbers, True/False/None);
 * undefined when `text` is none. Tuples and sets come back as lists, bytes as text. Where Python's value has
 * no JSON form and Ansible fails later (complex numbers, list keys), the text is no literal here.
 */
export function parseLiteral(text: string): { value: unknown } | undefined {
  try {
    const reader = new Reader(text);
    const value = reader.expression();
    reader.end();
    return { value };
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

class NotLiteral extends Error {}

const NAMES: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null };
// Python's number tokens; an imaginary `j` suffix is refused after the match
const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)?)/;
const STRING_START = /^([rRuUbB]|[rR][bB]|[bB][rR])?('''|"""|'|")/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

// a recursive-descent reader of one literal; throws NotLiteral
class Reader {
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  end(): void {
    this.space();
    if (this.i < this.s.length) throw new NotLiteral();
  }

  expression(): unknown {
    this.space();
    const c = this.s[this.i];
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.parens();
    if (c === '{') return this.braces();
    if (c === '-' || c === '+') {
      this.i++;
      this.space();
      const n = this.number();
      return c === '-' ? -n : n;
    }
    if (STRING_START.test(this.s.slice(this.i, this.i + 5))) return this.strings();
    if (/[\d.]/.test(c ?? '')) return this.number();
    const name = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i))?.[0];
    if (name && Object.hasOwn(NAMES, name)) {
      this.i += name.length;
      return NAMES[name];
    }
    throw new NotLiteral();
  }

  // whitespace, newlines (always inside brackets here), comments and line continuations
  private space(): void {
    for (;;) {
      const m = /^(?:[ \t\f\r\n]+|#[^\n]*|\\\r?\n)/.exec(this.s.slice(this.i));
      if (!m) return;
      this.i += m[0].length;
    }
  }

  private eat(ch: string): boolean {
    this.space();
    if (this.s[this.i] !== ch) return false;
    this.i++;
    return true;
  }

  // items up to `close`, a trailing comma allowed; `trailing` tells whether one was written
  private items(close: string, item: () => void): { count: number; trailing: boolean } {
    // Python's parser stops at 200 nested brackets
    if (++this.depth > 200) throw new NotLiteral();
    let count = 0;
    let trailing = false;
    while (!this.eat(close)) {
      if (count && !trailing) throw new NotLiteral();
      item();
      count++;
      trailing = this.eat(',');
    }
    this.depth--;
    return { count, trailing };
  }

  private sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.items(close, () => out.push(this.expression()));
    return out;
  }

  // (x) is x; (x,), (x, y) and () are tuples, which come back as lists
  private parens(): unknown {
    this.i++;
    const out: unknown[] = [];
    const { count, trailing } = this.items(')', () => out.push(this.expression()));
    return count === 1 && !trailing ? out[0] : out;
  }

  // {} and {k: v} are dicts; {a, b} is a set, which comes back as a list without repeats
  private braces(): unknown {
    this.i++;
    const dict: Record<string, unknown> = {};
    const set: unknown[] = [];
    let kind: 'dict' | 'set' | undefined;
    this.items('}', () => {
      const key = this.expression();
      const isPair = this.eat(':');
      if ((kind ??= isPair ? 'dict' : 'set') !== (isPair ? 'dict' : 'set')) throw new NotLiteral();
      if (isPair) setKey(dict, keyText(key), this.expression());
      else if (!set.some((x) => hashKey(x) === hashKey(key))) set.push(key);
    });
    return kind === 'set' ? set : dict;
  }

  private number(): number {
    const m = NUMBER.exec(this.s.slice(this.i));
    if (!m || m[0] === '.') throw new NotLiteral();
    const text = m[0].replace(/_/g, '');
    this.i += m[0].length;
    // 1j is complex, 1x or 1if no number; 012 is a syntax error in Python 3
    if (/^[\w]/.test(this.s.slice(this.i)) || /^0\d*[1-9]\d*$/.test(text)) throw new NotLiteral();
    if (/^0[oO]/.test(text)) return Number.parseInt(text.slice(2), 8);
    if (/^0[bB]/.test(text)) return Number.parseInt(text.slice(2), 2);
    return Number(text);
  }

  // one or more adjacent string literals, joined as Python does
  private strings(): string {
    let out = '';
    let bytes: boolean | undefined;
    for (;;) {
      const m = STRING_START.exec(this.s.slice(this.i, this.i + 5));
      if (!m) return out;
      const prefix = (m[1] ?? '').toLowerCase();
      const isBytes = prefix.includes('b');
      if (bytes !== undefined && bytes !== isBytes) throw new NotLiteral();
      bytes = isBytes;
      this.i += m[0].length;
      out += this.stringBody(m[2], prefix.includes('r'));
      this.space();
    }
  }

  private stringBody(quote: string, raw: boolean): string {
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new NotLiteral();
      if (this.s.startsWith(quote, this.i)) {
        this.i += quote.length;
        return out;
      }
      const c = this.s[this.i++];
      if (c === '\n' && quote.length === 1) throw new NotLiteral();
      if (c !== '\\') {
        out += c;
        continue;
      }
      const next = this.s[this.i] ?? '';
      if (raw) {
        // a raw string keeps the backslash, and the quote after it does not end the string
        out += c + next;
        this.i++;
        continue;
      }
      out += this.escape(next);
    }
  }

  private escape(next: string): string {
    this.i++;
    if (Object.hasOwn(ESCAPES, next)) return ESCAPES[next];
    const octal = /^[0-7]{1,3}/.exec(this.s.slice(this.i - 1));
    if (octal) {
      this.i += octal[0].length - 1;
      return String.fromCodePoint(Number.parseInt(octal[0], 8));
    }
    const width = { x: 2, u: 4, U: 8 }[next];
    if (width) {
      const hex = this.s.slice(this.i, this.i + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new NotLiteral();
      this.i += width;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) throw new NotLiteral();
      return String.fromCodePoint(code);
    }
    // \N{name} needs Unicode's name table: not a literal we read
    if (next === 'N') throw new NotLiteral();
    return `\\${next}`;
  }
}

// a dict key as the JSON text Ansible's output shows it: True -> "true", None -> "null", 2 -> "2"
function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean' || typeof key === 'number') return String(key);
  // lists are unhashable in Python, tuples have no JSON form
  throw new NotLiteral();
}

function hashKey(v: unknown): string {
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) throw new NotLiteral();
  return typeof v === 'string' ? `s${v}` : `v${String(v === true ? 1 : v === false ? 0 : v)}`;
}

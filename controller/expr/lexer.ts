/** Splits an expression into tokens: names, numbers, strings and operators, each with its offset. */

/** One token. `value` is the decoded literal for strings and numbers. */
export type Token =
  | { type: 'name'; text: string; at: number }
  | { type: 'number'; text: string; value: number; at: number }
  | { type: 'string'; text: string; value: string; at: number }
  | { type: 'op'; text: string; at: number }
  | { type: 'end'; text: ''; at: number };

/** Thrown by the lexer and parser; the caller turns it into E_EXPR with a caret. */
export class SyntaxProblem {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

// longest first, so `//` wins over `/` and `<=` over `<`
const OPS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', ':', '.', '|'];
const WRONG_OPS: Record<string, string> = Object.assign(Object.create(null), { '&&': 'and', '||': 'or' });
const ESCAPES: Record<string, string> = Object.assign(Object.create(null), { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' });

/** Tokenizes `src`; the last token is always `end`. Throws SyntaxProblem. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c) || (c === '@' && /[A-Za-z_]/.test(src[i + 1] ?? ''))) {
      // `@index`, `@key`: Handlebars' block data, readable from expressions inside {{#each}}
      const m = /^@?[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ type: 'name', text: m[0], at: i });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^(?:\d[\d_]*)(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      tokens.push({ type: 'number', text: m[0], value: Number(m[0].replace(/_/g, '')), at: i });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      const [value, end] = readString(src, i);
      tokens.push({ type: 'string', text: src.slice(i, end), value, at: i });
      i = end;
    } else if (WRONG_OPS[src.slice(i, i + 2)] ?? (c === '!' && src[i + 1] !== '=')) {
      const word = WRONG_OPS[src.slice(i, i + 2)] ?? 'not';
      throw new SyntaxProblem(`unexpected "${src.slice(i, i + (word === 'not' ? 1 : 2))}" (write ${word})`, i);
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new SyntaxProblem(`unexpected character "${c}"`, i);
      tokens.push({ type: 'op', text: op, at: i });
      i += op.length;
    }
  }
  tokens.push({ type: 'end', text: '', at: src.length });
  return tokens;
}

function readString(src: string, start: number): [string, number] {
  const quote = src[start];
  let out = '';
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i];
    if (c === quote) return [out, i + 1];
    if (c === '\\' && i + 1 < src.length) {
      const next = src[++i];
      // unknown escapes keep their backslash, as Python does ('\d' stays '\d': handy in regexes)
      out += ESCAPES[next] ?? `\\${next}`;
    } else {
      out += c;
    }
  }
  throw new SyntaxProblem('unterminated string', start);
}

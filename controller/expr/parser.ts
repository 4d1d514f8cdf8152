/**
 * A recursive-descent parser for Jinja's expression subset, with Jinja's precedence (lowest first):
 * `a if c else b`, `or`, `and`, `not`, comparisons and `in`, `+ -`, `~`, `* / // %`, `**`, unary `-`,
 * then primaries with `.attr`, `[index]`, `(call)`, `| filter` and `is test`.
 */
import type { Args, BinaryOp, Expr } from './ast.js';
import { SyntaxProblem, tokenize, type Token } from './lexer.js';

const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>=']);
// null-prototype tables: `constructor` must not look like a known word
const LITERALS: Record<string, unknown> = Object.assign(Object.create(null), { true: true, True: true, false: false, False: false, none: null, None: null });
// words that end a bare test argument (`x is divisibleby 3` takes one, `x is defined and y` does not)
const STOP_WORDS = new Set(['and', 'or', 'else', 'if', 'in', 'is', 'not']);
// operator words never name a variable
const KEYWORDS = new Set(['and', 'or', 'else', 'if', 'in', 'is']);

/** Parses one expression; throws SyntaxProblem with the offset of the offending token. */
export function parse(src: string): Expr {
  const p = new Parser(tokenize(src));
  const e = p.expr();
  p.expectEnd();
  return e;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  expr(): Expr {
    let e = this.or();
    while (this.isName('if')) {
      const at = this.next().at;
      const test = this.or();
      const otherwise = this.isName('else') ? (this.next(), this.expr()) : undefined;
      e = { kind: 'cond', test, then: e, otherwise, at };
    }
    return e;
  }

  expectEnd(): void {
    if (this.peek().type !== 'end') this.unexpected();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isName('or')) {
      const at = this.next().at;
      left = { kind: 'logic', op: 'or', left, right: this.and(), at };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isName('and')) {
      const at = this.next().at;
      left = { kind: 'logic', op: 'and', left, right: this.not(), at };
    }
    return left;
  }

  private not(): Expr {
    if (this.isName('not')) {
      const at = this.next().at;
      return { kind: 'not', operand: this.not(), at };
    }
    return this.compare();
  }

  private compare(): Expr {
    const first = this.sum();
    const rest: [BinaryOp, Expr][] = [];
    for (;;) {
      const t = this.peek();
      let op: BinaryOp;
      if (t.type === 'op' && COMPARE.has(t.text)) op = t.text as BinaryOp;
      else if (this.isName('in')) op = 'in';
      else if (this.isName('not') && this.isName('in', 1)) (op = 'not in'), this.next();
      else break;
      this.next();
      rest.push([op, this.sum()]);
    }
    return rest.length ? { kind: 'compare', first, rest, at: first.at } : first;
  }

  private sum(): Expr {
    return this.binary(['+', '-'], () => this.concat());
  }

  private concat(): Expr {
    return this.binary(['~'], () => this.product());
  }

  private product(): Expr {
    return this.binary(['*', '/', '//', '%'], () => this.power());
  }

  private power(): Expr {
    return this.binary(['**'], () => this.unary(true));
  }

  private binary(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    for (let t = this.peek(); t.type === 'op' && ops.includes(t.text); t = this.peek()) {
      this.next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: operand(), at: t.at };
    }
    return left;
  }

  private unary(withFilters: boolean): Expr {
    const t = this.peek();
    let e: Expr;
    if (this.isOp('-')) {
      this.next();
      e = { kind: 'neg', operand: this.unary(false), at: t.at };
    } else if (this.isOp('+')) {
      this.next();
      e = this.unary(false);
    } else {
      e = this.postfix(this.primary());
    }
    return withFilters ? this.filters(e) : e;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.type === 'name') {
      if (KEYWORDS.has(t.text)) return this.unexpected(t);
      if (t.text in LITERALS) return { kind: 'literal', value: LITERALS[t.text], at: t.at };
      return { kind: 'name', name: t.text, at: t.at };
    }
    if (t.type === 'number') return { kind: 'literal', value: t.value, at: t.at };
    if (t.type === 'string') {
      let value = t.value;
      // adjacent string literals join, as in Python
      while (this.peek().type === 'string') value += (this.next() as { value: string }).value;
      return { kind: 'literal', value, at: t.at };
    }
    if (t.type === 'op' && t.text === '(') return this.group(t.at);
    if (t.type === 'op' && t.text === '[') {
      const items = this.list(']', () => this.expr());
      return { kind: 'list', items, at: t.at };
    }
    if (t.type === 'op' && t.text === '{') {
      const entries = this.list('}', (): [Expr, Expr] => {
        const key = this.expr();
        this.expectOp(':');
        return [key, this.expr()];
      });
      return { kind: 'dict', entries, at: t.at };
    }
    return this.unexpected(t);
  }

  // `(a)` groups; `(a, b)` and `()` are tuples, which we treat as lists
  private group(at: number): Expr {
    if (this.isOp(')')) return (this.next(), { kind: 'list', items: [], at });
    const first = this.expr();
    if (this.isOp(')')) return (this.next(), first);
    if (this.peek().type === 'end') this.unexpected(this.peek(), '")"');
    this.expectOp(',');
    const items = [first, ...this.list(')', () => this.expr())];
    return { kind: 'list', items, at };
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.type !== 'name' && name.type !== 'number') return this.unexpected(name, 'an attribute name after "."');
        e = { kind: 'attr', object: e, name: name.text, at: name.at };
      } else if (this.isOp('[')) {
        this.next();
        e = this.subscript(e, t.at);
      } else if (this.isOp('(')) {
        this.next();
        e = { kind: 'call', callee: e, ...this.args(), at: t.at };
      } else {
        return e;
      }
    }
  }

  private subscript(object: Expr, at: number): Expr {
    const start = this.isOp(':') ? undefined : this.expr();
    if (this.isOp(']')) {
      this.next();
      if (!start) return this.unexpected();
      return { kind: 'index', object, index: start, at };
    }
    this.expectOp(':');
    const stop = this.isOp(']') ? undefined : this.expr();
    this.expectOp(']');
    return { kind: 'slice', object, start, stop, at };
  }

  private filters(e: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        const name = this.dottedName();
        const args = this.isOp('(') ? (this.next(), this.args()) : { args: [], kwargs: [] };
        e = { kind: 'filter', value: e, name: name.text, ...args, at: name.at };
      } else if (this.isName('is')) {
        this.next();
        const negated = this.isName('not') ? (this.next(), true) : false;
        const name = this.dottedName();
        let args: Args = { args: [], kwargs: [] };
        if (this.isOp('(')) args = (this.next(), this.args());
        else if (this.startsBareArgument()) args = { args: [this.postfix(this.primary())], kwargs: [] };
        e = { kind: 'test', value: e, name: name.text, negated, ...args, at: name.at };
      } else {
        return e;
      }
    }
  }

  private startsBareArgument(): boolean {
    const t = this.peek();
    if (t.type === 'string' || t.type === 'number') return true;
    if (t.type === 'name') return !STOP_WORDS.has(t.text);
    return t.type === 'op' && (t.text === '[' || t.text === '{');
  }

  // `ansible.builtin.to_json` names the same filter as `to_json`
  private dottedName(): Token {
    let name = this.next();
    if (name.type !== 'name') return this.unexpected(name, 'a filter or test name');
    while (this.isOp('.') && this.peek(1).type === 'name') {
      this.next();
      name = this.next();
    }
    return name;
  }

  private args(): Args {
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    this.list(')', () => {
      if (this.peek().type === 'name' && this.isOp('=', 1)) {
        const key = this.next().text;
        this.next();
        kwargs.push([key, this.expr()]);
      } else {
        args.push(this.expr());
      }
    });
    return { args, kwargs };
  }

  // comma-separated items up to `close`, trailing comma allowed; the opener is already consumed
  private list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    while (!this.isOp(close)) {
      out.push(item());
      if (!this.isOp(close)) this.expectOp(',');
    }
    this.next();
    return out;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isOp(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'op' && t.text === text;
  }

  private isName(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'name' && t.text === text;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) this.unexpected(this.peek(), `"${text}"`);
    this.next();
  }

  private unexpected(t: Token = this.peek(), wanted?: string): never {
    const want = wanted ? `, expected ${wanted}` : '';
    if (t.type === 'end') throw new SyntaxProblem(`the expression ends too early${want}`, t.at);
    const hint = t.text === '=' ? ' (use == to compare)' : '';
    throw new SyntaxProblem(`unexpected "${t.text}"${want}${hint}`, t.at);
  }
}

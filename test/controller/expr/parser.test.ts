import t from 'tap';
import type { Expr } from '../../../controller/expr/ast.js';
import { SyntaxProblem } from '../../../controller/expr/lexer.js';
import { parse } from '../../../controller/expr/parser.js';

// the tree as compact text, so precedence is easy to read in the table
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'name':
      return e.name;
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    case 'dict':
      return `{${e.entries.map(([k, v]) => `${show(k)}: ${show(v)}`).join(', ')}}`;
    case 'attr':
      return `${show(e.object)}.${e.name}`;
    case 'index':
      return `${show(e.object)}[${show(e.index)}]`;
    case 'slice':
      return `${show(e.object)}[${e.start ? show(e.start) : ''}:${e.stop ? show(e.stop) : ''}]`;
    case 'call':
    case 'filter':
    case 'test': {
      const args = [...e.args.map(show), ...e.kwargs.map(([k, v]) => `${k}=${show(v)}`)].join(', ');
      if (e.kind === 'call') return `${show(e.callee)}(${args})`;
      if (e.kind === 'filter') return `(${show(e.value)} | ${e.name}(${args}))`;
      return `(${show(e.value)} is ${e.negated ? 'not ' : ''}${e.name}(${args}))`;
    }
    case 'not':
      return `(not ${show(e.operand)})`;
    case 'neg':
      return `(-${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'compare':
      return `(${show(e.first)}${e.rest.map(([op, x]) => ` ${op} ${show(x)}`).join('')})`;
    case 'logic':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'cond':
      return `(${show(e.then)} if ${show(e.test)} else ${e.otherwise ? show(e.otherwise) : '-'})`;
  }
}

const trees: [string, string][] = [
  ['x', 'x'],
  ['a.b.c', 'a.b.c'],
  ["a['b'][0]", 'a["b"][0]'],
  ['a.0', 'a.0'],
  ['1 + 2 * 3', '(1 + (2 * 3))'],
  ['(1 + 2) * 3', '((1 + 2) * 3)'],
  ['2 ** 3 ** 2', '((2 ** 3) ** 2)'],
  ['a ~ b + c', '((a ~ b) + c)'],
  ['a + b ~ c', '(a + (b ~ c))'],
  ['-x | abs', '((-x) | abs())'],
  ['not a and b or c', '(((not a) and b) or c)'],
  ['a or b and c', '(a or (b and c))'],
  ['not x is defined', '(not (x is defined()))'],
  ['a == 1 and b != 2', '((a == 1) and (b != 2))'],
  ['1 < x <= 3', '(1 < x <= 3)'],
  ["'a' in xs", '("a" in xs)'],
  ["'a' not in xs", '("a" not in xs)'],
  ['x is not none', '(x is not none())'],
  ["x is match('^a')", '(x is match("^a"))'],
  ['x is divisibleby 3', '(x is divisibleby(3))'],
  ['x is defined and y', '((x is defined()) and y)'],
  ["x | default('y') | upper", '((x | default("y")) | upper())'],
  ["xs | join(d=', ')", '(xs | join(d=", "))'],
  ['x | ansible.builtin.to_json', '(x | to_json())'],
  ["'a' if c else 'b'", '("a" if c else "b")'],
  ["'a' if c", '("a" if c else -)'],
  ['a if b else c if d else e', '(a if b else (c if d else e))'],
  ["name.startswith('web')", 'name.startswith("web")'],
  ['xs[1:]', 'xs[1:]'],
  ['xs[:-1]', 'xs[:(-1)]'],
  ['[1, 2,]', '[1, 2]'],
  ["{'a': 1, 'b': [x]}", '{"a": 1, "b": [x]}'],
  ['(1, 2)', '[1, 2]'],
  ['()', '[]'],
  ['true and False or none', '((true and false) or null)'],
  ['1.5e3', '1500'],
  ['1_000', '1000'],
  [`'it\\'s' "a\\nb" 'c'`, '"it\'sa\\nbc"'],
  ["'\\d+'", '"\\\\d+"'],
  ['@index + 1', '(@index + 1)'],
  ['a // b % c', '((a // b) % c)'],
];

t.test('parses with Jinja precedence', async (t) => {
  for (const [src, want] of trees) t.equal(show(parse(src)), want, src);
});

t.test('nodes remember their offset', async (t) => {
  const e = parse('a  ==  b');
  t.equal(e.kind, 'compare');
  t.equal((e as Extract<Expr, { kind: 'compare' }>).rest[0][1].at, 7);
});

const errors: [string, RegExp, number][] = [
  ['x = 1', /unexpected "=" \(use == to compare\)/, 2],
  ['a && b', /unexpected "&&" \(write and\)/, 2],
  ['a || b', /unexpected "\|\|" \(write or\)/, 2],
  ['!a', /unexpected "!" \(write not\)/, 0],
  ['a ==', /ends too early/, 4],
  ["'abc", /unterminated string/, 0],
  ['a b', /unexpected "b"/, 2],
  ['(a', /ends too early, expected "\)"/, 2],
  ['[1 2]', /unexpected "2", expected ","/, 3],
  ['x | ', /ends too early, expected a filter or test name/, 4],
  ['a.', /expected an attribute name/, 2],
  ['x $ y', /unexpected character "\$"/, 2],
  ['xs[]', /unexpected "\]"/, 3],
  ['', /ends too early/, 0],
  ['a and and b', /unexpected "and"/, 6],
  ['in', /unexpected "in"/, 0],
];

t.test('syntax errors say what and where', async (t) => {
  for (const [src, message, at] of errors) {
    try {
      parse(src);
      t.fail(`${src} should not parse`);
    } catch (e) {
      t.type(e, SyntaxProblem, src);
      t.match((e as SyntaxProblem).message, message, src);
      t.equal((e as SyntaxProblem).at, at, `${src}: offset`);
    }
  }
});

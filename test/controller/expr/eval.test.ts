import t from 'tap';
import { evalExpr } from '../../../controller/expr/index.js';
import { MusterError } from '../../../shared/errors.js';

const vars = {
  n: 7,
  f: 2.5,
  s: 'Hello',
  empty: '',
  zero: 0,
  nothing: null,
  yes: true,
  no: false,
  xs: [3, 1, 2],
  none_list: [],
  d: { a: 1, b: { c: 'deep' }, 'odd key': 'odd' },
  none_dict: {},
  users: [
    { name: 'ann', admin: true, groups: ['wheel'] },
    { name: 'bob', admin: false, groups: [] },
  ],
  ver: '12',
  url: 'http://{{ s | lower }}/',
  ports: '{{ [80, 443] }}',
};
const where = { host: 'h1', task: 'check', pos: { file: 'play.yml', line: 4, col: 11 } };

const cases: [string, unknown][] = [
  // literals
  ['1', 1],
  ['-3', -3],
  ['1.5', 1.5],
  ["'a'", 'a'],
  ['"b"', 'b'],
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['none', null],
  ['None', null],
  ['[1, "a", [2]]', [1, 'a', [2]]],
  ["{'k': 1, 'l': [n]}", { k: 1, l: [7] }],
  ['(1, 2)', [1, 2]],
  // names and paths
  ['n', 7],
  ['d.a', 1],
  ['d.b.c', 'deep'],
  ["d['b']['c']", 'deep'],
  ["d['odd key']", 'odd'],
  ['xs[0]', 3],
  ['xs[-1]', 2],
  ['xs.1', 1],
  ['users[1].name', 'bob'],
  ['s[0]', 'H'],
  ['xs[1:]', [1, 2]],
  ['s[:-1]', 'Hell'],
  ['d', { a: 1, b: { c: 'deep' }, 'odd key': 'odd' }],
  // lazy variables
  ['url', 'http://hello/'],
  ['ports', [80, 443]],
  ['ports | length', 2],
  ['443 in ports', true],
  // arithmetic
  ['n + 1', 8],
  ['n - 10', -3],
  ['n * 2', 14],
  ['n / 2', 3.5],
  ['n // 2', 3],
  ['n % 3', 1],
  // floor division and modulo round toward minus infinity, as Python's (truncating would give -3 and -1)
  ['-7 // 2', -4],
  ['7 // -2', -4],
  ['-n // 2', -4],
  ['-7.5 // 2', -4],
  ['0 - 7 // 2', -3], // // binds tighter than binary minus
  ['-7 % 2', 1],
  ['7 % -2', -1],
  ['-2 ** 2', 4], // Jinja's unary minus binds tighter than ** (Python's would give -4)
  ['-7 % 3', 2],
  ['2 ** 10', 1024],
  ['f * 2', 5],
  ["s + ' world'", 'Hello world'],
  ['xs + [4]', [3, 1, 2, 4]],
  ["'-' * 3", '---'],
  ['[0] * 2', [0, 0]],
  ['s ~ n', 'Hello7'],
  ['yes ~ nothing', 'TrueNone'],
  ['xs ~ ""', '[3, 1, 2]'],
  ['true + 1', 2],
  // comparison
  ['n == 7', true],
  ['n == 7.0', true],
  ['n != 7', false],
  ['n > 3', true],
  ['n >= 7', true],
  ['n < 7', false],
  ['1 < n < 10', true],
  ['1 < n < 5', false],
  ["s == 'Hello'", true],
  ["'a' < 'b'", true],
  ['[1, 2] < [1, 3]', true],
  ['d.b == {"c": "deep"}', true],
  ['xs == [3, 1, 2]', true],
  ['nothing == none', true],
  ['yes == 1', true],
  ['ver | int > 11', true],
  // membership
  ['1 in xs', true],
  ['5 in xs', false],
  ['5 not in xs', true],
  ["'ell' in s", true],
  ["'a' in d", true],
  ["'z' in d", false],
  // logic, Python style
  ['yes and n', 7],
  ['no and n', false],
  ['empty or "fallback"', 'fallback'],
  ['s or "fallback"', 'Hello'],
  ['not empty', true],
  ['not xs', false],
  ['not none_list', true],
  ['not none_dict', true],
  ['not zero', true],
  ['not nothing', true],
  // conditional expression
  ["'big' if n > 5 else 'small'", 'big'],
  ["'big' if n > 50 else 'small'", 'small'],
  ["'big' if n > 50", null],
  // tests
  ['n is defined', true],
  ['missing is defined', false],
  ['missing is undefined', true],
  ['missing.deeper.still is defined', false],
  ['d.zz is defined', false],
  ['d.b.c is defined', true],
  ['xs[10] is defined', false],
  ['nothing is none', true],
  ['n is not none', true],
  ['not missing is defined', true],
  // filters with undefined
  ["missing | default('x')", 'x'],
  ["missing | d('x')", 'x'],
  ["d.zz | default('x')", 'x'],
  ["empty | default('x')", ''],
  ["empty | default('x', true)", 'x'],
  ["empty | default('x', boolean=true)", 'x'],
  ["nothing | default('x')", null],
  ['missing | default(n + 1)', 8],
  // methods
  ["s.startswith('He')", true],
  ["s.endswith(('x', 'lo'))", true],
  ["'a:b:c'.split(':')", ['a', 'b', 'c']],
  ["'a b  c'.split()", ['a', 'b', 'c']],
  ["'a:b:c'.split(':', 1)", ['a', 'b:c']],
  ["'  x '.strip()", 'x'],
  ["'xxaxx'.strip('x')", 'a'],
  ['s.lower()', 'hello'],
  ['s.upper()', 'HELLO'],
  ["s.replace('l', 'L')", 'HeLLo'],
  ["s.find('l')", 2],
  ["s.count('l')", 2],
  ["', '.join(['a', 'b'])", 'a, b'],
  ["'{}-{}'.format(1, 'x')", '1-x'],
  ["'{1}{0}'.format('a', 'b')", 'ba'],
  ["'12'.isdigit()", true],
  ["'7'.zfill(3)", '007'],
  ["d.get('a')", 1],
  ["d.get('zz', 5)", 5],
  ["d.get('zz')", null],
  ['none_dict.keys() | list', []],
  ['d.b.items()', [['c', 'deep']]],
  ['xs.index(2)', 2],
  ['xs.count(3)', 1],
  ["'a\\nb\\n'.splitlines()", ['a', 'b']],
  // functions
  ['range(3)', [0, 1, 2]],
  ['range(1, 7, 2)', [1, 3, 5]],
  ['range(3, 0, -1)', [3, 2, 1]],
  // omit is always defined
  ['missing | default(omit)', '__omit_place_holder__muster'],
  // block data outside a block is simply undefined
  ['@index is defined', false],
];

t.test('evaluates Jinja expressions', async (t) => {
  for (const [src, want] of cases) {
    try {
      t.same(evalExpr(src, vars, where), want, src);
    } catch (e) {
      t.fail(`${src}: ${(e as Error).message}`);
    }
  }
});

t.test('results are plain values, not proxies', async (t) => {
  const out = evalExpr('users', vars, where) as Record<string, unknown>[];
  t.same(Object.keys(out[0]), ['name', 'admin', 'groups']);
  out[0].name = 'changed';
  t.equal(vars.users[0].name, 'ann', 'a copy, the variables are untouched');
  t.ok(Array.isArray(out) && Array.isArray(out[0].groups));
});

const failures: [string, RegExp][] = [
  ['missing', /undefined variable "missing"/],
  ['constructor', /undefined variable "constructor"/],
  ['__proto__', /undefined variable "__proto__"/],
  ['d.constructor', /undefined variable "d.constructor"/],
  ['missing + 1', /undefined variable "missing"/],
  ['d.zz == 1', /undefined variable "d.zz" \(did you mean "a"\?\)/],
  ['users[5].name', /undefined variable "users\[5\]"/],
  ['missing.deeper', /undefined variable "missing"/],
  ['n + "a"', /cannot add int and string[\s\S]*\^ column 3/],
  ['ver > 11', /cannot compare string with int using >/],
  ['n / 0', /division by zero/],
  ['5 in n', /"in" needs a string, list or dict on its right, got int/],
  ['-s', /cannot negate string/],
  ['xs[1:s]', /slice bounds must be integers/],
  ['s.nope()', /string has no method \.nope\(\)/],
  ["lookup('nope', 'x')", /unknown lookup "nope"/],
  ['foo(1)', /only methods can be called/],
  ['range()', /range\(\) takes one to three integers/],
  ['n | nosuch', /unknown filter "nosuch"/],
  ['n | lenght', /unknown filter "lenght" \(did you mean "length"\?\)/],
  ['n is nosuch', /unknown test "nosuch"/],
  ["'%s' % n", /string formatting with % is not supported/],
  ['n | length', /length needs a string, list or dict, got int/],
  ['n | default(1, 2, 3)', /takes at most 2 argument/],
  ['n | join(sep=",")', /has no argument "sep"/],
  ['n ==', /invalid expression: the expression ends too early/],
];

t.test('errors are E_EXPR with the host, task and position', async (t) => {
  for (const [src, message] of failures) {
    try {
      evalExpr(src, vars, where);
      t.fail(`${src} should fail`);
    } catch (e) {
      t.type(e, MusterError, src);
      const err = e as MusterError;
      t.equal(err.code, 'E_EXPR', `${src}: code`);
      t.match(err.message, message, src);
      t.same([err.host, err.task, err.pos], [where.host, where.task, where.pos], `${src}: where`);
      t.ok(err.hint, `${src}: has a hint`);
    }
  }
});

t.test('a runtime error shows the expression with a caret under the culprit', async (t) => {
  try {
    evalExpr('n + 1 > ver', vars, where);
    t.fail('should fail');
  } catch (e) {
    t.equal((e as MusterError).message, 'cannot compare int with string using >\n    n + 1 > ver\n            ^ column 9');
  }
});

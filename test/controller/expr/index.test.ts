import t from 'tap';
import { MusterError } from '../../../shared/errors.js';
import { evalCondition, evalExpr, parseExpr } from '../../../controller/expr/index.js';

const vars = {
  os: 'Debian',
  major: '13',
  mem_mb: 900,
  enabled: 'yes',
  result: { rc: 0, changed: true, failed: false, stdout: 'active' },
  is_pi: '{{ model is search("Raspberry") }}',
  model: 'Raspberry Pi 4 Model B',
  list: [],
};
const where = { host: 'pi1', task: 'enable cgroups', pos: { file: 'site.yml', line: 12, col: 13 } };

t.test('conditions', async (t) => {
  const cases: [string | boolean | (string | boolean)[], boolean][] = [
    [true, true],
    [false, false],
    ['os == "Debian"', true],
    ["os == 'Ubuntu'", false],
    ['major | int >= 12', true],
    ['mem_mb < 1024 and enabled | bool', true],
    ['result.rc == 0', true],
    ['result is changed', true],
    ["'active' in result.stdout", true],
    ['is_pi', true],
    ['list', false],
    ['not list', true],
    ['missing is not defined', true],
    [['os == "Debian"', 'is_pi'], true],
    [['os == "Debian"', false], false],
    [[], true],
    ['{{ os == "Debian" }}', true],
    ['  {{ is_pi }}  ', true],
    ['mem_mb', true],
    ["''", false],
  ];
  for (const [cond, want] of cases) t.equal(evalCondition(cond, vars, where), want, JSON.stringify(cond));
});

t.test('a list stops at the first false condition', async (t) => {
  t.equal(evalCondition(['missing is defined', 'missing > 1'], vars, where), false);
});

t.test('condition errors', async (t) => {
  const cases: [unknown, RegExp][] = [
    ['missing', /undefined variable "missing"/],
    ['os == "x" or nope', /undefined variable "nope"/],
    ['major > 12', /cannot compare string with int/],
    ['os = "Debian"', /invalid expression: unexpected "="/],
    ['os == "{{ wanted }}"', /remove the \{\{ \}\} inside/],
    ['{% if x %}', /remove the \{\{ \}\} inside/],
    ['   ', /empty condition/],
    [null, /a condition must be an expression, got nothing/],
    [{ a: 1 }, /a condition must be an expression, got object/],
  ];
  for (const [cond, message] of cases) {
    try {
      evalCondition(cond as string, vars, where);
      t.fail(`${JSON.stringify(cond)} should fail`);
    } catch (e) {
      t.type(e, MusterError);
      const err = e as MusterError;
      t.equal(err.code, 'E_EXPR', `${JSON.stringify(cond)}: code`);
      t.match(err.message, message, JSON.stringify(cond));
      t.same([err.host, err.task, err.pos], [where.host, where.task, where.pos], `${JSON.stringify(cond)}: where`);
      t.ok(err.hint, `${JSON.stringify(cond)}: hint`);
    }
  }
});

t.test('an undefined variable inside a lazy variable names both', async (t) => {
  t.throws(() => evalCondition('url != ""', { url: 'http://{{ hots }}/' }, where), {
    code: 'E_EXPR',
    message: /undefined variable "hots" \(needed by variable "url"\)/,
  });
});

t.test('parseExpr: cached ASTs and positioned syntax errors', async (t) => {
  t.equal(parseExpr('a and b'), parseExpr('a and b'), 'the same source gives the same AST');
  const pos = { file: 'x.yml', line: 3, col: 9 };
  try {
    parseExpr('a and and b', pos);
    t.fail('should throw');
  } catch (e) {
    t.type(e, MusterError);
    t.equal((e as MusterError).code, 'E_EXPR');
    t.same((e as MusterError).pos, pos);
    t.equal((e as MusterError).message, 'invalid expression: unexpected "and"\n    a and and b\n          ^ column 7');
  }
});

t.test('evalExpr returns native values', async (t) => {
  t.same(evalExpr('[major | int, os | lower]', vars, where), [13, 'debian']);
  t.same(evalExpr('result', vars, where), vars.result);
  t.equal(evalExpr('none', vars, where), null);
});

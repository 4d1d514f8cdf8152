import t from 'tap';
import { Secret } from '../../../controller/command.js';
import { contains, equal, isDict, order, toBool, toFloat, toInt, toStr, truthy, typeName } from '../../../controller/expr/values.js';

t.test('truthy follows Python', async (t) => {
  const cases: [unknown, boolean][] = [
    [null, false],
    [undefined, false],
    [false, false],
    [0, false],
    ['', false],
    [[], false],
    [{}, false],
    [true, true],
    [1, true],
    [-1, true],
    ['0', true],
    ['false', true],
    [[0], true],
    [{ a: 0 }, true],
    [new Secret('x'), true],
  ];
  for (const [v, want] of cases) t.equal(truthy(v), want, JSON.stringify(v) ?? String(v));
});

t.test("toBool follows Ansible's boolean() (y and t included, as ansible-core 2.19's bool filter), lenient", async (t) => {
  const cases: [unknown, boolean][] = [
    ['yes', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['true', true],
    ['True', true],
    [' yes ', true],
    [1, true],
    [true, true],
    ['no', false],
    ['off', false],
    ['0', false],
    ['false', false],
    ['y', true],
    ['t', true],
    ['n', false],
    ['maybe', false],
    ['', false],
    [0, false],
    [2, false],
    [null, false],
    [[], false],
  ];
  for (const [v, want] of cases) t.equal(toBool(v), want, JSON.stringify(v));
});

t.test('toInt and toFloat parse text and fall back', async (t) => {
  const ints: [unknown, number][] = [
    [3.9, 3],
    [-3.9, -3],
    ['12', 12],
    ['-12', -12],
    ['1_000', 1000],
    ['4.7', 4],
    ['0x10', 16],
    ['-0x10', -16],
    ['0o17', 15],
    ['0b101', 5],
    [true, 1],
    [false, 0],
    ['abc', 0],
    ['', 0],
    [null, 0],
    [Infinity, 0],
  ];
  for (const [v, want] of ints) t.equal(toInt(v), want, `int ${JSON.stringify(v)}`);
  t.equal(toInt('x', 9), 9, 'fallback');
  const floats: [unknown, number][] = [
    ['2.5', 2.5],
    [' 1e3 ', 1000],
    [3, 3],
    [true, 1],
    ['x', 0],
    ['', 0],
    [null, 0],
  ];
  for (const [v, want] of floats) t.equal(toFloat(v), want, `float ${JSON.stringify(v)}`);
});

t.test('toStr is what templates print', async (t) => {
  const cases: [unknown, string][] = [
    [null, ''],
    [undefined, ''],
    ['x', 'x'],
    [5, '5'],
    [2.5, '2.5'],
    [true, 'true'],
    [false, 'false'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: 1 }, '{"a":1}'],
    [new Secret('pw'), '***'],
  ];
  for (const [v, want] of cases) t.equal(toStr(v), want, JSON.stringify(v) ?? 'undefined');
});

t.test('equal is deep and numeric like Python', async (t) => {
  t.ok(equal(1, 1.0));
  t.ok(equal(true, 1));
  t.ok(equal(null, undefined));
  t.ok(equal([1, { a: [2] }], [1, { a: [2] }]));
  t.notOk(equal([1, 2], [2, 1]));
  t.notOk(equal({ a: 1 }, { a: 1, b: 2 }));
  t.notOk(equal('1', 1));
  t.notOk(equal(null, 0));
});

t.test('order compares like types only', async (t) => {
  t.ok(order(1, 2)! < 0);
  t.ok(order('b', 'a')! > 0);
  t.equal(order([1, 2], [1, 2]), 0);
  t.ok(order([1], [1, 0])! < 0);
  t.equal(order('1', 1), undefined);
  t.equal(order(null, 1), undefined);
  t.equal(order([1, 'a'], [1, 2]), undefined);
});

t.test('contains: substring, member, key', async (t) => {
  t.equal(contains('abc', 'b'), true);
  t.equal(contains([1, [2]], [2]), true);
  t.equal(contains({ a: 1 }, 'a'), true);
  t.equal(contains({ a: 1 }, 'b'), false);
  t.equal(contains('abc', 1), undefined);
  t.equal(contains(5, 1), undefined);
});

t.test('isDict and typeName', async (t) => {
  t.ok(isDict({}));
  t.ok(isDict(Object.create(null)));
  t.notOk(isDict([]));
  t.notOk(isDict(new Secret('x')));
  t.same([null, true, 1, 1.5, 's', [], {}, new Secret('x')].map(typeName), ['none', 'bool', 'int', 'float', 'string', 'list', 'dict', 'Secret']);
});

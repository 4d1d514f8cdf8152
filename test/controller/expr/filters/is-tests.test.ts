import t from 'tap';
import { compareVersions } from '../../../../controller/expr/filters/is-tests.js';
import { failures, table } from './helpers.js';

t.test('tests on registered results', async (t) =>
  table(t, [
    ['result_ok is succeeded', true],
    ['result_ok is success', true],
    ['result_ok is failed', false],
    ['result_bad is failed', true],
    ['result_bad is failure', true],
    ['result_bad is succeeded', false],
    ['result_ok is changed', true],
    ['result_ok is change', true],
    ['result_bad is changed', false],
    ['result_skip is skipped', true],
    ['result_skip is skip', true],
    ['result_ok is skipped', false],
    ['result_ok is not failed', true],
    ['result_bad.rc != 0', true],
  ]),
);

t.test('type and value tests', async (t) =>
  table(t, [
    ['s is string', true],
    ['n is string', false],
    ['n is number', true],
    ['n is integer', true],
    ['2.5 is float', true],
    ['true is boolean', true],
    ['d is mapping', true],
    ['xs is mapping', false],
    ['xs is sequence', true],
    ['s is iterable', true],
    ['n is iterable', false],
    ['true is true', true],
    ['1 is true', false],
    ['false is false', true],
    ["'' is falsy", true],
    ['xs is truthy', true],
    ['n is odd', true],
    ['n is even', false],
    ['9 is divisibleby 3', true],
    ['9 is divisibleby(4)', false],
    ['n is eq 7', true],
    ['n is equalto(7)', true],
    ['n is ne 7', false],
    ['n is lt 8', true],
    ['n is ge 7', true],
    ['none is sameas none', true],
    ['2 is in xs', true],
    ['xs is contains 3', true],
    ["'abc' is lower", true],
    ["'ABC' is upper", true],
    ['[1, 2] is subset([1, 2, 3])', true],
    ['[1, 2, 3] is superset([3])', true],
    ['[1, true] is all', true],
    ['[0, ""] is any', false],
  ]),
);

t.test('regex tests', async (t) =>
  table(t, [
    ["s is match('Hello')", true],
    ["s is match('World')", false],
    ["s is search('World')", true],
    ["s is regex('W.r')", true],
    ["s is match('hello', ignorecase=true)", true],
    ["s is match('(?i)hello')", true],
    ["'a\\nb' is search('^b', multiline=true)", true],
    ["'a\\nb' is search('^b')", false],
    ["'web01' is match('web\\\\d+$')", true],
    ["'x-y' is search('\\\\-')", true],
  ]),
);

t.test('version tests', async (t) =>
  table(t, [
    ["'12.1' is version('12', '>=')", true],
    ["'12.1' is version('12.10', '<')", true],
    ["'1.10.0' is version('1.9.9', 'gt')", true],
    ["'2.0' is version('2.0', 'eq')", true],
    ["'2.0' is version('2.0')", true],
    ["'1.0rc1' is version('1.0', '<')", true],
    ["'6.1.0-13-amd64' is version_compare('6.1', '>=')", true],
    ["'5.10' is version('6', 'ne')", true],
  ]),
);

t.test('compareVersions orders loose versions', async (t) => {
  const ordered = ['0.9', '1.0rc1', '1.0', '1.0.1', '1.2', '1.10', '2'];
  for (let i = 0; i + 1 < ordered.length; i++) {
    t.equal(compareVersions(ordered[i], ordered[i + 1]), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    t.equal(compareVersions(ordered[i + 1], ordered[i]), 1, `${ordered[i + 1]} > ${ordered[i]}`);
  }
  t.equal(compareVersions('1.0', '1.0'), 0);
});

t.test('test errors', async (t) =>
  failures(t, [
    ["'x' is failed", /the failed test needs a registered task result \(a dict\), got string/],
    ["s is version('1', 'about')", /unknown version comparison "about"/],
    ["s is version('1', 'constructor')", /unknown version comparison "constructor"/],
    ['n is lt "a"', /cannot compare int with string/],
    ['n is divisibleby 0', /division by zero/],
    ['n is in 5', /"in" needs a string, list or dict/],
    ['n is subset(1)', /the subset test needs a list/],
    ["s is match('[')", /invalid regular expression/],
    ['missing is none', /undefined variable "missing"/],
    ['n is defined(1)', /the defined test takes at most 0 argument/],
  ]),
);

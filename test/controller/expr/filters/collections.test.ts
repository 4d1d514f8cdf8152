import t from 'tap';
import { failures, table } from './helpers.js';

t.test('list and dict filters', async (t) =>
  table(t, [
    ['xs | length', 3],
    ['xs | count', 3],
    ['d | length', 2],
    ["'abc' | length", 3],
    ['xs | first', 3],
    ['xs | last', 2],
    ["'abc' | first", 'a'],
    ['[] | first is defined', false],
    ["'ab' | list", ['a', 'b']],
    ['d | list', ['b', 'a']],
    ["xs | join(',')", '3,1,2'],
    ['xs | join', '312'],
    ["users | join(', ', attribute='name')", 'ann, bob, cy'],
    ['[1, 2, 1, [1], [1]] | unique', [1, 2, [1]]],
    ['xs | reverse', [2, 1, 3]],
    ["'abc' | reverse", 'cba'],
    ['xs | sort', [1, 2, 3]],
    ['xs | sort(reverse=true)', [3, 2, 1]],
    ['words | sort', ['A', 'b', 'c']],
    ['words | sort(case_sensitive=true)', ['A', 'b', 'c']],
    ["users | sort(attribute='age') | map(attribute='name') | list", ['bob', 'cy', 'ann']],
    ['xs | min', 1],
    ['xs | max', 3],
    ['xs | sum', 6],
    ["users | sum(attribute='age')", 96],
    ['xs | sum(start=10)', 16],
    ['nested | flatten', [1, 2, 3, 4]],
    ['nested | flatten(1)', [1, 2, [3, [4]]]],
    ["users | map(attribute='name') | list", ['ann', 'bob', 'cy']],
    ["users | map(attribute='shell', default='/bin/sh') | list", ['/bin/bash', '/bin/sh', '/bin/zsh']],
    ["words | map('upper') | list", ['B', 'A', 'C']],
    ["['a1', 'b2'] | map('regex_replace', '\\\\d', '') | list", ['a', 'b']],
    ['[0, 1, "", "x", none] | select | list', [1, 'x']],
    ["xs | select('>', 1) | list", [3, 2]],
    ['xs | select("odd") | list', [3, 1]],
    ['xs | reject("odd") | list', [2]],
    ["users | selectattr('admin') | map(attribute='name') | list", ['ann', 'cy']],
    ["users | rejectattr('admin') | map(attribute='name') | list", ['bob']],
    ["users | selectattr('shell', 'defined') | map(attribute='name') | list", ['ann', 'cy']],
    ["users | selectattr('shell', 'undefined') | map(attribute='name') | list", ['bob']],
    ["users | selectattr('age', 'gt', 30) | map(attribute='name') | list", ['ann', 'cy']],
    ["users | selectattr('name', 'equalto', 'bob') | list | length", 1],
    ["users | selectattr('shell', 'defined') | selectattr('shell', 'search', 'zsh') | map(attribute='name') | first", 'cy'],
    [
      'd | dict2items',
      [
        { key: 'b', value: 2 },
        { key: 'a', value: 1 },
      ],
    ],
    [
      "d | dict2items(key_name='k', value_name='v')",
      [
        { k: 'b', v: 2 },
        { k: 'a', v: 1 },
      ],
    ],
    ["[{'key': 'x', 'value': 1}] | items2dict", { x: 1 }],
    ["users | items2dict(key_name='name', value_name='age')", { ann: 40, bob: 25, cy: 31 }],
    ["d | combine({'c': 3})", { b: 2, a: 1, c: 3 }],
    ["{'a': {'x': 1}} | combine({'a': {'y': 2}})", { a: { y: 2 } }],
    ["{'a': {'x': 1}} | combine({'a': {'y': 2}}, recursive=true)", { a: { x: 1, y: 2 } }],
    ["{'a': [1]} | combine({'a': [2]}, list_merge='append')", { a: [1, 2] }],
    ["{'a': [1]} | combine({'a': [2]}, list_merge='prepend')", { a: [2, 1] }],
    ["{'a': [1]} | combine({'a': [2]}, list_merge='keep')", { a: [1] }],
    ["{} | combine({'a': 1}, {'a': 2, 'b': 3})", { a: 2, b: 3 }],
    ["({} | combine({'__proto__': {'polluted': 1}})).polluted is defined", false],
    ["{} | combine([{'a': 1}, {'b': 2}])", { a: 1, b: 2 }],
    ['[1, 2, 3] | difference([2])', [1, 3]],
    ['[1, 2, 3] | intersect([2, 3, 4])', [2, 3]],
    ['[1, 2] | union([2, 3])', [1, 2, 3]],
    ['[1, 2] | symmetric_difference([2, 3])', [1, 3]],
    [
      "[1, 2, 3] | zip(['a', 'b'])",
      [
        [1, 'a'],
        [2, 'b'],
      ],
    ],
  ]),
);

t.test('max and min keep the whole item', async (t) =>
  table(t, [
    ["(users | max(attribute='age')).name", 'ann'],
    ["(users | min(attribute='age')).name", 'bob'],
    ['[] | max', null],
  ]),
);

t.test('list filter errors', async (t) =>
  failures(t, [
    ['n | first', /the first filter needs a list, got int/],
    ['n | dict2items', /the dict2items filter needs a dict, got int/],
    ["[1, 'a'] | sort", /cannot order string and int/],
    ["users | map(attribute='shell') | list", /undefined variable "item 1 attribute shell"/],
    ['xs | map | list', /map needs a filter name or attribute=/],
    ["['a'] | sum", /sum needs numbers, got string/],
    ["d | combine({}, list_merge='zip')", /list_merge must be replace, keep, append or prepend/],
    ['[] | first', /undefined variable "first item of an empty list"/],
    // as in Ansible: a test on a missing attribute fails; filter with selectattr('x', 'defined') first
    ["users | selectattr('shell', 'search', 'zsh') | list", /undefined variable "item 1 attribute shell"/],
  ]),
);

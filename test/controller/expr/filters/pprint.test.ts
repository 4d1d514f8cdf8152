import t from 'tap';
import { pformat } from '../../../../controller/expr/filters/pprint.js';
import { table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('pprint', async (t) =>
  table(t, [
    ["{'b': [1, 2], 'a': 'x'} | pprint", "{'a': 'x', 'b': [1, 2]}"],
    [
      "['x' * 30, 'y' * 30, {'k': 'z' * 20}] | pprint",
      "['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',\n 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',\n {'k': 'zzzzzzzzzzzzzzzzzzzz'}]",
    ],
    [
      "{'alpha': ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc'], 'beta': {'x': 1, 'y': [1,2,3]}, 'g': none, 't': true} | pprint",
      "{'alpha': ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc'],\n 'beta': {'x': 1, 'y': [1, 2, 3]},\n 'g': None,\n 't': True}",
    ],
  ]),
);

t.test('pprint breaks long values over lines as Python does', async (t) => {
  t.equal(pformat(['x'.repeat(30), 'y'.repeat(30), { k: 'z'.repeat(20) }]), `['${'x'.repeat(30)}',\n '${'y'.repeat(30)}',\n {'k': '${'z'.repeat(20)}'}]`);
  t.equal(pformat({ b: 1, a: [1, 2] }), "{'a': [1, 2], 'b': 1}");
});

t.test('edge cases checked against Ansible', async (t) =>
  table(t, [
    ["['x' * 100] | pprint", "['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']"],
    ["{'k': 'x' * 100} | pprint", "{'k': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}"],
    [
      '[[1, 2, 3] * 10, [4, 5] * 10] | pprint',
      '[[1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3],\n [4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5]]',
    ],
  ]),
);

t.test('pprint cuts long strings as Python does', async (t) =>
  table(t, [
    [
      "('word ' * 30) | pprint",
      "('word word word word word word word word word word word word word word word '\n 'word word word word word word word word word word word word word word word ')",
    ],
    [
      "['word ' * 30] | pprint",
      "['word word word word word word word word word word word word word word word '\n 'word word word word word word word word word word word word word word word ']",
    ],
    [
      "{'key': 'lorem ipsum ' * 10} | pprint",
      "{'key': 'lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem '\n        'ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum '}",
    ],
    [
      "('line one\\nline two is a bit longer than the others so it must wrap around somewhere\\n' * 2) | pprint",
      "('line one\\n'\n 'line two is a bit longer than the others so it must wrap around somewhere\\n'\n 'line one\\n'\n 'line two is a bit longer than the others so it must wrap around somewhere\\n')",
    ],
    [
      "['a', 'abc ' * 25, 'b'] | pprint",
      "['a',\n 'abc abc abc abc abc abc abc abc abc abc abc abc abc abc abc abc abc abc abc '\n 'abc abc abc abc abc abc ',\n 'b']",
    ],
    ["('x' * 100) | pprint", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"],
  ]),
);

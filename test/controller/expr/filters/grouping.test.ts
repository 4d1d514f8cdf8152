import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('groupby, batch, slice, dictsort', async (t) =>
  table(t, [
    [
      "{'b': 1, 'A': 2, 'c': 0} | dictsort",
      [
        ['A', 2],
        ['b', 1],
        ['c', 0],
      ],
    ],
    [
      "{'b': 1, 'A': 2, 'c': 0} | dictsort(true)",
      [
        ['A', 2],
        ['b', 1],
        ['c', 0],
      ],
    ],
    [
      "{'b': 1, 'A': 2, 'c': 0} | dictsort(false, 'value')",
      [
        ['c', 0],
        ['b', 1],
        ['A', 2],
      ],
    ],
    [
      "{'b': 1, 'A': 2, 'c': 0} | dictsort(reverse=true)",
      [
        ['c', 0],
        ['b', 1],
        ['A', 2],
      ],
    ],
    [
      "users | groupby('admin')",
      [
        [false, [{ name: 'bob', age: 25, admin: false }]],
        [
          true,
          [
            { name: 'ann', age: 40, admin: true, shell: '/bin/bash' },
            { name: 'cy', age: 31, admin: true, shell: '/bin/zsh' },
          ],
        ],
      ],
    ],
    [
      "users | groupby('shell', default='none')",
      [
        ['/bin/bash', [{ name: 'ann', age: 40, admin: true, shell: '/bin/bash' }]],
        ['/bin/zsh', [{ name: 'cy', age: 31, admin: true, shell: '/bin/zsh' }]],
        ['none', [{ name: 'bob', age: 25, admin: false }]],
      ],
    ],
    [
      "[{'c': 'CA'}, {'c': 'NY'}, {'c': 'ca'}] | groupby('c')",
      [
        ['CA', [{ c: 'CA' }, { c: 'ca' }]],
        ['NY', [{ c: 'NY' }]],
      ],
    ],
    [
      "[{'c': 'CA'}, {'c': 'NY'}, {'c': 'ca'}] | groupby('c', case_sensitive=true)",
      [
        ['CA', [{ c: 'CA' }]],
        ['NY', [{ c: 'NY' }]],
        ['ca', [{ c: 'ca' }]],
      ],
    ],
    [
      "[[1, 'a'], [0, 'b'], [1, 'c']] | groupby(0)",
      [
        [0, [[0, 'b']]],
        [
          1,
          [
            [1, 'a'],
            [1, 'c'],
          ],
        ],
      ],
    ],
    ['[1,2,3,4,5] | batch(2)', [[1, 2], [3, 4], [5]]],
    [
      "[1,2,3,4,5] | batch(2, 'x')",
      [
        [1, 2],
        [3, 4],
        [5, 'x'],
      ],
    ],
    [
      '[1,2,3,4] | batch(2, 0)',
      [
        [1, 2],
        [3, 4],
      ],
    ],
    ['[] | batch(3)', []],
    ['[1,2,3,4,5] | slice(3)', [[1, 2], [3, 4], [5]]],
    [
      "[1,2,3,4,5] | slice(3, 'x')",
      [
        [1, 2],
        [3, 4],
        [5, 'x'],
      ],
    ],
    ['[1,2] | slice(4)', [[1], [2], [], []]],
    [
      '[1,2,3,4,5,6,7] | slice(3, 0)',
      [
        [1, 2, 3],
        [4, 5, 0],
        [6, 7, 0],
      ],
    ],
  ]),
);

t.test('groupby, batch, slice, dictsort: errors', async (t) =>
  failures(t, [["{'b': 1} | dictsort(by='x')", /dictsort: you can only sort by either "key" or "va/]]),
);

t.test('edge cases checked against Ansible', async (t) =>
  table(t, [
    [
      "users | groupby('name.0')",
      [
        ['a', [{ name: 'ann', age: 40, admin: true, shell: '/bin/bash' }]],
        ['b', [{ name: 'bob', age: 25, admin: false }]],
        ['c', [{ name: 'cy', age: 31, admin: true, shell: '/bin/zsh' }]],
      ],
    ],
    [
      "{'a': 2, 'b': 1} | dictsort(false, 'value', true)",
      [
        ['a', 2],
        ['b', 1],
      ],
    ],
    ['[] | slice(2)', [[], []]],
    ['[1] | batch(1)', [[1]]],
  ]),
);

t.test('edge cases checked against Ansible: errors', async (t) =>
  failures(t, [
    ['users | dictsort', /dictsort needs a dict, got list/],
    ["{'b': 1, 'a': 'x'} | dictsort(by='value')", /dictsort: cannot order string and int/],
    ['[3, 1, 2] | groupby(0)', /groupby: item 0 has no attribute 0/],
  ]),
);

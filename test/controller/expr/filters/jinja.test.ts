import t from 'tap';
import { pformat } from '../../../../controller/expr/filters/jinja.js';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('jinja builtin filters', async (t) =>
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
    ["'abc' | center(9)", '   abc   '],
    ["'abc' | center(8)", '  abc   '],
    ["'ab' | center(7)", '   ab  '],
    ["'ab' | center(8)", '   ab   '],
    ["'abcd' | center(2)", 'abcd'],
    ["'abc' | center", '                                      abc                                       '],
    ["'The quick brown fox jumps over the lazy dog' | wordwrap(10)", 'The quick\nbrown fox\njumps over\nthe lazy\ndog'],
    ["'The quick brown fox' | wordwrap(10, wrapstring='<br>')", 'The quick<br>brown fox'],
    ["'aaaaaaaaaaaaaaaaaaaaaaaa bb' | wordwrap(10)", 'aaaaaaaaaa\naaaaaaaaaa\naaaa bb'],
    ["'aaaaaaaaaaaaaaaaaaaaaaaa bb' | wordwrap(10, false)", 'aaaaaaaaaaaaaaaaaaaaaaaa\nbb'],
    ["'well-known long-hyphenated-words here' | wordwrap(12)", 'well-known\nlong-\nhyphenated-\nwords here'],
    ["'well-known long-hyphenated-words here' | wordwrap(12, break_on_hyphens=false)", 'well-known l\nong-hyphenat\ned-words\nhere'],
    ["'para one is here\\n\\npara two  has   spaces' | wordwrap(8)", 'para one\nis here\n\npara two\nhas\nspaces'],
    ["'  leading spaces here' | wordwrap(8)", 'leading\nspaces\nhere'],
    ["'a--b c-d e' | wordwrap(3)", 'a--\nb\nc-d\ne'],
    ["'foo bar baz qux' | truncate(9)", 'foo...'],
    ["'foo bar baz qux' | truncate(9, true)", 'foo ba...'],
    ["'foo bar baz qux' | truncate(11)", 'foo bar baz qux'],
    ["'foo bar baz qux' | truncate(11, false, '...', 0)", 'foo bar...'],
    ["'foo bar baz qux' | truncate(10, end='!', leeway=0)", 'foo bar!'],
    ["'foobarbazqux' | truncate(6, leeway=0)", 'foo...'],
    ["'<p>Hello <b>big</b>\\n   world</p><!-- c --> &amp; &lt;x&gt; &#39;q&#x41;' | striptags", "Hello big world & <x> 'qA"],
    ["'Hello, world! it_is 3 o\\'clock' | wordcount", 6],
    ["'' | wordcount", 0],
    ["'<a href=\"x\">&\\'</a>' | e", '&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;'],
    ["'<a>' | escape", '&lt;a&gt;'],
    ["'<a>' | forceescape", '&lt;a&gt;'],
    ["'<a>' | safe", '<a>'],
    ['1 | filesizeformat', '1 Byte'],
    ['0 | filesizeformat', '0 Bytes'],
    ['999 | filesizeformat', '999 Bytes'],
    ['1000 | filesizeformat', '1.0 kB'],
    ['1500000 | filesizeformat', '1.5 MB'],
    ['1500000 | filesizeformat(true)', '1.4 MiB'],
    ['1024 | filesizeformat(true)', '1.0 KiB'],
    ["'2048' | filesizeformat", '2.0 kB'],
    ['1250 | filesizeformat', '1.2 kB'],
    ['1350 | filesizeformat', '1.4 kB'],
    ["{'b': [1, 2], 'a': 'x'} | pprint", "{'a': 'x', 'b': [1, 2]}"],
    [
      "['x' * 30, 'y' * 30, {'k': 'z' * 20}] | pprint",
      "['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',\n 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',\n {'k': 'zzzzzzzzzzzzzzzzzzzz'}]",
    ],
    [
      "{'alpha': ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc'], 'beta': {'x': 1, 'y': [1,2,3]}, 'g': none, 't': true} | pprint",
      "{'alpha': ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc'],\n 'beta': {'x': 1, 'y': [1, 2, 3]},\n 'g': None,\n 't': True}",
    ],
    ["{'class': 'my list', 'missing': none, 'id': 'a<b\"'} | xmlattr", ' class="my list" id="a&lt;b&#34;"'],
    ["{'class': 'x'} | xmlattr(false)", 'class="x"'],
    ["{'b': '<x>', 'a': [1, 'it\\'s & more']} | tojson", '{"a": [1, "it\\u0027s \\u0026 more"], "b": "\\u003cx\\u003e"}'],
    ["{'b': 1, 'a': [1, 2]} | tojson(2)", '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}'],
  ]),
);

t.test('jinja builtin filters: errors', async (t) =>
  failures(t, [
    ["{'b': 1} | dictsort(by='x')", /dictsort: you can only sort by either "key" or "va/],
    ["'abc' | truncate(2)", /truncate: expected length >= 3, got 2/],
    ['10**30 | filesizeformat', /cannot raise int and string/],
    ["{'bad key': 1} | xmlattr", /xmlattr: invalid character in attribute name: 'bad/],
  ]),
);
t.test('attr never reads dict keys, as in Jinja', async (t) =>
  table(t, [
    ["({'a': 1} | attr('a')) is undefined", true],
    ["({'a': 1} | attr('a')) | default('none')", 'none'],
  ]),
);

t.test('pprint breaks long values over lines as Python does', async (t) => {
  t.equal(pformat(['x'.repeat(30), 'y'.repeat(30), { k: 'z'.repeat(20) }]), `['${'x'.repeat(30)}',\n '${'y'.repeat(30)}',\n {'k': '${'z'.repeat(20)}'}]`);
  t.equal(pformat({ b: 1, a: [1, 2] }), "{'a': [1, 2], 'b': 1}");
});
t.test('edge cases checked against Ansible', async (t) =>
  table(t, [
    [
      "'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore' | wordwrap(20)",
      'Lorem ipsum dolor\nsit amet,\nconsectetur\nadipiscing elit, sed\ndo eiusmod tempor\nincididunt ut labore',
    ],
    ["'Lorem ipsum dolor sit amet, consectetur adipiscing elit' | wordwrap(7, false)", 'Lorem\nipsum\ndolor\nsit\namet,\nconsectetur\nadipiscing\nelit'],
    ["'a-b-c-d-e-f-g-h-i-j-k' | wordwrap(5)", 'a-b-\nc-d-\ne-f-\ng-h-\ni-j-k'],
    ["'tab\\there and\\tthere ok' | wordwrap(6)", 'tab\nhere\nand\nthere\nok'],
    ["'line one\\r\\nline two\\rthree' | wordwrap(40)", 'line one\nline two\nthree'],
    ["'' | wordwrap", ''],
    ["'   ' | wordwrap(2)", ''],
    ["'héllo wörld ünïcode' | truncate(10, leeway=0)", 'héllo...'],
    ["'héllo' | center(9)", '  héllo  '],
    ["['x' * 100] | pprint", "['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']"],
    ["{'k': 'x' * 100} | pprint", "{'k': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}"],
    [
      '[[1, 2, 3] * 10, [4, 5] * 10] | pprint',
      '[[1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3,\n  1,\n  2,\n  3],\n [4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5]]',
    ],
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
    ["'a' | urlencode", 'a'],
    ["{'a': none, 'b': true} | urlencode", 'a=None&b=True'],
    ["'über/x y?' | urlencode", '%C3%BCber/x%20y%3F'],
    ["'%E2%82%AC+%zz%4' | urldecode", '€ %zz%4'],
    ['42 | human_readable', '42.00 Bytes'],
    ["'abc' | wordcount", 1],
    ["'it\\'s a dog-eat-dog world, 42 times' | wordcount", 9],
    ["'<b>x</b>&nbsp;y &copy; &unknown; &#0; &#xD800;' | striptags", 'x y © &unknown; � �'],
    ["'x' | forceescape | escape", 'x'],
    ['10 | center(5)', '  10 '],
    ["[1, 'a'] | tojson", '[1, "a"]'],
    ["'x' | tojson", '"x"'],
    ['none | tojson', 'null'],
    ["{'a': 1.5, 'b': [true, none]} | tojson", '{"a": 1.5, "b": [true, null]}'],
    ['[] | slice(2)', [[], []]],
    ['[1] | batch(1)', [[1]]],
    ["'a,b' | regex_replace(',', ' ') | wordcount", 2],
    ['1e10 | filesizeformat', '10.0 GB'],
    ['1e10 | filesizeformat(true)', '9.3 GiB'],
    ['-5 | filesizeformat', '-5 Bytes'],
    ["123456789 | human_readable(unit='K')", '120563.27 KB'],
    ['1 | human_readable(isbits=true)', '1.00 bits'],
    ["'1.5G' | human_to_bytes", 1610612736],
    ["'1 GB' | human_to_bytes", 1073741824],
    ["'5 bytes' | human_to_bytes", 5],
    ["'1b' | human_to_bytes", 1],
    ["'1kb' | human_to_bytes(isbits=true)", 1024],
    ["'%j %U' | strftime(0, utc=true)", '001 00'],
    ["'%c' | strftime(0, utc=true)", 'Thu Jan  1 00:00:00 1970'],
    ["'%y %C %G' | strftime(-86400, utc=true)", '69 19 1970'],
    ["'2024-12-31 23:59:59' | to_datetime | string", '2024-12-31 23:59:59'],
    ["'20240501' | to_datetime('%Y%m%d')", '2024-05-01 00:00:00'],
    ["'Wed, 01 May 2024 10:00:00' | to_datetime('%a, %d %b %Y %H:%M:%S')", '2024-05-01 10:00:00'],
    ["'12 AM' | to_datetime('%I %p')", '1900-01-01 00:00:00'],
    ["'2024-05-01T10:00:00Z' | to_datetime('%Y-%m-%dT%H:%M:%S%z')", '2024-05-01 10:00:00+00:00'],
    ['[1, 2, 3] | random(seed=1.0)', 1],
    ['[1, 2, 3] | random(seed=true)', 1],
    ["'abc' | shuffle(seed='x')", ['a', 'b', 'c']],
  ]),
);

t.test('edge cases checked against Ansible: errors', async (t) =>
  failures(t, [
    ["'a\\nb' | splitlines", /unknown filter "splitlines"/],
    ["'x' * 25 | wordwrap(10)", /cannot multiply string and string/],
    ['users | dictsort', /dictsort needs a dict, got list/],
    ["{'b': 1, 'a': 'x'} | dictsort(by='value')", /dictsort: cannot order string and int/],
    ['[1, 2] | comment', /comment needs text/],
    ['[3, 1, 2] | groupby(0)', /groupby: item 0 has no attribute 0/],
    ["{'a': 1, 'b': 2} | random(seed='z')", /random cannot pick from a dict \(Python fails with /],
    ["[{'a': 1}, {'a': 2}] | subelements('a')", /the key 'a' should point to a list, got 1/],
    ["users | selectattr('admin') | map(attribute='name') | list | comment('c')", /comment needs text/],
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

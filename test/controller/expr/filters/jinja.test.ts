import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('jinja builtin filters', async (t) =>
  table(t, [
    ["'<a>' | safe", '<a>'],
    ["{'class': 'my list', 'missing': none, 'id': 'a<b\"'} | xmlattr", ' class="my list" id="a&lt;b&#34;"'],
    ["{'class': 'x'} | xmlattr(false)", 'class="x"'],
    ["{'b': '<x>', 'a': [1, 'it\\'s & more']} | tojson", '{"a": [1, "it\\u0027s \\u0026 more"], "b": "\\u003cx\\u003e"}'],
    ["{'b': 1, 'a': [1, 2]} | tojson(2)", '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}'],
  ]),
);

t.test('jinja builtin filters: errors', async (t) => failures(t, [["{'bad key': 1} | xmlattr", /xmlattr: invalid character in attribute name: 'bad/]]));

t.test('attr never reads dict keys, as in Jinja', async (t) =>
  table(t, [
    ["({'a': 1} | attr('a')) is undefined", true],
    ["({'a': 1} | attr('a')) | default('none')", 'none'],
  ]),
);

t.test('edge cases checked against Ansible', async (t) =>
  table(t, [
    ["'a' | urlencode", 'a'],
    ["{'a': none, 'b': true} | urlencode", 'a=None&b=True'],
    ["'über/x y?' | urlencode", '%C3%BCber/x%20y%3F'],
    ["'%E2%82%AC+%zz%4' | urldecode", '€ %zz%4'],
    ['42 | human_readable', '42.00 Bytes'],
    ["[1, 'a'] | tojson", '[1, "a"]'],
    ["'x' | tojson", '"x"'],
    ['none | tojson', 'null'],
    ["{'a': 1.5, 'b': [true, none]} | tojson", '{"a": 1.5, "b": [true, null]}'],
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
    ['[1, 2] | comment', /comment needs text/],
    ["{'a': 1, 'b': 2} | random(seed='z')", /random cannot pick from a dict \(Python fails with /],
    ["[{'a': 1}, {'a': 2}] | subelements('a')", /the key 'a' should point to a list, got 1/],
    ["users | selectattr('admin') | map(attribute='name') | list | comment('c')", /comment needs text/],
  ]),
);

import t from 'tap';
import { failures, table } from './helpers.js';

t.test('conversion filters', async (t) =>
  table(t, [
    ["'yes' | bool", true],
    ["'On' | bool", true],
    ["'1' | bool", true],
    ["'TRUE' | bool", true],
    ["'no' | bool", false],
    ["'off' | bool", false],
    ["'maybe' | bool", false],
    ['1 | bool', true],
    ['0 | bool', false],
    ['none | bool', null], // ansible 2.14: (none | bool) is none
    ["'42' | int", 42],
    ["' 42 ' | int", 42],
    ["'3.9' | int", 3],
    ["'0x1f' | int", 31],
    ["'ff' | int(base=16)", 255],
    ["'abc' | int", 0],
    ["'abc' | int(5)", 5],
    ["'abc' | int(default=5)", 5],
    ['true | int', 1],
    ["'2.5' | float", 2.5],
    ["'x' | float", 0],
    ['-3 | abs', 3],
    ['2.567 | round(2)', 2.57],
    ['2.5 | round', 3],
    ['2.1 | round(0, "ceil")', 3],
    ['2.9 | round(method="floor")', 2],
    ["'x' | type_debug", 'str'],
    ['none | type_debug', 'NoneType'],
    ['xs | type_debug', 'list'],
    ['true | ternary("on", "off")', 'on'],
    ['0 | ternary("on", "off")', 'off'],
    ['none | ternary("on", "off", "unset")', 'unset'],
  ]),
);

t.test('data formats', async (t) =>
  table(t, [
    ['d | to_json', '{"b": 2, "a": 1}'],
    ['[1, "a", none, true] | to_json', '[1, "a", null, true]'],
    ['d | to_json(sort_keys=true)', '{"a": 1, "b": 2}'],
    ['d | to_nice_json', '{\n    "a": 1,\n    "b": 2\n}'],
    ['{"a": [1, {}], "b": []} | to_nice_json(indent=2)', '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": []\n}'],
    ['\'{"a": [1, 2]}\' | from_json', { a: [1, 2] }],
    ['d | to_yaml', 'b: 2\na: 1\n'],
    ['{"a": {"b": 1}} | to_nice_yaml', 'a:\n    b: 1\n'],
    ["'a: yes\\nb: [1, 2]' | from_yaml", { a: true, b: [1, 2] }],
    ["'héllo' | b64encode", 'aMOpbGxv'],
    ["'aMOpbGxv' | b64decode", 'héllo'],
    ["'abc' | hash('sha256')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ["'abc' | sha1", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'abc' | checksum", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'abc' | md5", '900150983cd24fb0d6963f7d28e17f72'],
  ]),
);

t.test('defaults and mandatory values', async (t) =>
  table(t, [
    ["missing | default('x')", 'x'],
    ['missing | default', ''],
    ["n | default('x')", 7],
    ["'' | default('x', true)", 'x'],
    ['[] | default([1], true)', [1]],
    ['n | mandatory', 7],
  ]),
);

t.test('conversion errors', async (t) =>
  failures(t, [
    ["'{bad' | from_json", /from_json: not valid JSON/],
    ["'a: [' | from_yaml", /from_yaml: not valid YAML/],
    ["'x' | hash('nope')", /unsupported hash type nope/],
    ["'x' | abs", /abs needs a number/],
    ['1 | round(0, "up")', /round: method must be common, ceil or floor/],
    ['missing | mandatory', /undefined variable "missing"/],
    ["missing | mandatory('set x in group_vars')", /set x in group_vars/],
  ]),
);

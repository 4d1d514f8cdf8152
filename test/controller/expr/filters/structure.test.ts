import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('structure filters', async (t) =>
  table(t, [
    ["'a: 1\\n---\\nb: [1, 2]\\n' | from_yaml_all", [{ a: 1 }, { b: [1, 2] }]],
    ["'' | from_yaml_all", []],
    ["'a: yes\\n--- 3\\n' | from_yaml_all", [{ a: true }, 3]],
    ['[1, 2] | from_yaml_all', [1, 2]],
    ["'x' | extract({'x': 1})", 1],
    ["1 | extract(['a', 'b'])", 'b'],
    ["'a' | extract({'a': {'b': {'c': 5}}}, ['b', 'c'])", 5],
    ["'a' | extract({'a': {'b': 7}}, 'b')", 7],
    ["[0, 2] | map('extract', ['x', 'y', 'z']) | list", ['x', 'z']],
    [
      "[{'n': 'a', 'g': ['x', 'y']}, {'n': 'b', 'g': []}] | subelements('g')",
      [
        [{ n: 'a', g: ['x', 'y'] }, 'x'],
        [{ n: 'a', g: ['x', 'y'] }, 'y'],
      ],
    ],
    ["[{'n': 'a', 'k': {'g': [1]}}] | subelements('k.g')", [[{ n: 'a', k: { g: [1] } }, 1]]],
    ["{'one': {'n': 'a', 'g': ['x']}} | subelements('g')", [[{ n: 'a', g: ['x'] }, 'x']]],
    ["[{'n': 'a'}] | subelements('g', skip_missing=true)", []],
    ["'1.0' is version_compare('2.0', 'lt')", true],
  ]),
);

t.test('structure filters: errors', async (t) =>
  failures(t, [
    ["users | subelements('shell', skip_missing=true)", /the key 'shell' should point to a list, got '\/bin\//],
    ["[{'n': 'a'}] | subelements('g')", /could not find 'g' key in iterated item \{'n': 'a'\}/],
    ["[{'n': 'a', 'g': 3}] | subelements('g')", /the key 'g' should point to a list, got 3/],
  ]),
);

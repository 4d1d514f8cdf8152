import t from 'tap';
import { failures, table } from './helpers.js';

t.test('string filters', async (t) =>
  table(t, [
    ['s | lower', 'hello world'],
    ['s | upper', 'HELLO WORLD'],
    ["'hELLO wORLD' | capitalize", 'Hello world'],
    ["'hello big-world' | title", 'Hello Big-World'],
    ["'  x  ' | trim", 'x'],
    ["'--x--' | trim('-')", 'x'],
    ['n | string', '7'],
    ["s | replace('o', '0')", 'Hell0 W0rld'],
    ["s | replace('o', '0', 1)", 'Hell0 World'],
    ["s | regex_replace('o(.)', '0\\\\1\\\\1')", 'Hell0  W0rrld'],
    ["s | regex_replace('(?P<first>\\\\w+) (?P<second>\\\\w+)', '\\\\g<second> \\\\g<first>')", 'World Hello'],
    ["s | regex_replace('WORLD', 'you', ignorecase=true)", 'Hello you'],
    ["'a$b' | regex_replace('b', '$x')", 'a$$x'],
    ["s | regex_search('W\\\\w+')", 'World'],
    ["s | regex_search('(\\\\w+) (\\\\w+)', '\\\\2')", ['World']],
    ["s | regex_search('xyz')", null],
    ["'a1b22c333' | regex_findall('\\\\d+')", ['1', '22', '333']],
    [
      "'k=v,x=y' | regex_findall('(\\\\w)=(\\\\w)')",
      [
        ['k', 'v'],
        ['x', 'y'],
      ],
    ],
    ["'a.b*c' | regex_escape", 'a\\.b\\*c'],
    ["'a,b,,c' | split(',')", ['a', 'b', '', 'c']],
    ["' a  b ' | split", ['a', 'b']],
    [`"it's" | quote`, "'it'\\''s'"],
    ["'it' 's'", 'its'],
    ["'plain' | quote", 'plain'],
    ["'a b' | quote", "'a b'"],
    ['path | basename', 'nginx.conf'],
    ['path | dirname', '/etc/nginx'],
    ['path | splitext', ['/etc/nginx/nginx', '.conf']],
    ["['/etc', 'nginx', 'x.conf'] | path_join", '/etc/nginx/x.conf'],
    ["'a\\nb\\n\\nc' | indent(2)", 'a\n  b\n\n  c'],
    ["'a\\nb' | indent(2, true)", '  a\n  b'],
    ["'a\\nb' | indent('\\t')", 'a\n\tb'],
    ["'%s-%03d' | format('x', 7)", 'x-007'],
    ["'%.2f%%' | format(3.14159)", '3.14%'],
    ["'%5s|%-3s|' | format('ab', 'c')", '   ab|c  |'],
  ]),
);

t.test('string filter errors', async (t) =>
  failures(t, [
    ["s | regex_replace('(')", /invalid regular expression "\("/],
    ["'%s %s' | format('a')", /not enough arguments for the format string/],
    ["'%s' | format('a', 'b')", /too many arguments/],
    ['n | path_join', /path_join needs a list, got int/],
  ]),
);

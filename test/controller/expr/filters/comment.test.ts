import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('comment filter', async (t) =>
  table(t, [
    ["'abc' | comment", '#\n# abc\n#'],
    ["'a\\nb' | comment", '#\n# a\n# b\n#'],
    ["'a\\n\\nb' | comment('c')", '//\n// a\n//\n// b\n//'],
    ["'x' | comment('cblock')", '/*\n *\n * x\n *\n */'],
    ["'x\\ny' | comment('erlang')", '%\n% x\n% y\n%'],
    ["'x' | comment('xml')", '<!--\n -\n - x\n -\n-->'],
    ["'x' | comment(decoration='; ')", ';\n; x\n;'],
    ["'x' | comment('plain', prefix='#!', postfix='#$')", '#!\n# x\n#$'],
    ["'x' | comment(prefix_count=2, postfix_count=3)", '#\n#\n# x\n#\n#\n#'],
    ["'x' | comment(beginning='BEGIN', end='END')", 'BEGIN\n#\n# x\n#\nEND'],
    ["'x' | comment('c', decoration='/// ', prefix='')", '/// x\n///'],
    ["'x' | comment(newline='\\r\\n')", '#\r\n# x\r\n#'],
    ["'x\\ny' | comment('cblock', decoration=' ** ')", '/*\n **\n ** x\n ** y\n **\n */'],
  ]),
);

t.test('comment filter: errors', async (t) => failures(t, [["'x' | comment('nope')", /comment: unknown style "nope"/]]));

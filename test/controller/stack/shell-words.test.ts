/** Splitting a command string as a POSIX shell would, without expanding anything. */
import t from 'tap';
import { shellWords } from '../../../controller/stack/shell-words.js';

const table: [string, string[] | { error: string }][] = [
  ['', []],
  ['   ', []],
  ['a b  c', ['a', 'b', 'c']],
  ['\ta\nb ', ['a', 'b']],
  ["'a b' c", ['a b', 'c']],
  ['"a b" c', ['a b', 'c']],
  ["a'b c'd", ['ab cd']],
  ["''", ['']],
  ['""', ['']],
  ['a "" b', ['a', '', 'b']],
  ['"say \\"hi\\""', ['say "hi"']],
  ['"\\$HOME \\\\ \\x"', ['$HOME \\ \\x']],
  ['\'no \\escapes "here"\'', ['no \\escapes "here"']],
  ['a\\ b', ['a b']],
  ['a\\\nb', ['ab']],
  ['$HOME ${X}', ['$HOME', '${X}']],
  ['sh -c "echo $$ && exit 0"', ['sh', '-c', 'echo $$ && exit 0']],
  ["'open", { error: 'a single quote is never closed' }],
  ['"open', { error: 'a double quote is never closed' }],
  ['"a\\"', { error: 'a double quote is never closed' }],
];

for (const [text, expected] of table) t.test(JSON.stringify(text), async (t) => t.same(shellWords(text), expected));

import t from 'tap';
import { splitWords } from '../../../../controller/modules/commands/words.js';

const table: [string, string[] | string][] = [
  ['ls -l /tmp', ['ls', '-l', '/tmp']],
  ['  spaced   out  ', ['spaced', 'out']],
  [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
  [`echo 'it''s'`, ['echo', 'its']],
  [`echo "say \\"hi\\""`, ['echo', 'say "hi"']],
  [`echo "keep \\n as is"`, ['echo', 'keep \\n as is']],
  [`echo a\\ b`, ['echo', 'a b']],
  [`echo '$HOME' $HOME *`, ['echo', '$HOME', '$HOME', '*']],
  [`echo ''`, ['echo', '']],
  [`a"b"'c'd`, ['abcd']],
  ['echo | grep x', ['echo', '|', 'grep', 'x']],
  ['tab\tsep\nnewline', ['tab', 'sep', 'newline']],
  ['', []],
  [`echo 'open`, 'No closing quotation'],
  ['echo "open', 'No closing quotation'],
  ['trailing\\', 'No escaped character'],
];

for (const [input, want] of table) {
  t.test(JSON.stringify(input), async (t) => {
    const got = splitWords(input);
    if (typeof want === 'string') t.same(got, { ok: false, error: want });
    else t.same(got, { ok: true, words: want });
  });
}

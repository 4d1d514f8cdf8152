import t from 'tap';
import { LineSplitter, logPrefix } from '../../../controller/ops/log-lines.js';

t.test('chunks cut into whole prefixed lines', async (t) => {
  const rows: [string, string[], string][] = [
    ['one line', ['hello\n'], 'web.3@h01 | hello\n'],
    ['two lines in one chunk', ['a\nb\n'], 'web.3@h01 | a\nweb.3@h01 | b\n'],
    ['a line cut in two chunks', ['hel', 'lo\n'], 'web.3@h01 | hello\n'],
    ['no newline at the end', ['last'], 'web.3@h01 | last\n'],
    ['CRLF', ['dos\r\n'], 'web.3@h01 | dos\n'],
    ['an empty line', ['\n'], 'web.3@h01 | \n'],
    ['nothing', [], ''],
  ];
  for (const [why, chunks, want] of rows) {
    const s = new LineSplitter(logPrefix('web.3', 'h01'));
    t.equal(chunks.map((c) => s.push(c)).join('') + s.end(), want, why);
  }
});

t.test('a partial line is held back until its end', async (t) => {
  const s = new LineSplitter('x | ');
  t.equal(s.push('par'), '');
  t.equal(s.push('tial\nne'), 'x | partial\n');
  t.equal(s.end(), 'x | ne\n');
  t.equal(s.end(), '', 'once');
});

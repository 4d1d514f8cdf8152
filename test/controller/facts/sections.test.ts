import t from 'tap';
import { SECTION_MARK } from '../../../controller/facts/script.js';
import { int, keyValues, lines, splitSections } from '../../../controller/facts/sections.js';

t.test('splitSections finds sections by name and drops the mark newline', async (t) => {
  const s = splitSections(`noise before\n\n${SECTION_MARK} a\none\ntwo\n\n${SECTION_MARK} empty\n\n${SECTION_MARK} b\nno final newline`);
  t.equal(s('a'), 'one\ntwo');
  t.equal(s('empty'), '');
  t.equal(s('b'), 'no final newline');
  t.equal(s('missing'), '');
});

t.test('small readers', async (t) => {
  t.same(lines('  a \n\n b\n'), ['a', 'b']);
  t.same(
    [...keyValues('x=1\ny=a=b\nbad\n=z\nx=2')],
    [
      ['x', '2'],
      ['y', 'a=b'],
    ],
  );
  const ints: [string | undefined, number | undefined][] = [
    ['42', 42],
    [' 7 ', 7],
    ['-3', -3],
    ['4.2', undefined],
    ['', undefined],
    [undefined, undefined],
    ['12abc', undefined],
  ];
  for (const [input, want] of ints) t.equal(int(input), want, `int(${JSON.stringify(input)})`);
});

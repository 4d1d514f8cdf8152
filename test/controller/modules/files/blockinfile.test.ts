import t from 'tap';
import { blockEdit, blockinfile, editBlock, splitKeepEnds } from '../../../../controller/modules/files/blockinfile.js';
import type { Args } from '../../../../controller/modules/types.js';
import { b64, out, putText, st, summary } from './helpers.js';

const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';

t.test('splitKeepEnds is bytes.splitlines(True)', async (t) => {
  t.same(splitKeepEnds('a\r\nb\rc\nd'), ['a\r\n', 'b\r', 'c\n', 'd']);
  t.same(splitKeepEnds(''), []);
});

t.test('editBlock follows Ansible', async (t) => {
  const cases: [name: string, text: string | undefined, args: Args, want: string][] = [
    ['inserted at EOF', 'a\n', { block: 'x\ny' }, `a\n${B}x\ny\n${E}`],
    ['unterminated last line is ended first', 'a', { block: 'x' }, `a\n${B}x\n${E}`],
    ['existing block replaced in place', `a\n${B}old\n${E}b\n`, { block: 'new' }, `a\n${B}new\n${E}b\n`],
    ['same block: same text', `a\n${B}x\n${E}`, { block: 'x' }, `a\n${B}x\n${E}`],
    ['empty block removes it', `a\n${B}x\n${E}b\n`, { block: '' }, 'a\nb\n'],
    ['state=absent removes it', `a\n${B}x\n${E}b\n`, { block: 'x', state: 'absent' }, 'a\nb\n'],
    ['insertbefore BOF', 'a\n', { block: 'x', insertbefore: 'BOF' }, `${B}x\n${E}a\n`],
    ['insertafter regex: after the last match', 'k\na\nk\nb\n', { block: 'x', insertafter: '^k' }, `k\na\nk\n${B}x\n${E}b\n`],
    ['insertbefore regex', 'a\nb\n', { block: 'x', insertbefore: '^b' }, `a\n${B}x\n${E}b\n`],
    ['insertafter not found: EOF', 'a\n', { block: 'x', insertafter: '^zz' }, `a\n${B}x\n${E}`],
    [
      'custom marker and marks',
      'a\n',
      { block: 'x', marker: '<!-- {mark} -->', marker_begin: 'start', marker_end: 'stop' },
      'a\n<!-- start -->\nx\n<!-- stop -->\n',
    ],
    ['new file', undefined, { block: 'x' }, `${B}x\n${E}`],
    ['prepend_newline', 'a\n', { block: 'x', prepend_newline: true }, `a\n\n${B}x\n${E}`],
    ['append_newline', 'a\n', { block: 'x', insertbefore: 'BOF', append_newline: true }, `${B}x\n${E}\na\n`],
    ['multiline insertafter pattern is searched in the whole text', 'a\nb\nc\n', { block: 'x', insertafter: '(?m)^b\\nc' }, `a\nb\nc\n${B}x\n${E}`],
  ];
  for (const [name, text, args, want] of cases) t.equal(editBlock(text, blockEdit({ state: 'present', ...args })), want, name);
});

const file = (text: string): string[] => [`stat ${st('file', 0o644)}`, 'real /etc/f', `content ${b64(text)}`, 'parent 1'];
const base = {
  path: '/etc/f',
  state: 'present',
  marker: '# {mark} ANSIBLE MANAGED BLOCK',
  marker_begin: 'BEGIN',
  marker_end: 'END',
  create: false,
  backup: false,
};

t.test('plans', async (t) => {
  const cases: [name: string, args: Args, probe: string[], want: string[] | string, msg?: string][] = [
    ['block inserted', { block: 'x' }, file('a\n'), ['put /etc/f mode=0644 owner=0 group=0'], 'Block inserted'],
    ['block replaced', { block: 'new' }, file(`${B}old\n${E}`), ['put /etc/f mode=0644 owner=0 group=0'], 'Block inserted'],
    ['block already there', { block: 'x' }, file(`${B}x\n${E}`), 'noop: block already present'],
    ['block removed', { state: 'absent' }, file(`a\n${B}x\n${E}`), ['put /etc/f mode=0644 owner=0 group=0'], 'Block removed'],
    ['nothing to remove', { state: 'absent' }, file('a\n'), 'noop: no block to remove'],
    ['absent on a missing file', { state: 'absent' }, ['stat -'], 'noop: File /etc/f not present'],
    ['missing without create', { block: 'x' }, ['stat -', 'parent 1'], 'fail: Path /etc/f does not exist !'],
    ['missing with create', { block: 'x', create: true }, ['stat -', 'real /etc/f', 'parent 1'], ['put /etc/f mode=0644'], 'File created'],
    ['both insert anchors', { block: 'x', insertafter: 'a', insertbefore: 'b' }, file(''), 'fail: parameters are mutually exclusive: insertbefore|insertafter'],
  ];
  for (const [name, args, probe, want, msg] of cases) {
    const a = { ...base, ...args };
    const plan = blockinfile.planned.plan(a, blockinfile.planned.parse(out(probe), a));
    t.same(summary(plan), want, name);
    if (msg) t.equal(plan.kind === 'change' && plan.msg, msg, `${name}: msg`);
  }
  const a = { ...base, block: 'x' };
  t.equal(putText(blockinfile.planned.plan(a, blockinfile.planned.parse(out(file('a\n')), a))), `a\n${B}x\n${E}`);
});

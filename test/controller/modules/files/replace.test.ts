import t from 'tap';
import { replace, replaceText } from '../../../../controller/modules/files/replace.js';
import type { Args } from '../../../../controller/modules/types.js';
import { out, putText, st, summary } from './helpers.js';

t.test('replaceText is Ansible replace (MULTILINE; after/before with DOTALL)', async (t) => {
  const cases: [
    name: string,
    text: string,
    regexp: string,
    repl: string,
    after: string | undefined,
    before: string | undefined,
    want: string,
    count: number,
  ][] = [
    ['all matches', 'a=1\na=2\n', '^a=\\d$', 'a=0', undefined, undefined, 'a=0\na=0\n', 2],
    ['groups', 'host localhost\n', '\\b(localhost)\\b', '\\1.localdomain', undefined, undefined, 'host localhost.localdomain\n', 1],
    ['no match', 'x\n', 'y', 'z', undefined, undefined, 'x\n', 0],
    ['same text is no change', 'x\n', 'x', 'x', undefined, undefined, 'x\n', 0],
    ['only after', 'k=1\n[s]\nk=1\n', '^k=1', 'k=2', '\\[s\\]', undefined, 'k=1\n[s]\nk=2\n', 1],
    ['only before', 'k=1\n[s]\nk=1\n', '^k=1', 'k=2', undefined, '\\[s\\]', 'k=2\n[s]\nk=1\n', 1],
    ['between after and before (lazy)', 'k\n<a>\nk\n</a>\nk\n</a>\n', '^k$', 'K', '<a>', '</a>', 'k\n<a>\nK\n</a>\nk\n</a>\n', 1],
    [
      'named groups',
      'Listen 1.2.3.4\n',
      '^(?P<d>Listen )(?P<h>\\S+)$',
      '#\\g<d>\\g<h>\\n\\g<d>0.0.0.0',
      undefined,
      undefined,
      '#Listen 1.2.3.4\nListen 0.0.0.0\n',
      1,
    ],
  ];
  for (const [name, text, regexp, repl, after, before, want, count] of cases) {
    const r = replaceText(text, regexp, repl, after, before);
    t.equal(r.text, want, name);
    t.equal(r.count, count, `${name}: count`);
  }
  t.match(replaceText('x\n', 'x', 'y', 'zzz'), { count: 0, sectionMissing: 'zzz(?P<subsection>.*)' });
});

const file = (text: string | Buffer): string[] => [`stat ${st('file', 0o644)}`, 'real /etc/f', `content ${Buffer.from(text).toString('base64')}`, 'parent 1'];
const base = { path: '/etc/f', replace: '', backup: false, encoding: 'utf-8' };

t.test('plans', async (t) => {
  const cases: [name: string, args: Args, probe: string[], want: string[] | string, msg?: string][] = [
    ['replacements made', { regexp: 'a', replace: 'b' }, file('aa\n'), ['put /etc/f mode=0644 owner=0 group=0'], '2 replacements made'],
    ['nothing matches', { regexp: 'z' }, file('aa\n'), 'noop: no replacements made'],
    [
      'after/before did not match',
      { regexp: 'a', after: 'zz' },
      file('aa\n'),
      'noop: Pattern for before/after params did not match the given file: zz(?P<subsection>.*)',
    ],
    ['missing file', { regexp: 'a' }, ['stat -', 'parent 1'], 'fail: Path /etc/f does not exist !'],
    ['invalid UTF-8', { regexp: 'a' }, file(Buffer.from([0xff, 0x61])), 'fail: Unable to decode /etc/f as utf-8; set encoding: latin-1 for such files'],
    [
      'latin-1 works on any bytes',
      { regexp: 'a', replace: 'b', encoding: 'latin-1' },
      file(Buffer.from([0xff, 0x61])),
      ['put /etc/f mode=0644 owner=0 group=0'],
    ],
  ];
  for (const [name, args, probe, want, msg] of cases) {
    const a = { ...base, ...args };
    const plan = replace.planned.plan(a, replace.planned.parse(out(probe), a));
    t.same(summary(plan), want, name);
    if (msg) t.equal(plan.kind === 'change' && plan.msg, msg, `${name}: msg`);
  }
  const a = { ...base, regexp: '^#?PermitRootLogin .*$', replace: 'PermitRootLogin no' };
  const plan = replace.planned.plan(a, replace.planned.parse(out(file('\uFEFFx\n#PermitRootLogin yes\n')), a));
  t.equal(putText(plan), '\uFEFFx\nPermitRootLogin no\n', 'a BOM survives');
  t.match(plan, { kind: 'change', diff: [{ path: '/etc/f', before: '\uFEFFx\n#PermitRootLogin yes\n', after: '\uFEFFx\nPermitRootLogin no\n' }] });
});

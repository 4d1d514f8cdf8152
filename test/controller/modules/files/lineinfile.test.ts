import t from 'tap';
import { absentLine, checkLineArgs, lineEdit, lineinfile, presentLine, splitLines } from '../../../../controller/modules/files/lineinfile.js';
import type { Args } from '../../../../controller/modules/types.js';
import { b64, out, putText, st, summary } from './helpers.js';

const P = lineinfile.planned;

t.test('splitLines keeps line ends like readlines()', async (t) => {
  t.same(splitLines(''), []);
  t.same(splitLines('a\nb'), ['a\n', 'b']);
  t.same(splitLines('a\n\nb\n'), ['a\n', '\n', 'b\n']);
});

t.test('state=present edits, as Ansible does them', async (t) => {
  const cases: [name: string, text: string, args: Args, want: string, msg: string][] = [
    ['appends at EOF by default', 'a\nb\n', { line: 'c' }, 'a\nb\nc\n', 'line added'],
    ['ends an unterminated last line first', 'a\nb', { line: 'c' }, 'a\nb\nc\n', 'line added'],
    ['exact line present: nothing', 'a\nc\nb\n', { line: 'c' }, 'a\nc\nb\n', ''],
    ['regexp replaces the LAST match', 'x=1\ny\nx=2\n', { regexp: '^x=', line: 'x=9' }, 'x=1\ny\nx=9\n', 'line replaced'],
    ['firstmatch replaces the first match', 'x=1\ny\nx=2\n', { regexp: '^x=', line: 'x=9', firstmatch: true }, 'x=9\ny\nx=2\n', 'line replaced'],
    ['regexp match already equal: nothing', 'x=9\n', { regexp: '^x=', line: 'x=9' }, 'x=9\n', ''],
    ['regexp no match: appended', 'a\n', { regexp: '^x=', line: 'x=9' }, 'a\nx=9\n', 'line added'],
    ['regexp no match but the line exists: nothing', 'x = 9\n', { regexp: '^x=', line: 'x = 9' }, 'x = 9\n', ''],
    ['insertafter regex: after the last match', 'a\n[s]\nb\n[s]\nc\n', { line: 'n', insertafter: '^\\[s\\]' }, 'a\n[s]\nb\n[s]\nn\nc\n', 'line added'],
    ['insertafter with firstmatch', 'a\n[s]\nb\n[s]\nc\n', { line: 'n', insertafter: '^\\[s\\]', firstmatch: true }, 'a\n[s]\nn\nb\n[s]\nc\n', 'line added'],
    ['insertafter not found: EOF', 'a\nb\n', { line: 'n', insertafter: '^zzz' }, 'a\nb\nn\n', 'line added'],
    ['insertafter the last line', 'a\nb\n', { line: 'n', insertafter: '^b' }, 'a\nb\nn\n', 'line added'],
    ['insertafter: line already right after', 'a\nn\nb\n', { line: 'n', insertafter: '^a' }, 'a\nn\nb\n', ''],
    ['insertbefore regex', 'a\nb\n', { line: 'n', insertbefore: '^b' }, 'a\nn\nb\n', 'line added'],
    ['insertbefore BOF', 'a\n', { line: '#!/bin/sh', insertbefore: 'BOF' }, '#!/bin/sh\na\n', 'line added'],
    ['insertbefore not found: EOF', 'a\n', { line: 'n', insertbefore: '^zzz' }, 'a\nn\n', 'line added'],
    ['regexp wins over insertafter', 'k=1\n[s]\n', { regexp: '^k=', line: 'k=2', insertafter: '^\\[s\\]' }, 'k=2\n[s]\n', 'line replaced'],
    ['backrefs expand groups', 'Port 22\n', { regexp: '^Port (\\d+)', line: 'Port \\1 # was \\1', backrefs: true }, 'Port 22 # was 22\n', 'line replaced'],
    ['backrefs with \\g<name>', 'host=a\n', { regexp: '^(?P<k>host=).*', line: '\\g<k>b', backrefs: true }, 'host=b\n', 'line replaced'],
    ['backrefs with no match: no change', 'a\n', { regexp: '^Port (\\d+)', line: 'Port \\1', backrefs: true }, 'a\n', ''],
    ['no backrefs: \\1 is literal', 'a\n', { regexp: '^zz', line: 'x\\1' }, 'a\nx\\1\n', 'line added'],
    ['search_string', 'a.b=1\naxb=2\n', { search_string: 'a.b', line: 'a.b=3' }, 'a.b=3\naxb=2\n', 'line replaced'],
    ['empty file', '', { line: 'x' }, 'x\n', 'line added'],
    ['non-ASCII text is kept byte for byte', 'naïve=1\n', { regexp: '^naïve=', line: 'naïve=2' }, 'naïve=2\n', 'line replaced'],
  ];
  for (const [name, text, args, want, msg] of cases) {
    const bytes = Buffer.from(text, 'utf8').toString('latin1');
    const r = presentLine(bytes, lineEdit({ state: 'present', ...args }));
    t.equal(Buffer.from(r.text, 'latin1').toString('utf8'), want, name);
    t.equal(r.msg, msg, `${name}: msg`);
    t.equal(r.changed, msg !== '', `${name}: changed`);
  }
});

t.test('state=absent removes every matching line', async (t) => {
  const cases: [text: string, args: Args, want: string, found: number][] = [
    ['a\nb\na\n', { line: 'a' }, 'b\n', 2],
    ['#x\ny\n#z\n', { regexp: '^#' }, 'y\n', 2],
    ['a.b\naxb\n', { search_string: 'a.b' }, 'axb\n', 1],
    ['a\n', { line: 'z' }, 'a\n', 0],
  ];
  for (const [text, args, want, found] of cases) {
    const r = absentLine(text, lineEdit({ state: 'absent', ...args }));
    t.equal(r.text, want, JSON.stringify(args));
    t.equal(r.found, found);
    t.equal(r.msg, found ? `${found} line(s) removed` : '');
  }
});

t.test('argument rules', async (t) => {
  const cases: [Args, string | undefined][] = [
    [{ path: '/f', line: 'x' }, undefined],
    [{ path: '/f' }, 'line is required with state=present'],
    [{ path: '/f', state: 'absent' }, 'one of line, search_string, or regexp is required with state=absent'],
    [{ path: '/f', line: 'x', backrefs: true }, 'regexp is required with backrefs=true'],
    [{ path: '/f', line: 'x', insertafter: 'a', insertbefore: 'b' }, 'parameters are mutually exclusive: insertbefore|insertafter'],
    [{ path: '/f', line: 'x', regex: 'a', search_string: 'b' }, 'parameters are mutually exclusive: regexp|search_string'],
    [{ path: '/f', line: 'x', backrefs: 'yes', regexp: 'a' }, undefined],
    [{ path: '/f', state: '{{ s }}' }, undefined],
  ];
  for (const [args, want] of cases) t.equal(checkLineArgs(args), want, JSON.stringify(args));
});

const file = (text: string, mode = 0o644): string[] => [`stat ${st('file', mode, { size: text.length })}`, 'real /etc/f', `content ${b64(text)}`, 'parent 1'];
const base = { path: '/etc/f', state: 'present', backrefs: false, create: false, backup: false, firstmatch: false };

t.test('plans: (args, probe output) -> steps', async (t) => {
  const cases: [name: string, args: Args, probe: string[], want: string[] | string][] = [
    ['line added: put with the old mode', { line: 'c' }, file('a\n', 0o600), ['put /etc/f mode=0600 owner=0 group=0']],
    ['already there: noop', { line: 'a' }, file('a\n'), 'noop: line already present'],
    ['mode differs only: chmod', { line: 'a', mode: '0600' }, file('a\n'), ['chmod 0600 /etc/f']],
    ['owner differs only: chown', { line: 'a', owner: 'www' }, file('a\n'), ['chown www /etc/f']],
    ['owner as the same uid: noop', { line: 'a', owner: '0' }, file('a\n'), 'noop: line already present'],
    ['missing file, create false: fail', { line: 'a' }, ['stat -', 'real /etc/f', 'parent 1'], 'fail: Destination /etc/f does not exist !'],
    ['missing file, create: put with the umask default', { line: 'a', create: true }, ['stat -', 'real /etc/f', 'parent 1'], ['put /etc/f mode=0644']],
    ['missing dir, create: mkdir first', { line: 'a', create: true }, ['stat -', 'real /etc/f'], ['mkdir -p "$(dirname /etc/f)"', 'put /etc/f mode=0644']],
    [
      'backrefs, missing file, create: nothing',
      { line: 'a', regexp: 'x', backrefs: true, create: true },
      ['stat -', 'parent 1'],
      'noop: regexp did not match: nothing to create',
    ],
    ['absent on a missing file: noop', { state: 'absent', line: 'a' }, ['stat -'], 'noop: file not present'],
    ['directory: fail', { line: 'a' }, [`stat ${st('directory', 0o755)}`], 'fail: Path /etc/f is a directory !'],
    [
      'backup: cp -p first',
      { line: 'c', backup: true },
      file('a\n'),
      ["cp -p /etc/f '/etc/f.4242.2024-05-01@10:00:00~'", 'put /etc/f mode=0644 owner=0 group=0'],
    ],
    [
      'validate: put beside, check, move',
      { line: 'c', validate: 'visudo -cf %s' },
      file('a\n', 0o440),
      [
        'put /etc/.muster.4242.2024-05-01100000.f mode=0440 owner=0 group=0',
        'if visudo -cf /etc/.muster.4242.2024-05-01100000.f; then mv -f /etc/.muster.4242.2024-05-01100000.f /etc/f; else rc=$?; rm -f /etc/.muster.4242.2024-05-01100000.f; echo "failed to validate (rc $rc)" >&2; exit 1; fi',
      ],
    ],
    ['probe failed: fail', { line: 'a' }, [], 'fail: could not read the state of the host (rc 2): boom'],
    [
      'a symlink is edited at its real path',
      { line: 'b' },
      [`stat ${st('file', 0o644)}`, 'real /srv/real', `content ${b64('a\n')}`, 'parent 1'],
      ['put /srv/real mode=0644 owner=0 group=0'],
    ],
  ];
  for (const [name, args, probe, want] of cases) {
    const o = name.startsWith('probe failed') ? { rc: 2, stdout: '', stderr: 'boom' } : out(probe);
    t.same(summary(P.plan({ ...base, ...args }, P.parse(o, { ...base, ...args }))), want, name);
  }
});

t.test('plans carry Ansible result values and a diff', async (t) => {
  const args = { ...base, regexp: '^x=', line: 'x=2', backup: true };
  const plan = P.plan(args, P.parse(out(file('x=1\n')), args));
  t.equal(plan.kind, 'change');
  if (plan.kind !== 'change') return;
  t.equal(putText(plan), 'x=2\n');
  t.equal(plan.msg, 'line replaced');
  t.same(plan.diff, [{ path: '/etc/f', before: 'x=1\n', after: 'x=2\n' }]);
  t.match(plan.data, { path: '/etc/f', backup: '/etc/f.4242.2024-05-01@10:00:00~', mode: '0644', owner: 'root' });
  const absent = P.plan({ ...base, state: 'absent', regexp: '^x' }, P.parse(out(file('x=1\nx=2\ny\n')), args));
  t.match(absent, { kind: 'change', msg: '2 line(s) removed', data: { found: 2 } });
  const both = P.plan({ ...base, line: 'z', mode: '0600' }, P.parse(out(file('a\n')), args));
  t.match(both, { kind: 'change', msg: 'line added and ownership, perms or SE linux context changed' });
});

t.test('a bad regexp fails the plan with the pattern', async (t) => {
  t.throws(() => P.plan({ ...base, regexp: '(x', line: 'a' }, P.parse(out(file('a\n')), base)), { code: 'E_MODULE', message: /\(x/ });
});

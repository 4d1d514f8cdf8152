import t from 'tap';
import { sh } from '../../../../controller/command.js';
import { cmd, keyValues, missingTools, parseSections, plainText, section, withSbin } from '../../../../controller/modules/system/probe.js';
import { Secret } from '../../../../controller/command.js';
import { dash } from './fake.js';

t.test('sections recover exact content and exit codes, run for real', async (t) => {
  const script = withSbin(
    section('nl', sh`printf 'a\\nb\\n'`),
    section('bare', sh`printf 'no newline'`),
    section('empty', sh`:`),
    section('failed', sh`echo partial; false`),
    section('tricky', sh`printf '@@muster:end 7'`),
  );
  const r = dash(script);
  t.equal(r.rc, 0);
  const s = parseSections(r.stdout);
  t.same(s.get('nl'), { text: 'a\nb\n', rc: 0 });
  t.same(s.get('bare'), { text: 'no newline', rc: 0 });
  t.same(s.get('empty'), { text: '', rc: 0 });
  t.same(s.get('failed'), { text: 'partial\n', rc: 1 });
  t.ok(s.has('tricky'), 'content that imitates a marker does not break the following parse');
});

t.test('a section cut off (script died) is left out', async (t) => {
  const s = parseSections('@@muster:begin a\nx@@muster:end 0\n@@muster:begin b\nhalf');
  t.same([...s.keys()], ['a']);
});

t.test('keyValues', async (t) => {
  t.same(keyValues('A=1\nB=x=y\n\nnoequals\n=v\nA=2'), { A: '2', B: 'x=y' });
});

t.test('missingTools lists only what is absent', async (t) => {
  const r = dash(missingTools(['sh', 'no-such-tool-xyz']));
  t.equal(r.stdout, 'no-such-tool-xyz\n');
});

t.test('cmd quotes each word and drops false ones', async (t) => {
  t.equal(cmd('useradd', false, ['-c', 'A B'], undefined, 'x').shown, `useradd -c 'A B' x`);
  t.equal(cmd('usermod', '-p', new Secret('$6$hash')).shown, 'usermod -p ***');
  t.equal(cmd('usermod', '-p', new Secret('$6$hash')).text, `usermod -p '$6$hash'`);
});

t.test('plainText reads secrets and strings', async (t) => {
  t.equal(plainText(new Secret('s3')), 's3');
  t.equal(plainText('x'), 'x');
  t.equal(plainText(undefined), undefined);
});

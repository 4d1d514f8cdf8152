import t from 'tap';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { join as joinScripts } from '../../../../controller/command.js';
import {
  backupPath,
  backupStep,
  confDirFiles,
  confDirSection,
  fileSection,
  fileText,
  linesOf,
  stampSection,
  textOf,
} from '../../../../controller/modules/system/config-files.js';
import { parseSections } from '../../../../controller/modules/system/probe.js';
import { dash } from './fake.js';

t.test('lines and text', async (t) => {
  t.same(linesOf('a\nb\n'), ['a', 'b']);
  t.same(linesOf('a\nb'), ['a', 'b']);
  t.same(linesOf(''), []);
  t.equal(textOf(['a', 'b']), 'a\nb\n');
  t.equal(textOf([]), '');
});

t.test('backup names and step', async (t) => {
  t.equal(backupPath('/etc/fstab', '12.2026-01-01@10:00:00'), '/etc/fstab.12.2026-01-01@10:00:00~');
  const step = backupStep('/etc/fstab', '/etc/fstab.1~');
  t.equal('exec' in step && step.exec.shown, "cp -p /etc/fstab '/etc/fstab.1~'");
});

t.test('for real with dash: a file, a missing file, a conf directory, a stamp', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-conf-'));
  writeFileSync(join(dir, 'one'), 'no newline');
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'a.conf'), 'x\n\ny:z\n');
  writeFileSync(join(dir, 'd', 'b.conf'), 'w\n');
  writeFileSync(join(dir, 'd', 'c.txt'), 'not a conf\n');
  const out = dash(
    joinScripts([
      fileSection('one', join(dir, 'one')),
      fileSection('none', join(dir, 'none')),
      confDirSection('d', join(dir, 'd')),
      confDirSection('e', join(dir, 'empty')),
      stampSection(),
    ]),
  ).stdout;
  const s = parseSections(out);
  t.equal(fileText(s.get('one')), 'no newline', 'the exact bytes');
  t.equal(fileText(s.get('none')), undefined);
  t.same(
    [...confDirFiles(s.get('d'))],
    [
      [join(dir, 'd', 'a.conf'), 'x\n\ny:z\n'],
      [join(dir, 'd', 'b.conf'), 'w\n'],
    ],
  );
  t.same([...confDirFiles(s.get('e'))], [], 'a missing directory: no files');
  t.match(s.get('stamp')?.text, /^\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
});

t.test('a file that exists but cannot be read is an error, not an empty file', async (t) => {
  t.throws(() => fileText({ text: 'cat: /etc/x: Permission denied\n', rc: 1 }, '/etc/x'), {
    message: 'cannot read /etc/x: cat: /etc/x: Permission denied (does the task need become: true?)',
  });
  t.equal(fileText({ text: '', rc: 3 }, '/etc/x'), undefined, 'rc 3: missing');
  t.equal(fileText(undefined), undefined, 'no section: missing');
  if (process.getuid?.() === 0) return t.pass('root reads everything: the mode 000 case cannot be shown here');
  const dir = mkdtempSync(join(tmpdir(), 'muster-conf-'));
  writeFileSync(join(dir, 'secret'), 'x\n', { mode: 0o000 });
  const s = parseSections(dash(fileSection('f', join(dir, 'secret'))).stdout);
  t.throws(() => fileText(s.get('f'), 'secret'), /cannot read secret: .*Permission denied/);
});

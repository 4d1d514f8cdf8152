import t from 'tap';
import { parseStat } from '../../../../controller/modules/files/probe.js';
import { backupName, checkValidate, putAttrs, tempBeside, validateScript, writeSteps } from '../../../../controller/modules/files/writes.js';
import { st } from './helpers.js';

const cur = parseStat(st('file', 0o640, { uid: 1000, gid: 4, owner: 'pi', group: 'adm' }));

t.test('putAttrs: as asked, else as it was, else the umask default', async (t) => {
  const cases: [name: string, want: Parameters<typeof putAttrs>[0], stat: typeof cur, uid: number, expected: ReturnType<typeof putAttrs>][] = [
    ['new file', {}, undefined, 0, { mode: 0o644, owner: undefined, group: undefined }],
    ['new file, symbolic mode on the default', { mode: 'u+x' }, undefined, 0, { mode: 0o744, owner: undefined, group: undefined }],
    ['existing, root keeps owner and group', {}, cur, 0, { mode: 0o640, owner: '1000', group: '4' }],
    ['existing, non-root', {}, cur, 1000, { mode: 0o640, owner: undefined, group: undefined }],
    ['asked for', { mode: '0600', owner: 'app' }, cur, 0, { mode: 0o600, owner: 'app', group: '4' }],
  ];
  for (const [name, want, stat, uid, expected] of cases) t.same(putAttrs(want, stat, { umask: 0o022, uid, stamp: '1.2' }), expected, name);
});

t.test('writeSteps', async (t) => {
  const plain = writeSteps({ path: '/etc/f', content: Buffer.from('x'), mode: 0o644, stamp: '1.2' });
  t.match(plain, [{ put: { dest: '/etc/f', mode: '0644' } }]);
  const backup = writeSteps({ path: '/etc/f', content: Buffer.from('x'), mode: 0o644, stamp: '1.2', backup: backupName('/etc/f', '1.2') });
  t.equal('exec' in backup[0] && backup[0].exec.shown, "cp -p /etc/f '/etc/f.1.2~'");
  const validated = writeSteps({ path: '/etc/sudoers', content: Buffer.from('x'), mode: 0o440, stamp: '9.d@t', validate: 'visudo -cf %s' });
  t.match(validated, [
    { put: { dest: '/etc/.muster.9.dt.sudoers', mode: '0440' } },
    { exec: { shown: /^if visudo -cf \/etc\/\.muster\.9\.dt\.sudoers; then mv -f/ } },
  ]);
});

t.test('validate helpers', async (t) => {
  t.equal(tempBeside('f', 's'), '.muster.s.f');
  t.equal(
    validateScript('sh -n %s', '/t x', '/d').text,
    "if sh -n '/t x'; then mv -f '/t x' /d; else rc=$?; rm -f '/t x'; echo \"failed to validate (rc $rc)\" >&2; exit 1; fi",
  );
  t.equal(checkValidate('nginx -t'), 'validate must contain %s (the file to check): nginx -t');
  t.equal(checkValidate('{{ cmd }}'), undefined);
  t.equal(checkValidate(undefined), undefined);
});

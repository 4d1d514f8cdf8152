import t from 'tap';
import { editKeys, formatKey, parseKeyLine, wantedKeys } from '../../../../controller/modules/system/keys.js';

const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc alice@laptop';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC bob@desk';

t.test('parseKeyLine', async (t) => {
  const table: [string, ReturnType<typeof parseKeyLine>][] = [
    [ED, { options: undefined, type: 'ssh-ed25519', blob: 'AAAAC3NzaC1lZDI1NTE5AAAAIAbc', comment: 'alice@laptop' }],
    ['ssh-rsa AAAAB3 ', { options: undefined, type: 'ssh-rsa', blob: 'AAAAB3', comment: undefined }],
    ['ssh-rsa AAAAB3 my  long comment', { options: undefined, type: 'ssh-rsa', blob: 'AAAAB3', comment: 'my  long comment' }],
    [
      'from="10.0.0.1, 10.0.0.2",no-pty ecdsa-sha2-nistp256 AAAAE2 c',
      { options: 'from="10.0.0.1, 10.0.0.2",no-pty', type: 'ecdsa-sha2-nistp256', blob: 'AAAAE2', comment: 'c' },
    ],
    ['sk-ssh-ed25519@openssh.com AAAA x', { options: undefined, type: 'sk-ssh-ed25519@openssh.com', blob: 'AAAA', comment: 'x' }],
    ['# a comment', undefined],
    ['', undefined],
    ['not a key at all', undefined],
    ['ssh-rsa', undefined],
  ];
  for (const [line, want] of table) t.same(parseKeyLine(line), want, line);
});

t.test('formatKey round trips', async (t) => {
  t.equal(formatKey(parseKeyLine(`no-pty ${ED}`)!), `no-pty ${ED}`);
});

t.test('wantedKeys applies key_options and comment, and reports bad lines', async (t) => {
  const w = wantedKeys(`${ED}\n\n# note\n${RSA}\nbogus line`, { keyOptions: 'no-pty', comment: 'managed' });
  t.same(w.keys.map(formatKey), ['no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc managed', 'no-pty ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC managed']);
  t.same(w.bad, ['bogus line']);
});

t.test('editKeys fixture table', async (t) => {
  const k = (text: string, o = {}) => wantedKeys(text, o).keys;
  const table: [string, string, ReturnType<typeof k>, { state: 'present' | 'absent'; exclusive: boolean }, string][] = [
    ['append to empty', '', k(ED), { state: 'present', exclusive: false }, `${ED}\n`],
    ['already there: unchanged', `# hi\n${ED}\n`, k(ED), { state: 'present', exclusive: false }, `# hi\n${ED}\n`],
    [
      'spacing alone is no change',
      `ssh-ed25519   AAAAC3NzaC1lZDI1NTE5AAAAIAbc alice@laptop\n`,
      k(ED),
      { state: 'present', exclusive: false },
      `ssh-ed25519   AAAAC3NzaC1lZDI1NTE5AAAAIAbc alice@laptop\n`,
    ],
    [
      'new options replace the line in place',
      `${RSA}\n${ED}\n`,
      k(ED, { keyOptions: 'no-pty' }),
      { state: 'present', exclusive: false },
      `${RSA}\nno-pty ${ED}\n`,
    ],
    ['append keeps others, adds a trailing newline', RSA, k(ED), { state: 'present', exclusive: false }, `${RSA}\n${ED}\n`],
    ['exclusive drops others and comments', `# hi\n${RSA}\n${ED}\n`, k(ED), { state: 'present', exclusive: true }, `${ED}\n`],
    ['duplicates collapse', `${ED}\n${ED}\n`, k(ED), { state: 'present', exclusive: false }, `${ED}\n`],
    ['absent removes every copy', `${ED}\n${RSA}\n${ED}\n`, k(ED), { state: 'absent', exclusive: false }, `${RSA}\n`],
    ['absent of a missing key', `${RSA}\n`, k(ED), { state: 'absent', exclusive: false }, `${RSA}\n`],
    ['absent of the last key', `${ED}\n`, k(ED), { state: 'absent', exclusive: false }, ''],
  ];
  for (const [title, before, keys, opts, after] of table) t.equal(editKeys(before, keys, opts), after, title);
});

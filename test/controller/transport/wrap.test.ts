import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Secret, sh } from '../../../controller/command.js';
import type { ExecOptions } from '../../../controller/transport/types.js';
import { becomeFailure, newPromptMarker, newRunId, reapScript, stripPrompt, tagScript, wrapCommand } from '../../../controller/transport/wrap.js';

const M = '[m] ';
const CHOOSER =
  'if sudo -n -u "$1" -- true 2>/dev/null; then IFS= read -r _ || :; exec sudo -H -n -u "$1" -- sh -c "$0"; fi\n' +
  'exec sudo -H -k -S -p "$2" -u "$1" -- sh -c "$0"';

t.test('wrapCommand builds the exact command line', async (t) => {
  const cases: [string, ExecOptions, string, string?][] = [
    ['plain', {}, `sh -c 'echo hi'`],
    ['env', { env: { A: '1', B_2: 'x y' } }, `sh -c 'export A=1\nexport B_2='\\''x y'\\''\necho hi'`],
    ['cwd', { cwd: '/srv/my app' }, `sh -c 'cd '\\''/srv/my app'\\'' || exit 1\necho hi'`],
    ['cwd starting with a dash', { cwd: '-odd' }, `sh -c 'cd ./-odd || exit 1\necho hi'`],
    ['empty cwd is no cwd', { cwd: '' }, `sh -c 'echo hi'`],
    ['become root', { become: { user: 'root' } }, `sudo -H -n -u root -- sh -c 'echo hi'`],
    ['become default user', { become: { user: '' } }, `sudo -H -n -u root -- sh -c 'echo hi'`],
    [
      'become other user with env and cwd',
      { become: { user: 'www-data' }, env: { A: '1' }, cwd: '/tmp' },
      `sudo -H -n -u www-data -- sh -c 'export A=1\ncd /tmp || exit 1\necho hi'`,
    ],
    ['become with password', { become: { user: 'root', password: new Secret('pw') } }, `sh -c '${CHOOSER}' 'echo hi' root '${M}'`],
  ];
  for (const [name, opts, want] of cases) {
    const w = wrapCommand(sh`echo hi`, opts, M);
    t.equal(w.script.text, want, name);
  }
});

t.test('wrapCommand feeds stdin, with the password line first when there is one', async (t) => {
  t.equal(wrapCommand(sh`cat`, {}, M).stdin, undefined, 'no stdin: none sent');
  t.same(wrapCommand(sh`cat`, { stdin: 'data' }, M).stdin, Buffer.from('data'));
  t.same(wrapCommand(sh`cat`, { stdin: Buffer.from([0, 255]) }, M).stdin, Buffer.from([0, 255]));
  const w = wrapCommand(sh`cat`, { stdin: 'data', become: { user: 'root', password: new Secret('s3cret') } }, M);
  t.same(w.stdin, Buffer.from('s3cret\ndata'));
  t.equal(w.marker, M);
  const empty = wrapCommand(sh`cat`, { become: { user: 'root', password: new Secret('s3cret') } }, M);
  t.same(empty.stdin, Buffer.from('s3cret\n'));
  t.equal(wrapCommand(sh`cat`, { become: { user: 'root' } }, M).marker, undefined, 'no password: no prompt to strip');
});

t.test('the password never shows, and secrets inside the script stay masked', async (t) => {
  const w = wrapCommand(sh`echo ${new Secret('tok3n')}`, { become: { user: 'root', password: new Secret('s3cret') } }, M);
  t.notMatch(w.script.shown, 's3cret');
  t.notMatch(w.script.shown, 'tok3n');
  t.match(w.script.shown, `'echo ***'`);
  t.match(w.script.text, `'echo tok3n'`);
  t.notMatch(w.script.text, 's3cret', 'the password travels on stdin, not in the command line');
});

t.test('wrapCommand refuses environment names the shell cannot export', async (t) => {
  for (const name of ['1A', 'A-B', 'A B', '', 'A;rm']) {
    t.throws(() => wrapCommand(sh`true`, { env: { [name]: 'x' } }, M), { code: 'E_SCHEMA' }, JSON.stringify(name));
  }
});

t.test('newPromptMarker is fresh each time', async (t) => {
  const a = newPromptMarker();
  t.match(a, /^\[muster-sudo-[0-9a-f]{16}\] $/);
  t.not(a, newPromptMarker());
});

// What comes out of the shell must be exactly what went in, whatever the quotes, $ and newlines.
const NASTY = [
  "it's",
  '"double"',
  '$HOME',
  '`id`',
  '$(echo pwned)',
  'a\\b',
  'line1\nline2',
  '!',
  '*',
  '-n',
  'tab\there',
  "'",
  "''",
  'ünïcødé ✓',
  ' lead and trail ',
  '; rm -rf /tmp/nothing',
  '%s%d',
];

t.test('nasty strings survive env, cwd and the script itself when run by /bin/sh', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'muster-wrap-'));
  for (const s of NASTY) {
    const dir = join(root, s.replace(/\//g, '_'));
    mkdirSync(dir, { recursive: true });
    const w = wrapCommand(sh`printf '%s|' ${s} "$V"; pwd`, { env: { V: s }, cwd: dir }, M);
    const r = spawnSync('/bin/sh', ['-c', w.script.text], { encoding: 'utf8' });
    t.equal(r.stderr, '', `${JSON.stringify(s)}: no complaint`);
    t.equal(r.stdout, `${s}|${s}|${dir}\n`, JSON.stringify(s));
  }
});

// A stand-in for sudo that behaves like the real one on the points the wrapper depends on.
const FAKE_SUDO = `#!/bin/sh
n=0 p=
while [ $# -gt 0 ]; do
  case $1 in --) shift; break;; -n) n=1;; -p) shift; p=$1;; -u) shift;; esac
  shift
done
[ "$FAKE_NOPASSWD" = 1 ] && exec "$@"
if [ $n = 1 ]; then echo 'sudo: a password is required' >&2; exit 1; fi
printf '%s' "$p" >&2
IFS= read -r pw
if [ "$pw" != "$FAKE_PW" ]; then printf 'Sorry, try again.\\nsudo: 1 incorrect password attempt\\n' >&2; exit 1; fi
exec "$@"
`;

t.test('with a password, the command gets exactly its own stdin, whether sudo asks or not', async (t) => {
  const bin = mkdtempSync(join(tmpdir(), 'muster-fakesudo-'));
  writeFileSync(join(bin, 'sudo'), FAKE_SUDO);
  chmodSync(join(bin, 'sudo'), 0o755);
  const run = (env: Record<string, string>, password: string) => {
    const w = wrapCommand(sh`cat`, { stdin: 'DATA\nmore\n', become: { user: 'root', password: new Secret(password) } }, M);
    const r = spawnSync('/bin/sh', ['-c', w.script.text], {
      input: w.stdin,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_PW: 'pw', ...env },
    });
    return { rc: r.status ?? -1, stdout: r.stdout, stderr: stripPrompt(r.stderr, w.marker) };
  };
  t.same(run({ FAKE_NOPASSWD: '1' }, 'pw'), { rc: 0, stdout: 'DATA\nmore\n', stderr: '' }, 'NOPASSWD: the password line is swallowed');
  t.same(run({}, 'pw'), { rc: 0, stdout: 'DATA\nmore\n', stderr: '' }, 'password asked: sudo reads it, the prompt is stripped');
  const bad = run({}, 'wrong');
  t.equal(bad.rc, 1);
  t.equal(becomeFailure(bad.rc, bad.stderr, { user: 'root' })?.message, 'wrong sudo password (becoming root)');
});

t.test('stripPrompt removes every copy of the marker and nothing else', async (t) => {
  t.equal(stripPrompt(`${M}${M}real error\n`, M), 'real error\n');
  t.equal(stripPrompt('[m] x', undefined), '[m] x');
});

t.test('becomeFailure reads sudo refusals out of stderr', async (t) => {
  const root = { user: 'root' };
  const cases: [string, number, string, string | undefined, string?][] = [
    ['password needed', 1, 'sudo: a password is required\n', 'sudo needs a password to become root', '-K/--ask-become-pass'],
    ['wrong password (sudo 1.9)', 1, 'Sorry, try again.\nsudo: 1 incorrect password attempt\n', 'wrong sudo password (becoming root)', 'check the password'],
    ['wrong password, 3 tries', 1, 'Sorry, try again.\nSorry, try again.\nsudo: 3 incorrect password attempts\n', 'wrong sudo password (becoming root)'],
    ['no password line at all', 1, 'sudo: no password was provided\n', 'wrong sudo password (becoming root)'],
    [
      'not in sudoers',
      1,
      'pwuser is not in the sudoers file.  This incident will be reported.\n',
      'sudo refused: pwuser is not in the sudoers file.',
      '/etc/sudoers',
    ],
    [
      'not allowed',
      1,
      "Sorry, user bob is not allowed to execute '/bin/sh -c x' as root on pi.\n",
      "sudo refused: Sorry, user bob is not allowed to execute '/bin/sh -c x' as root on pi.",
    ],
    ['unknown user', 1, 'sudo: unknown user nobody2\n', 'sudo: unknown user nobody2', 'become_user'],
    ['no sudo installed', 127, 'sh: 1: sudo: not found\n', 'sudo is not installed on this host'],
    ['the command failed on its own', 1, 'ls: cannot access x: No such file or directory\n', undefined],
    ['success mentioning sudo words', 0, 'sudo: a password is required\n', undefined],
  ];
  for (const [name, rc, stderr, message, hint] of cases) {
    const err = becomeFailure(rc, stderr, root, 'h1');
    t.equal(err?.message, message, name);
    if (err) {
      t.equal(err.code, 'E_BECOME', `${name}: code`);
      t.equal(err.host, 'h1', `${name}: host`);
      if (hint) t.match(err.hint, hint, `${name}: hint`);
    }
  }
  t.equal(becomeFailure(1, 'sudo: a password is required\n', undefined), undefined, 'no become: not sudo speaking');
  t.equal(becomeFailure(1, 'sudo: a password is required\n', { user: 'www-data' })?.message, 'sudo needs a password to become www-data');
});

t.test('reapScript kills the process group of a tagged script, and nothing else', async (t) => {
  const id = newRunId();
  t.match(id, /^[0-9a-f]{16}$/);
  const tagged = wrapCommand(tagScript(sh`sleep 37 & sleep 38; echo never`, id), {}, M);
  t.match(tagged.script.text, new RegExp(`^sh -c '# muster-run-${id}\\n`));
  const victim = spawn('/bin/sh', ['-c', tagged.script.text], { detached: true, stdio: 'ignore' });
  const bystander = spawn('/bin/sh', ['-c', wrapCommand(tagScript(sh`sleep 39`, newRunId()), {}, M).script.text], { stdio: 'ignore' });
  t.teardown(() => void bystander.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 300));
  const exited = new Promise<number | null>((r) => victim.on('exit', (code) => r(code)));
  const reap = spawnSync('/bin/sh', ['-c', wrapCommand(reapScript(id), {}, M).script.text], { encoding: 'utf8' });
  t.equal(reap.status, 0, 'the reaper itself succeeds');
  t.equal(await exited, null, 'the tagged shell was killed');
  const left = spawnSync('/bin/sh', ['-c', 'ps -eo args | grep -c "^sleep 3[78]" || :'], { encoding: 'utf8' }).stdout.trim();
  t.equal(left, '0', 'its children went with it');
  t.equal(bystander.exitCode, null, 'another tagged command is untouched');
});

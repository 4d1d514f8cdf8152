import t from 'tap';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from '../../../../controller/command.js';
import { command, commandInvocation, commandProblem } from '../../../../controller/modules/commands/command.js';
import { guardedScript, interpret, readMarker, type Invocation } from '../../../../controller/modules/commands/invoke.js';
import { fakeContext } from '../system/fake.js';

const defaults = { stdin_add_newline: true, strip_empty_ends: true };

t.test('commandInvocation: argv from free form, cmd or argv', async (t) => {
  const table: [Record<string, unknown>, string | string[]][] = [
    [{ _raw_params: 'ls -l /tmp' }, ['ls', '-l', '/tmp']],
    [{ _raw_params: `echo 'a b' $HOME` }, ['echo', 'a b', '$HOME']],
    [{ argv: ['touch', 'x y'] }, ['touch', 'x y']],
    [{ _raw_params: '   ' }, 'no command given'],
    [{}, 'no command given'],
    [{ _raw_params: 'ls', argv: ['ls'] }, 'only command or argv can be given, not both'],
    [{ _raw_params: `echo 'x` }, 'cannot split the command into words: No closing quotation'],
  ];
  for (const [args, want] of table) {
    const r = commandInvocation({ ...defaults, ...args });
    if (typeof want === 'string') t.same(r, { ok: false, msg: want }, JSON.stringify(args));
    else t.same(r.ok && r.inv.cmd, want, JSON.stringify(args));
  }
  t.equal(commandProblem({}), 'no command given', 'validate reports the same problem at load time');
});

t.test('each word is quoted on its own: no shell expansion', async (t) => {
  const r = commandInvocation({ ...defaults, _raw_params: `echo '$(rm -rf /)' "a;b" *` });
  t.ok(r.ok);
  if (r.ok) t.equal(r.inv.body.shown, `echo '$(rm -rf /)' 'a;b' '*'`);
});

t.test('guardedScript shows the guards in order', async (t) => {
  const inv: Invocation = { body: sh`${['touch', 'f']}`, cmd: ['touch', 'f'], chdir: '/srv', creates: 'f', removes: '/old', strip: true };
  const text = guardedScript(inv, false).shown;
  const lines = text.split('\n');
  t.match(lines[0], /^cd \/srv \|\|/);
  t.match(lines[1], /p=f; for f in \$p/);
  t.match(lines[2], /p=\/old;/);
  t.equal(lines.at(-1), 'exec touch f');
  t.match(guardedScript(inv, true).shown.split('\n').at(-1), /echo @@muster:check$/, 'check mode stops before exec');
});

t.test('readMarker strips only the marker line', async (t) => {
  t.same(readMarker('@@muster:run\nhello\n@@muster:run\n'), { marker: 'run', stdout: 'hello\n@@muster:run\n' });
  t.same(readMarker('no marker'), { stdout: 'no marker' });
});

t.test('interpret: fixture table of guard outcomes', async (t) => {
  const inv: Invocation = { body: sh`true`, cmd: ['true'], chdir: '/srv', creates: '/x', strip: true };
  const time = { start: 0, end: 1 };
  const table: [string, number, boolean, { changed: boolean; failed?: boolean; msg?: string; skipped?: boolean; rc?: number | null }][] = [
    ['@@muster:creates\n', 0, false, { changed: false, msg: "Did not run command since '/x' exists", rc: 0 }],
    ['@@muster:creates\n', 0, true, { changed: false, msg: "Would not run command since '/x' exists", rc: 0 }],
    ['@@muster:check\n', 0, true, { changed: true, msg: 'Command would have run if not in check mode', rc: 0 }],
    ['@@muster:nochdir\n', 1, false, { changed: false, failed: true, msg: 'Unable to change directory before execution: /srv', rc: 1 }],
    ['@@muster:run\nout\n', 0, false, { changed: true, rc: 0 }],
    ['@@muster:run\n', 3, false, { changed: true, failed: true, msg: 'non-zero return code', rc: 3 }],
  ];
  for (const [stdout, rc, check, want] of table) {
    const r = interpret(inv, { rc, stdout, stderr: '' }, check, time);
    t.equal(r.changed, want.changed, `${stdout.trim()} changed`);
    t.equal(r.failed, want.failed, `${stdout.trim()} failed`);
    if (want.msg) t.equal(r.msg, want.msg);
    t.equal(r.data?.rc, want.rc, `${stdout.trim()} rc`);
  }
  const unguarded = interpret({ ...inv, creates: undefined }, { rc: 0, stdout: '@@muster:check\n', stderr: '' }, true, time);
  t.same([unguarded.changed, unguarded.data?.skipped], [false, true], 'check mode without a guard is skipped, not changed');
});

t.test('interpret: a run returns Ansible values', async (t) => {
  const inv: Invocation = { body: sh`x`, cmd: ['x'], strip: true };
  const r = interpret(inv, { rc: 0, stdout: '@@muster:run\na\nb\n\n', stderr: 'warn\r\n' }, false, { start: 1000, end: 1250 });
  t.equal(r.changed, true);
  t.same(r.data?.stdout, 'a\nb');
  t.same(r.data?.stdout_lines, ['a', 'b']);
  t.same(r.data?.stderr, 'warn');
  t.same(r.data?.stderr_lines, ['warn']);
  t.equal(r.data?.delta, '0:00:00.250000');
  t.same(r.data?.cmd, ['x']);
  const kept = interpret({ ...inv, strip: false }, { rc: 0, stdout: '@@muster:run\na\n', stderr: '' }, false, { start: 0, end: 0 });
  t.equal(kept.data?.stdout, 'a\n', 'strip_empty_ends: false keeps the newline');
});

t.test('for real with dash', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-cmd-'));
  mkdirSync(join(dir, 'sub dir'));
  writeFileSync(join(dir, 'sub dir', 'made.txt'), '');
  const run = (args: Record<string, unknown>, check = false) =>
    command.run({ ...defaults, ...args }, fakeContext({ check, local: { cwd: dir, env: { HOME: dir } } }));

  const printed = await run({ _raw_params: `printf '%s|' 'a b' '$HOME' '*'` });
  t.equal(printed.data?.stdout, 'a b|$HOME|*|', 'words reach the program unexpanded');
  t.equal(printed.changed, true);

  const skipped = await run({ _raw_params: 'touch never', chdir: join(dir, 'sub dir'), creates: '*.txt' });
  t.equal(skipped.changed, false);
  t.equal(skipped.msg, "Did not run command since '*.txt' exists", 'creates globs relative to chdir');

  const home = await run({ _raw_params: 'touch never', creates: '~/sub dir/made.txt' });
  t.equal(home.changed, false, 'creates expands ~ to the remote HOME');

  const removes = await run({ argv: ['rm', 'gone'], removes: 'gone' });
  t.equal(removes.msg, "Did not run command since 'gone' does not exist");

  const ran = await run({ argv: ['pwd'], chdir: join(dir, 'sub dir'), removes: 'made.txt' });
  t.equal(ran.data?.stdout, join(dir, 'sub dir'));

  const nochdir = await run({ _raw_params: 'true', chdir: join(dir, 'nope') });
  t.equal(nochdir.failed, true);
  t.match(nochdir.msg, /Unable to change directory/);

  const fails = await run({ _raw_params: 'false' });
  t.same([fails.failed, fails.msg, fails.data?.rc], [true, 'non-zero return code', 1]);

  const missing = await run({ _raw_params: 'no-such-program-xyz' });
  t.equal(missing.failed, true);
  t.equal(missing.data?.rc, 127);

  const stdin = await run({ _raw_params: 'cat', stdin: 'hello' });
  t.equal(stdin.data?.stdout, 'hello');
  const raw = await run({ _raw_params: 'od -c', stdin: 'x', stdin_add_newline: false });
  t.notMatch(String(raw.data?.stdout), /\\n/, 'stdin_add_newline: false sends no newline');

  const check = await run({ _raw_params: 'touch made-in-check' }, true);
  t.same([check.changed, check.data?.skipped], [false, true]);
  const after = await run({ _raw_params: 'ls' });
  t.notMatch(String(after.data?.stdout), /made-in-check/, 'check mode ran nothing');
});

// RemoteShell and ShellPool over the real shell loop, run by a local sh (the channel is a child process).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import t, { type Test } from 'tap';
import { sh } from '../../../controller/command.js';
import { MusterError } from '../../../shared/errors.js';
import { ShellPool } from '../../../controller/transport/shell-pool.js';
import { shellLoop } from '../../../controller/transport/shell-protocol.js';
import { RemoteShell, ShellGone, type ShellChannel } from '../../../controller/transport/shell.js';
import { innerScript } from '../../../controller/transport/wrap.js';

const cwd = realpathSync(process.cwd());

// A local child running the loop, dressed as an SSH channel.
function localShell(t: Test): { shell: RemoteShell; pid: number; closed: Promise<void> } {
  const child = spawn('sh', ['-c', shellLoop()], { stdio: 'pipe' });
  const ee = new EventEmitter();
  child.stdout.on('data', (b: Buffer) => ee.emit('data', b));
  child.on('exit', (code, signal) => ee.emit('exit', code, signal?.replace(/^SIG/, '')));
  const closed = new Promise<void>((resolve) => child.on('close', () => (ee.emit('close'), resolve())));
  const ch: ShellChannel = {
    write: (b) => child.stdin.write(b),
    end: () => child.stdin.end(),
    close: () => child.kill('SIGKILL'),
    on: (e, l) => ee.on(e, l),
    stderr: child.stderr,
  };
  t.teardown(() => void child.kill('SIGKILL'));
  return { shell: new RemoteShell(ch), pid: child.pid!, closed };
}

// A channel that says what the test tells it to.
class FakeChannel extends EventEmitter implements ShellChannel {
  written: Buffer[] = [];
  closedByUs = false;
  stderr = new EventEmitter();
  write(b: Buffer) {
    this.written.push(b);
    return true;
  }
  end() {}
  close() {
    this.closedByUs = true;
  }
}

const run = (shell: RemoteShell, text: string, extra: { stdin?: Buffer; timeoutMs?: number } = {}) => shell.run({ script: Buffer.from(text), ...extra }, 2000);
const str = (bs: Buffer[]) => Buffer.concat(bs).toString('utf8');

t.test('runs commands with exact rc, stdout and stderr, all on one shell', async (t) => {
  const { shell, pid } = localShell(t);
  await shell.ready();
  const r = await run(shell, 'echo out; echo err >&2; exit 7');
  t.same([r.code, str(r.stdout), str(r.stderr), r.timedOutMs], [7, 'out\n', 'err\n', undefined]);
  const bin = await run(shell, "printf '\\000\\377#MUSTER 1 0 0 0\\n'");
  t.same(Buffer.concat(bin.stdout), Buffer.concat([Buffer.from([0, 255]), Buffer.from('#MUSTER 1 0 0 0\n')]), 'binary stdout, framing-like text included');
  t.equal(str((await run(shell, 'cat; echo end')).stdout), 'end\n', 'no stdin: EOF at once');
  const parents = new Set<string>();
  for (let i = 0; i < 30; i++) parents.add(str((await run(shell, 'echo $PPID')).stdout).trim());
  t.same([...parents], [String(pid)], '30 commands, one shell');
});

t.test('binary stdin arrives intact, large or empty', async (t) => {
  const { shell } = localShell(t);
  await shell.ready();
  const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256));
  const r = await run(shell, 'sha256sum | cut -d" " -f1', { stdin: big });
  t.equal(str(r.stdout).trim(), createHash('sha256').update(big).digest('hex'));
  const back = await run(shell, 'cat', { stdin: Buffer.from([0, 10, 13, 255]) });
  t.same(Buffer.concat(back.stdout), Buffer.from([0, 10, 13, 255]));
  t.equal(str((await run(shell, 'wc -c', { stdin: Buffer.alloc(0) })).stdout).trim(), '0');
});

t.test('env, cwd, exports, traps and exit of one command do not reach the next', async (t) => {
  const { shell } = localShell(t);
  await shell.ready();
  const first = innerScript(sh`printf '%s|' "$A"; pwd`, { env: { A: 'x y' }, cwd: '/tmp' }).text;
  t.equal(str((await run(shell, first)).stdout), 'x y|/tmp\n');
  const umask = str((await run(shell, 'umask')).stdout);
  t.equal((await run(shell, "export B=1; cd /; umask 077; trap 'echo trapped' EXIT; exit 3")).code, 3);
  const after = await run(shell, 'echo "${A-unset} ${B-unset}"; pwd; umask');
  t.equal(str(after.stdout), `unset unset\n${cwd}\n${umask}`);
  t.notOk(shell.dead);
});

t.test('a timeout kills the command (and its children); the shell stays usable', async (t) => {
  const { shell, pid } = localShell(t);
  await shell.ready();
  const start = Date.now();
  const r = await run(shell, 'echo started; sh -c "sleep 31.417"; echo never', { timeoutMs: 300 });
  t.ok(Date.now() - start < 2000, 'returns promptly');
  t.equal(r.timedOutMs, 300);
  t.equal(str(r.stdout), 'started\n', 'output so far is kept');
  const left = spawn('sh', ['-c', "pgrep -f 'sleep 31.41[7]' || :"]);
  let out = '';
  left.stdout.on('data', (b) => (out += b));
  await new Promise((res) => left.on('close', res));
  t.equal(out.trim(), '', 'the command and its child are gone');
  t.equal(str((await run(shell, 'echo $PPID')).stdout).trim(), String(pid), 'same shell afterwards');
  const quick = await run(shell, 'exit 124', { timeoutMs: 5000 });
  t.same([quick.code, quick.timedOutMs], [124, undefined], 'a command that exits 124 in time is not a timeout');
});

t.test('a shell killed during a command rejects with ShellGone (ran), and takes no more requests', async (t) => {
  const { shell, pid } = localShell(t);
  await shell.ready();
  const running = run(shell, 'sleep 5').then(
    () => undefined,
    (e: unknown) => e,
  );
  await new Promise((r) => setTimeout(r, 300));
  process.kill(pid, 'SIGKILL');
  const err = await running;
  t.ok(err instanceof ShellGone);
  t.match(err, { exited: true, signal: 'KILL', ran: true });
  t.ok(shell.dead);
  await t.rejects(run(shell, 'true'), { exited: true, ran: false, message: /exited/ });
});

t.test('a shell killed while idle: the next request never ran', async (t) => {
  const { shell, pid, closed } = localShell(t);
  await shell.ready();
  const pending = run(shell, 'true');
  await pending;
  process.kill(pid, 'SIGKILL');
  await closed;
  await t.rejects(run(shell, 'echo hi'), { exited: true, ran: false, message: /exited/ });
});

t.test('a shell that cannot start (sudo refused) fails ready() with its exit code and stderr', async (t) => {
  const ch = new FakeChannel();
  const shell = new RemoteShell(ch);
  ch.stderr.emit('data', Buffer.from('sudo: a password is required\n'));
  ch.emit('exit', 1);
  ch.emit('close');
  await t.rejects(shell.ready(), { exited: true, code: 1, stderr: 'sudo: a password is required\n', ran: false, message: 'the remote shell exited (rc 1)' });
});

t.test('a channel that closes with no exit status is a lost connection', async (t) => {
  const ch = new FakeChannel();
  const shell = new RemoteShell(ch);
  ch.emit('data', Buffer.from('#MUSTER-READY\n'));
  await shell.ready();
  const p = run(shell, 'sleep 9');
  ch.emit('data', Buffer.from('#MUSTER-START 1\n'));
  ch.emit('close');
  await t.rejects(p, { exited: false, ran: true, message: 'the remote shell lost its connection' });
});

t.test('garbage or an out-of-order frame drops the shell', async (t) => {
  for (const [name, bytes] of [
    ['garbage', 'hello there\n'],
    ['reply for another request', '#MUSTER 5 0 0 0\n'],
    ['reply before start', '#MUSTER 1 0 0 0\n'],
  ]) {
    const ch = new FakeChannel();
    const shell = new RemoteShell(ch);
    ch.emit('data', Buffer.from('#MUSTER-READY\n'));
    await shell.ready();
    const p = run(shell, 'true');
    ch.emit('data', Buffer.from(bytes));
    await t.rejects(p, Error, name);
    t.ok(shell.dead && ch.closedByUs, `${name}: dropped`);
  }
});

t.test('no reply within the grace after a timeout: the shell is dropped, the outcome is a timeout', async (t) => {
  const ch = new FakeChannel();
  const shell = new RemoteShell(ch);
  ch.emit('data', Buffer.from('#MUSTER-READY\n'));
  await shell.ready();
  const r = await shell.run({ script: Buffer.from('sleep 99'), timeoutMs: 50 }, 50);
  t.same(r, { code: null, signal: null, stdout: [], stderr: [], timedOutMs: 50 });
  t.ok(shell.dead && ch.closedByUs);
  t.same(ch.written, [Buffer.from('1 8 0 0.05\nsleep 99')], 'the request carried the timeout');
});

t.test('ShellPool: at most max shells, reused, spread over concurrent execs', async (t) => {
  let opened = 0;
  const pool = new ShellPool(async () => {
    opened++;
    const { shell } = localShell(t);
    await shell.ready();
    return shell;
  }, 2);
  t.teardown(() => pool.close());
  const outs = await Promise.all(Array.from({ length: 6 }, () => pool.use(undefined, (s) => run(s, 'sleep 0.2; echo $PPID'))));
  t.equal(opened, 2, 'two shells opened');
  t.equal(new Set(outs.map((o) => str(o!.value.stdout))).size, 2, 'both used');
  t.equal(pool.size, 2);
  await pool.use(undefined, (s) => run(s, 'true'));
  t.equal(opened, 2, 'idle shells are reused');
  await pool.use('root', (s) => run(s, 'true'));
  t.equal(opened, 3, 'another user gets its own shell...');
  t.equal(pool.size, 2, '...in place of an idle one');
  pool.close();
  t.equal(await pool.use(undefined, (s) => run(s, 'true')), undefined, 'closed: no shell');
});

t.test('ShellPool: a user whose shell will not start takes the one-off path from then on', async (t) => {
  let tries = 0;
  const pool = new ShellPool(async () => {
    tries++;
    throw new ShellGone(true, 1, null, 'sudo: a password is required\n', false);
  }, 2);
  t.equal(await pool.use('root', async () => 1), undefined);
  t.equal(await pool.use('root', async () => 1), undefined);
  t.equal(tries, 1, 'asked once');
  const failing = new ShellPool(async () => {
    throw new MusterError('E_UNREACHABLE', 'cannot start a shell');
  }, 2);
  await t.rejects(
    failing.use(undefined, async () => 1),
    { code: 'E_UNREACHABLE' },
    'connection errors propagate',
  );
  const dead = new ShellPool(async () => {
    throw new ShellGone(false, null, null, '', false);
  }, 2);
  await t.rejects(
    dead.use(undefined, async () => 1),
    { exited: false, message: /lost its connection/ },
    'a lost connection propagates',
  );
});

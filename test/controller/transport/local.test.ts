import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Secret, sh } from '../../../controller/command.js';
import { LocalTransport } from '../../../controller/transport/local.js';

const local = new LocalTransport('localhost');

// Dead, or a zombie waiting for a parent that may never reap it (no init reaper in some containers).
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    if (stat === '' || /^\d+ \(.*\) Z /.test(stat)) return true;
    await new Promise((res) => setTimeout(res, 50));
  }
  return false;
}

t.test('exec returns rc, stdout and stderr as strings', async (t) => {
  t.same(await local.exec(sh`echo out; echo err >&2; exit 3`), { rc: 3, stdout: 'out\n', stderr: 'err\n' });
  t.same(await local.exec(sh`printf 'héllo ✓'`), { rc: 0, stdout: 'héllo ✓', stderr: '' });
});

t.test('stdin: text, binary, and none (EOF at once)', async (t) => {
  t.equal((await local.exec(sh`cat`, { stdin: 'a\nb\n' })).stdout, 'a\nb\n');
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const r = await local.exec(sh`od -An -v -tu1 | tr -s ' \n' '  '`, { stdin: bytes });
  t.same(r.stdout.trim().split(' ').map(Number), [...bytes]);
  t.same(await local.exec(sh`cat; echo done`), { rc: 0, stdout: 'done\n', stderr: '' });
  t.equal((await local.exec(sh`true`, { stdin: 'x'.repeat(1 << 20) })).rc, 0, 'a command that ignores a large stdin is fine');
});

t.test('env and cwd', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "muster local 'dir' "));
  const r = await local.exec(sh`printf '%s|%s|' "$A" "$B"; pwd`, { env: { A: "it's $x", B: '' }, cwd: dir });
  t.equal(r.stdout, `it's $x||${dir}\n`);
  const missing = await local.exec(sh`echo never`, { cwd: join(dir, 'nope') });
  t.not(missing.rc, 0, 'a missing cwd fails the command');
  t.equal(missing.stdout, '', '...before it runs');
});

t.test('a timeout kills the whole process tree and returns 124', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-local-'));
  const start = Date.now();
  const r = await local.exec(sh`sleep 30 & echo $! > ${join(dir, 'pid')}; echo started; wait`, { timeoutMs: 300 });
  t.ok(Date.now() - start < 5000, 'returns promptly');
  t.equal(r.rc, 124);
  t.equal(r.stdout, 'started\n');
  t.match(r.stderr, 'muster: command timed out after 300 ms and was killed');
  const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  t.ok(await gone(pid), 'the background child is gone too');
});

t.test('concurrent execs do not mix their output', async (t) => {
  const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => local.exec(sh`sleep 0.0${i}; echo ${i}`)));
  t.same(
    rs.map((r) => r.stdout),
    Array.from({ length: 10 }, (_, i) => `${i}\n`),
  );
});

t.test('connect, reset and close are harmless no-ops', async (t) => {
  await local.connect();
  await local.reset();
  await local.close();
  t.equal((await local.exec(sh`echo again`)).stdout, 'again\n');
  t.equal(local.host, 'localhost');
});

t.test('become', async (t) => {
  // A fake sudo first on PATH: enough to see whether the transport goes through sudo at all.
  const bin = mkdtempSync(join(tmpdir(), 'muster-bin-'));
  writeFileSync(
    join(bin, 'sudo'),
    [
      '#!/bin/sh',
      'echo "sudo $*" > "$SUDO_LOG"',
      'while [ "$1" != -- ]; do [ "$1" = -n ] && [ -z "$FAKE_OK" ] && { echo "sudo: a password is required" >&2; exit 1; }; shift; done',
      'shift; exec "$@"',
    ].join('\n'),
  );
  chmodSync(join(bin, 'sudo'), 0o755);
  const saved = { PATH: process.env.PATH, SUDO_LOG: process.env.SUDO_LOG, FAKE_OK: process.env.FAKE_OK };
  t.teardown(() => Object.assign(process.env, saved));
  const log = join(bin, 'log');
  Object.assign(process.env, { PATH: `${bin}:${process.env.PATH}`, SUDO_LOG: log, FAKE_OK: '1' });

  await t.test('root becoming root skips sudo', async (t) => {
    const asRoot = new LocalTransport('localhost', { uid: 0 });
    t.equal((await asRoot.exec(sh`echo ok`, { become: { user: 'root' } })).stdout, 'ok\n');
    t.notOk(existsSync(log), 'sudo never ran');
  });
  await t.test('anyone else goes through sudo -n', async (t) => {
    const asUser = new LocalTransport('localhost', { uid: 1000 });
    t.equal((await asUser.exec(sh`echo ok`, { become: { user: 'root' } })).stdout, 'ok\n');
    t.match(readFileSync(log, 'utf8'), /^sudo -H -n -u root -- sh -c /);
    const asRoot = new LocalTransport('localhost', { uid: 0 });
    t.equal((await asRoot.exec(sh`echo ok`, { become: { user: 'www-data' } })).stdout, 'ok\n', 'root becoming another user uses sudo too');
    t.match(readFileSync(log, 'utf8'), /-u www-data/);
  });
  await t.test('the -K password is used when the task gives none', async (t) => {
    const asUser = new LocalTransport('localhost', { uid: 1000, becomePassword: new Secret('pw') });
    const r = await asUser.exec(sh`cat`, { become: { user: 'root' }, stdin: 'data' });
    t.same(r, { rc: 0, stdout: 'data', stderr: '' }, 'NOPASSWD: the password line does not reach the command');
  });
  await t.test('a sudo refusal is E_BECOME', async (t) => {
    process.env.FAKE_OK = '';
    const asUser = new LocalTransport('localhost', { uid: 1000 });
    await t.rejects(asUser.exec(sh`echo ok`, { become: { user: 'root' } }), { code: 'E_BECOME', host: 'localhost' });
  });
});

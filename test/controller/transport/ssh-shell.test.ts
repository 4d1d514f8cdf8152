// The long-lived shell path of the SSH transport against real sshd and sudo in a lab host.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { sh } from '../../../controller/command.js';
import type { Vars } from '../../../controller/modules/types.js';
import { openTransport, type ConnectOptions } from '../../../controller/transport/open.js';
import type { Transport } from '../../../controller/transport/types.js';
import { exec as onHost, startLab } from '../../lab/lab.mjs';

// The pid keeps this lab apart from another checkout's run of the same test on the machine.
const lab = await startLab({ name: `ssh-shell-${process.pid}`, count: 1 });
t.teardown(() => lab.stop());
const h = lab.hosts[0];
const tmp = mkdtempSync(join(tmpdir(), 'muster-ssh-shell-'));
const vars: Vars = { ansible_host: h.address, ansible_port: h.port, ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath };
const base: ConnectOptions = {
  knownHostsFiles: [lab.knownHostsPath],
  musterKnownHosts: join(tmp, 'known_hosts'),
  acceptNewHostKeys: false,
  connectTimeoutMs: 10_000,
};
const open = (tt: Test, over: Partial<ConnectOptions> = {}): Transport => {
  const tr = openTransport('h01', vars, { ...base, ...over });
  tt.teardown(() => tr.close());
  return tr;
};
delete process.env.SSH_AUTH_SOCK;

const parentOf = async (tr: Transport, become?: { user: string }) => (await tr.exec(sh`echo $PPID`, { become })).stdout.trim();
// sshd's process for this transport's connection: the parent of its login shell.
const sessionOf = async (tr: Transport) => (await tr.exec(sh`ps -o ppid= -p $PPID`)).stdout.trim();
// The shells sshd runs for that connection: a login user's loop, or sudo running one.
async function shellsOf(session: string): Promise<{ login: number; sudo: number }> {
  const count = async (re: string) => Number((await onHost(lab, h, `pgrep -c -P ${session} -f '${re}' || :`)).stdout.trim() || 0);
  return { login: await count('^sh -c # muster-shel[l]'), sudo: await count('^sudo .* -- sh -c # muster-shel[l]') };
}
// Processes take a moment to go once their channel closed.
async function gone(pids: string[]): Promise<boolean> {
  for (let i = 0; i < 30; i++) {
    if ((await onHost(lab, h, `ps -o pid= -p ${pids.join(',')} || :`)).stdout.trim() === '') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

t.test('50 sequential execs share one shell; MUSTER_SSH_SHELL=0 gives each its own session', async (t) => {
  const tr = open(t);
  const parents = new Set<string>();
  for (let i = 0; i < 50; i++) parents.add(await parentOf(tr));
  t.equal(parents.size, 1, 'one parent process for 50 commands');
  t.same(await shellsOf(await sessionOf(tr)), { login: 1, sudo: 0 }, 'one shell on the host');
  await tr.close();
  t.ok(await gone([...parents]), 'close ends the shell');

  process.env.MUSTER_SSH_SHELL = '0';
  const oneOff = open(t);
  delete process.env.MUSTER_SSH_SHELL;
  const separate = new Set<string>();
  for (let i = 0; i < 5; i++) separate.add((await oneOff.exec(sh`echo $$`)).stdout);
  t.equal(separate.size, 5, 'one-off path: a new session per exec');
  t.same(await shellsOf(await sessionOf(oneOff)), { login: 0, sudo: 0 }, 'and no shell');
});

t.test('exact output and binary stdin, both paths', async (t) => {
  for (const shells of [true, false]) {
    const tr = open(t, { shells });
    t.same(await tr.exec(sh`echo out; echo err >&2; exit 7`), { rc: 7, stdout: 'out\n', stderr: 'err\n' }, `rc and streams (shells ${shells})`);
    const data = randomBytes(200_000);
    const r = await tr.exec(sh`sha256sum | cut -d' ' -f1`, { stdin: data });
    t.equal(r.stdout.trim(), createHash('sha256').update(data).digest('hex'), `200 kB of binary stdin (shells ${shells})`);
    const big = await tr.exec(sh`head -c 500000 /dev/zero | tr '\\0' x; echo; echo done >&2`);
    t.same([big.stdout.length, big.stderr], [500_001, 'done\n'], `large stdout (shells ${shells})`);
  }
});

t.test('env and cwd of one exec do not leak into the next', async (t) => {
  const tr = open(t);
  const first = await tr.exec(sh`printf '%s|' "$A"; pwd; export B=2; cd /`, { env: { A: 'x' }, cwd: '/tmp' });
  t.equal(first.stdout, 'x|/tmp\n');
  t.equal((await tr.exec(sh`echo "\${A-unset} \${B-unset}"; pwd`)).stdout, 'unset unset\n/home/muster\n');
  t.equal((await tr.exec(sh`true`, { cwd: '/nonexistent' })).rc, 1, 'a bad cwd fails that exec only');
  t.equal((await tr.exec(sh`pwd`)).stdout, '/home/muster\n');
});

t.test('become through passwordless sudo keeps its own shell', async (t) => {
  const tr = open(t);
  const root = { user: 'root' };
  t.equal((await tr.exec(sh`id -un; echo "$HOME"`, { become: root })).stdout, 'root\n/root\n');
  t.equal((await tr.exec(sh`id -un; echo "$HOME"`, { become: { user: 'pwuser' } })).stdout, 'pwuser\n/home/pwuser\n', '-H sets HOME');
  const parents = new Set<string>();
  for (let i = 0; i < 10; i++) parents.add(await parentOf(tr, root));
  t.equal(parents.size, 1, 'one root shell for 10 commands');
  t.equal((await tr.exec(sh`id -un`)).stdout, 'muster\n', 'the login user still has its own');
  t.same(await shellsOf(await sessionOf(tr)), { login: 1, sudo: 2 }, 'a shell for each of muster, root and pwuser');
});

t.test('a timeout kills the command, also as root, and later execs reuse the shell', async (t) => {
  const tr = open(t);
  for (const become of [undefined, { user: 'root' }]) {
    const before = await parentOf(tr, become);
    const start = Date.now();
    const r = await tr.exec(sh`echo started; sleep 35; echo never`, { timeoutMs: 500, become });
    t.ok(Date.now() - start < 3000, `returns promptly (${Date.now() - start} ms)`);
    t.same([r.rc, r.stdout], [124, 'started\n']);
    t.match(r.stderr, 'muster: command timed out after 500 ms and was killed');
    t.equal((await onHost(lab, h, "pgrep -f 'sleep 3[5]' || :")).stdout.trim(), '', 'the command was killed');
    t.equal(await parentOf(tr, become), before, `the same shell afterwards (${become ? 'root' : 'muster'})`);
  }
});

t.test('a killed shell is replaced: while idle unnoticed, while running as a killed command', async (t) => {
  const tr = open(t);
  const first = await parentOf(tr);
  await onHost(lab, h, `kill -KILL ${first}`);
  const second = await parentOf(tr);
  t.not(second, first, 'a new shell ran the next exec');
  const running = tr.exec(sh`sleep 10`);
  await new Promise((r) => setTimeout(r, 500));
  await onHost(lab, h, `kill -KILL ${second}`);
  const r = await running;
  t.equal(r.rc, 137, 'reported like a command killed by SIGKILL');
  t.match(r.stderr, 'muster: the remote shell died while the command ran');
  t.equal((await tr.exec(sh`echo back`)).stdout, 'back\n');
});

t.test('a dropped connection is E_UNREACHABLE, and the next exec reconnects with a new shell', async (t) => {
  const tr = open(t);
  const before = await parentOf(tr);
  const running = tr.exec(sh`sleep 20`).then(
    () => undefined,
    (e: Error) => e,
  );
  await new Promise((r) => setTimeout(r, 500));
  await onHost(lab, h, "pkill -KILL -f 'sshd-session: muste[r]'");
  t.match(await running, { code: 'E_UNREACHABLE', host: 'h01', message: /dropped while a command ran/ });
  t.not(await parentOf(tr), before);
});

t.test('reset closes the shells', async (t) => {
  const tr = open(t);
  const shells = [await parentOf(tr), await parentOf(tr, { user: 'root' })];
  await tr.reset();
  t.ok(await gone(shells), 'both shells ended');
  t.equal((await tr.exec(sh`echo again`)).stdout, 'again\n');
});

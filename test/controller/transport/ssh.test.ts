// SSH transport against real sshd and sudo in a lab host (Debian 13 container).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Secret, sh } from '../../../controller/command.js';
import type { Vars } from '../../../controller/modules/types.js';
import { getFile, putFile } from '../../../controller/transport/files.js';
import { fingerprint, parseKnownHosts } from '../../../controller/transport/known-hosts.js';
import { openTransport, type ConnectOptions } from '../../../controller/transport/open.js';
import type { Transport } from '../../../controller/transport/types.js';
import { exec as onHost, restartHostKey, startLab } from '../../lab/lab.mjs';

const lab = await startLab({ name: 'transport', count: 1 });
t.teardown(() => lab.stop());
const h = lab.hosts[0];
const tmp = mkdtempSync(join(tmpdir(), 'muster-ssh-'));

const vars: Vars = { ansible_host: h.address, ansible_port: h.port, ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath };
const pwVars: Vars = { ansible_host: h.address, ansible_port: h.port, ansible_user: 'pwuser', ansible_password: new Secret('pwpass') };
const base: ConnectOptions = {
  knownHostsFiles: [lab.knownHostsPath],
  musterKnownHosts: join(tmp, 'muster', 'known_hosts'),
  acceptNewHostKeys: false,
  connectTimeoutMs: 10_000,
};
// Each subtest closes what it opened, so connection counts start from zero.
const open = (tt: Test, v: Vars = vars, over: Partial<ConnectOptions> = {}): Transport => {
  const tr = openTransport('h01', v, { ...base, ...over });
  tt.teardown(() => tr.close());
  return tr;
};
// Without an agent of the tester's own, only the keys we give are offered.
delete process.env.SSH_AUTH_SOCK;

const labKeys = parseKnownHosts(readFileSync(lab.knownHostsPath, 'utf8'), lab.knownHostsPath);
const edKey = labKeys.find((e) => e.keyType === 'ssh-ed25519')!.key;

t.test('exec: rc, output, stdin, env and cwd over SSH', async (t) => {
  const tr = open(t);
  t.same(await tr.exec(sh`echo out; echo err >&2; exit 7`), { rc: 7, stdout: 'out\n', stderr: 'err\n' });
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const r = await tr.exec(sh`od -An -v -tu1 | tr -s ' \n' '  '`, { stdin: bytes });
  t.same(r.stdout.trim().split(' ').map(Number), [...bytes], 'binary stdin arrives intact');
  const e = await tr.exec(sh`printf '%s|' "$A"; pwd; id -un`, { env: { A: "it's $HOME `x`" }, cwd: '/tmp' });
  t.equal(e.stdout, "it's $HOME `x`|/tmp\nmuster\n");
  t.equal((await tr.exec(sh`cat; echo end`)).stdout, 'end\n', 'no stdin: EOF at once');
});

t.test('one connection serves every exec', async (t) => {
  const tr = open(t);
  const seen = new Set<string>();
  for (let i = 0; i < 20; i++) seen.add((await tr.exec(sh`echo "$SSH_CONNECTION"`)).stdout.trim());
  t.equal(seen.size, 1, '20 execs, one client address and port');
  const [clientIp, clientPort] = [...seen][0].split(' ');
  // Connections of earlier subtests may take a moment to wind down on the server side.
  let conns: string[] = [];
  for (let i = 0; i < 20; i++) {
    conns = (await onHost(lab, h, "ss -Htn state established '( sport = :22 )'")).stdout.trim().split('\n');
    if (conns.length === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(conns.length, 1, 'sshd sees one TCP connection');
  t.match(conns[0], `${clientIp}:${clientPort}`, '...and it is ours');
});

t.test('concurrent execs share the connection, at most 8 channels at once', async (t) => {
  const tr = open(t);
  await tr.exec(sh`rm -rf /tmp/conc && mkdir /tmp/conc`);
  const start = Date.now();
  const rs = await Promise.all(
    Array.from({ length: 24 }, (_, i) => tr.exec(sh`touch /tmp/conc/${i}; sleep 0.4; ls /tmp/conc | wc -l; rm /tmp/conc/${i}; echo ${i}`)),
  );
  const elapsed = Date.now() - start;
  t.same(
    rs.map((r) => r.stdout.trim().split('\n')[1]),
    Array.from({ length: 24 }, (_, i) => String(i)),
    'each got its own output',
  );
  const peak = Math.max(...rs.map((r) => Number(r.stdout.trim().split('\n')[0])));
  t.ok(peak > 1 && peak <= 8, `ran in parallel, never beyond 8 (peak ${peak})`);
  t.ok(elapsed < 24 * 400, `faster than one by one (${elapsed} ms)`);
  t.same(new Set(rs.map((r) => r.rc)), new Set([0]));
  const fresh = open(t);
  const conns = await Promise.all(Array.from({ length: 12 }, () => fresh.exec(sh`echo "$SSH_CONNECTION"`)));
  t.equal(new Set(conns.map((r) => r.stdout)).size, 1, 'concurrent first execs share one dial');
});

t.test('reset drops the connection and the next exec opens a new one', async (t) => {
  const tr = open(t);
  const first = (await tr.exec(sh`echo "$SSH_CONNECTION"`)).stdout;
  await tr.reset();
  const second = (await tr.exec(sh`echo "$SSH_CONNECTION"`)).stdout;
  t.not(second, first);
});

t.test('a connection killed during an exec is E_UNREACHABLE, and the next exec reconnects', async (t) => {
  const tr = open(t);
  await tr.connect();
  const running = tr.exec(sh`sleep 20`).then(
    () => undefined,
    (e: Error) => e,
  );
  await new Promise((r) => setTimeout(r, 500));
  // [r]: the pattern must not match the command line of the shell running pkill.
  await onHost(lab, h, "pkill -KILL -f 'sshd-session: muste[r]'");
  t.match(await running, { code: 'E_UNREACHABLE', host: 'h01', message: /dropped while a command ran/ });
  t.equal((await tr.exec(sh`echo back`)).stdout, 'back\n');
});

t.test('a timeout kills the command and returns 124; the connection stays usable', async (t) => {
  const tr = open(t);
  const start = Date.now();
  const r = await tr.exec(sh`echo started; sleep 30`, { timeoutMs: 500 });
  t.ok(Date.now() - start < 5000, 'returns promptly');
  t.equal(r.rc, 124);
  t.equal(r.stdout, 'started\n');
  t.match(r.stderr, 'timed out after 500 ms');
  let left = '';
  for (let i = 0; i < 20; i++) {
    left = (await onHost(lab, h, "pgrep -u muster -f 'sleep 3[0]' || :")).stdout.trim();
    if (left === '') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  t.equal(left, '', 'the remote command was killed');
  const asRoot = await tr.exec(sh`sleep 33`, { timeoutMs: 500, become: { user: 'root' } });
  t.equal(asRoot.rc, 124);
  t.equal((await onHost(lab, h, "pgrep -f 'sleep 3[3]' || :")).stdout.trim(), '', 'a command run through sudo is killed too');
  t.equal((await tr.exec(sh`echo still`)).stdout, 'still\n');
});

t.test('become without a password (muster has NOPASSWD sudo)', async (t) => {
  const tr = open(t);
  t.equal((await tr.exec(sh`id -un`, { become: { user: 'root' } })).stdout, 'root\n');
  t.equal((await tr.exec(sh`id -un; echo "$HOME"`, { become: { user: 'pwuser' } })).stdout, 'pwuser\n/home/pwuser\n', '-H sets HOME');
  const withPw = await tr.exec(sh`cat`, { become: { user: 'root', password: new Secret('unused') }, stdin: 'data\n' });
  t.same(withPw, { rc: 0, stdout: 'data\n', stderr: '' }, 'a password sudo does not ask for never reaches the command');
});

t.test('become with a password (pwuser, password login too)', async (t) => {
  const tr = open(t, pwVars);
  t.equal((await tr.exec(sh`id -un`)).stdout, 'pwuser\n', 'password authentication');
  const r = await tr.exec(sh`id -un; cat`, { become: { user: 'root', password: new Secret('pwpass') }, stdin: 'line1\nline2\n' });
  t.same(r, { rc: 0, stdout: 'root\nline1\nline2\n', stderr: '' }, 'the prompt is stripped and stdin follows the password');
  const again = await tr.exec(sh`id -un`, { become: { user: 'root', password: new Secret('pwpass') } });
  t.equal(again.stdout, 'root\n', 'works again (no cached timestamp involved)');
  const viaK = open(t, pwVars, { becomePassword: new Secret('pwpass') });
  t.equal((await viaK.exec(sh`id -un`, { become: { user: 'root' } })).stdout, 'root\n', 'the -K password fills in');
});

t.test('sudo refusals are E_BECOME, and the password is never shown', async (t) => {
  const tr = open(t, pwVars);
  const wrong = await tr.exec(sh`id`, { become: { user: 'root', password: new Secret('nope-wrong') } }).catch((e: Error) => e);
  t.match(wrong, { code: 'E_BECOME', host: 'h01', message: 'wrong sudo password (becoming root)' });
  t.notMatch(String((wrong as Error).message) + String((wrong as { hint?: string }).hint), 'nope-wrong');
  await t.rejects(tr.exec(sh`id`, { become: { user: 'root' } }), {
    code: 'E_BECOME',
    message: 'sudo needs a password to become root',
    hint: /-K\/--ask-become-pass or set ansible_become_password/,
  });
});

t.test('files over SSH with become: atomic put with mode and owner, binary get', async (t) => {
  const tr = open(t);
  const root = { user: 'root' };
  const content = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\nend')]);
  await putFile(tr, content, '/etc/muster-test.bin', { mode: '0640', owner: 'pwuser', group: 'muster', become: root });
  const st = await tr.exec(sh`stat -c '%a %U %G' /etc/muster-test.bin; ls -a /etc | grep -c muster- || :`);
  t.equal(st.stdout, '640 pwuser muster\n1\n', 'mode, owner and group set; no temp file left');
  t.same(await getFile(tr, '/etc/muster-test.bin', root), content);
  await t.rejects(putFile(tr, 'x', '/etc/muster-denied'), { code: 'E_FILE', hint: /become: true/ });
  await t.rejects(getFile(tr, '/etc/nothing-here'), { code: 'E_FILE', message: /no such file/ });
});

t.test('an unknown host key is refused with its fingerprint', async (t) => {
  const tr = open(t, vars, { knownHostsFiles: [] });
  await t.rejects(tr.connect(), {
    code: 'E_HOSTKEY',
    host: 'h01',
    message: `unknown SSH host key for 127.0.0.1:${h.port}: ssh-ed25519 key ${fingerprint(edKey)}`,
    hint: /--accept-new-host-keys/,
  });
  await t.rejects(tr.exec(sh`true`), { code: 'E_HOSTKEY' }, 'and so is every exec');
});

t.test('accept-new records the key in muster known_hosts, and later runs trust it', async (t) => {
  const file = join(tmp, 'accept', 'known_hosts');
  const first = open(t, vars, { knownHostsFiles: [], musterKnownHosts: file, acceptNewHostKeys: true });
  t.equal((await first.exec(sh`echo in`)).stdout, 'in\n');
  t.equal(readFileSync(file, 'utf8'), `[127.0.0.1]:${h.port} ssh-ed25519 ${edKey.toString('base64')}\n`);
  const later = open(t, vars, { knownHostsFiles: [], musterKnownHosts: file });
  t.equal((await later.exec(sh`echo again`)).stdout, 'again\n');
  t.equal(readFileSync(file, 'utf8').split('\n').length, 2, 'nothing recorded twice');
});

t.test('UserKnownHostsFile from ansible_ssh_common_args is honoured', async (t) => {
  const tr = open(t, { ...vars, ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsPath}` }, { knownHostsFiles: [] });
  t.equal((await tr.exec(sh`echo ok`)).stdout, 'ok\n');
});

t.test('connection failures are E_UNREACHABLE with a short reason', async (t) => {
  await t.rejects(open(t, { ...vars, ansible_port: 1 }).connect(), { code: 'E_UNREACHABLE', host: 'h01', message: /: connection refused$/ });
  const keyDir = mkdtempSync(join(tmpdir(), 'muster-key-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keyDir, 'stranger')]);
  await t.rejects(open(t, { ...vars, ansible_ssh_private_key_file: join(keyDir, 'stranger') }).connect(), {
    code: 'E_UNREACHABLE',
    message: new RegExp(`authentication failed \\(tried: key ${keyDir}/stranger\\)`),
  });
  await t.rejects(open(t, { ...pwVars, ansible_password: 'wrong' }).connect(), {
    code: 'E_UNREACHABLE',
    message: /authentication failed \(tried: .*password/,
  });
});

// Last: it gives the host new keys, so the lab's known_hosts no longer matches.
t.test('a changed host key is always refused, even with accept-new', async (t) => {
  await restartHostKey(lab, h);
  for (const acceptNewHostKeys of [false, true]) {
    const tr = open(t, vars, { acceptNewHostKeys });
    const err = await tr.connect().then(
      () => undefined,
      (e: Error) => e,
    );
    t.match(err, { code: 'E_HOSTKEY', host: 'h01', message: /has CHANGED/ }, `acceptNew ${acceptNewHostKeys}`);
    const line = labKeys.find((e) => e.keyType === 'ssh-ed25519')!.line;
    t.match((err as Error).message, `expected ssh-ed25519 ${fingerprint(edKey)} at ${lab.knownHostsPath}:${line}`);
    t.match((err as Error).message, /presented ssh-ed25519 key SHA256:/);
  }
  t.throws(() => readFileSync(base.musterKnownHosts), { code: 'ENOENT' }, 'nothing was recorded');
});

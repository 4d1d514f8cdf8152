// The lab itself: real hosts, reached over real SSH with strict host key checking.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { startLab, restartHostKey, stopHost, startHost, exec, type Lab, type LabHost } from './lab.mjs';

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}
const run = (cmd: string, args: string[], input?: string): Promise<Run> =>
  new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr), code });
    });
    if (input !== undefined) child.stdin?.end(input);
  });

const sshArgs = (lab: Lab, h: LabHost, user = 'muster', knownHosts = lab.knownHostsPath) => [
  '-o',
  'StrictHostKeyChecking=yes',
  '-o',
  `UserKnownHostsFile=${knownHosts}`,
  '-o',
  'BatchMode=yes',
  '-o',
  'LogLevel=ERROR',
  '-i',
  lab.keyPath,
  '-p',
  String(h.port),
  `${user}@127.0.0.1`,
];
const ssh = (lab: Lab, h: LabHost, cmd: string, user?: string) => run('ssh', [...sshArgs(lab, h, user), cmd]);

// Unique per process: test runs of several people (or tap's parallel jobs) must not collide.
const lab = await startLab({ name: `labtest-${process.pid}`, count: 2 });
t.teardown(() => lab.stop());

t.test('files', async (t) => {
  t.ok(path.isAbsolute(lab.keyPath), 'key path is absolute');
  const inv = YAML.parse(await readFile(lab.inventoryPath, 'utf8'));
  t.same(Object.keys(inv.lab.hosts), ['h01', 'h02']);
  for (const h of lab.hosts) {
    t.match(inv.lab.hosts[h.name], {
      ansible_host: '127.0.0.1',
      ansible_port: h.port,
      ansible_user: 'muster',
      ansible_ssh_private_key_file: lab.keyPath,
    });
  }
  const lines = (await readFile(lab.knownHostsPath, 'utf8')).trim().split('\n');
  for (const line of lines) t.match(line, /^\[127\.0\.0\.1\]:\d+ (ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+$/);
  const keyOf = (h: LabHost) => lines.find((l) => l.startsWith(`[127.0.0.1]:${h.port} ssh-ed25519 `))?.split(' ')[2];
  t.ok(keyOf(lab.hosts[0]), 'h01 has an ed25519 key');
  t.not(keyOf(lab.hosts[0]), keyOf(lab.hosts[1]), 'each host has its own host key');
});

t.test('every host answers over real SSH', async (t) => {
  await Promise.all(
    lab.hosts.map(async (h) => {
      const r = await ssh(lab, h, 'systemctl is-system-running --wait || true; hostname; ps -o comm= -p 1; sudo -n true && echo sudo-ok');
      t.equal(r.code, 0, `${h.name}: ssh exit code (stderr: ${r.stderr})`);
      t.same(r.stdout.trim().split('\n'), ['running', h.name, 'systemd', 'sudo-ok'], `${h.name}: state, hostname, PID 1, sudo`);
    }),
  );
});

t.test('pwuser: password login, sudo only with the password', async (t) => {
  const h = lab.hosts[0];
  const noPass = await ssh(lab, h, 'sudo -n true', 'pwuser');
  t.not(noPass.code, 0, 'sudo -n is refused');
  const withPass = await run('ssh', [...sshArgs(lab, h, 'pwuser'), "sudo -S -p '' id -u"], 'pwpass\n');
  t.equal(withPass.stdout.trim(), '0', 'sudo -S with the password gives root');
  const pw = await run('sshpass', [
    '-p',
    'pwpass',
    'ssh',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o',
    'PubkeyAuthentication=no',
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(h.port),
    'pwuser@127.0.0.1',
    'whoami',
  ]);
  t.equal(pw.stdout.trim(), 'pwuser', `password authentication works (stderr: ${pw.stderr})`);
});

t.test('restartHostKey: the changed key is refused', async (t) => {
  const h = lab.hosts[1];
  const before = await ssh(lab, h, 'true');
  t.equal(before.code, 0, 'accepted before');
  const old = (await readFile(lab.knownHostsPath, 'utf8')).split('\n').filter((l) => l.startsWith(`[127.0.0.1]:${h.port} `));
  const fresh = await restartHostKey(lab, h);
  t.ok(fresh.length > 0, 'new keys scanned');
  t.notOk(
    fresh.some((l) => old.includes(l)),
    'no old key survives',
  );
  const after = await ssh(lab, h, 'true');
  t.equal(after.code, 255, 'ssh refuses the changed key');
  t.match(after.stderr, /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
});

t.test('stopHost/startHost keeps the port and the host key', async (t) => {
  const h = lab.hosts[0];
  await stopHost(lab, h);
  const down = await ssh(lab, h, 'true');
  t.equal(down.code, 255, 'a stopped host is unreachable');
  await startHost(lab, h);
  const up = await ssh(lab, h, 'hostname');
  t.equal(up.stdout.trim(), h.name, `same port, same host key (strict check passes; stderr: ${up.stderr})`);
  const r = await exec(lab, h, 'cat /etc/hostname');
  t.equal(r.stdout.trim(), h.name, 'exec helper runs in the container');
});

t.test('stop() removes the containers', async (t) => {
  await lab.stop();
  const r = await run('docker', ['ps', '-aq', '--filter', `label=muster.lab=${lab.name}`]);
  t.equal(r.stdout.trim(), '', 'no container left');
});

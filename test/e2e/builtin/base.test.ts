/** End to end: the builtin `base` playbook on fresh lab hosts, and its guard against SSH lock-out. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, ssh, startLab, type LabHost } from '../../lab/lab.mjs';
import { muster, recap } from '../support.js';

const lab = await startLab({ name: 'builtin-base', count: 2 });
t.teardown(() => lab.stop());
const [h1, h2] = lab.hosts;
const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-base-'));
// No agent and no ~/.ssh keys of the tester's own: only the keys an inventory names are offered.
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath, HOME: tmp, SSH_AUTH_SOCK: '' };
const labKey = readFileSync(`${lab.keyPath}.pub`, 'utf8').trim();

/** An inventory: inventory name -> lab host and connection variables, plus variables for all. */
function inventory(file: string, hosts: Record<string, [LabHost, Record<string, unknown>]>, vars: Record<string, unknown>): string {
  const doc = {
    all: {
      vars,
      hosts: Object.fromEntries(Object.entries(hosts).map(([n, [h, v]]) => [n, { ansible_host: h.address, ansible_port: h.port, ...v }])),
    },
  };
  const p = join(tmp, file);
  writeFileSync(p, JSON.stringify(doc, null, 2)); // JSON is YAML
  return p;
}

/** A password-only login as pwuser (the lab image's password user), with OpenSSH and sshpass. */
function passwordLogin(h: LabHost): { code: number | null; err: string } {
  const r = spawnSync(
    'sshpass',
    [
      '-p',
      'pwpass',
      'ssh',
      '-p',
      String(h.port),
      '-o',
      'PubkeyAuthentication=no',
      '-o',
      'PreferredAuthentications=password,keyboard-interactive',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${lab.knownHostsPath}`,
      '-o',
      'ConnectTimeout=5',
      '-o',
      'NumberOfPasswordPrompts=1',
      `pwuser@${h.address}`,
      'true',
    ],
    { encoding: 'utf8' },
  );
  return { code: r.status, err: r.stderr };
}

const byKey = { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath };
const main = inventory(
  'main.yml',
  { 'base-a': [h1, byKey], 'base-b': [h2, byKey] },
  {
    base_admin_user: 'ops',
    base_admin_keys: [labKey],
    base_timezone: 'Europe/Berlin',
  },
);

t.test('the guard refuses to harden sshd for a user whose key sshd would not take', async (t) => {
  // pwuser logs in with its password; the key it names is not in any authorized_keys sshd reads.
  const stranger = join(tmp, 'stranger');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', stranger]);
  const inv = inventory(
    'guard.yml',
    {
      'base-b': [h2, { ansible_user: 'pwuser', ansible_password: 'pwpass', ansible_become_password: 'pwpass', ansible_ssh_private_key_file: stranger }],
    },
    {},
  );
  t.equal(passwordLogin(h2).code, 0, 'before: password login works');
  const r = await muster(['play', '-i', inv, 'base'], { env });
  t.equal(r.code, 2, r.stdout + r.stderr);
  t.match(r.stdout, /fatal: \[base-b\]: FAILED!/);
  t.match(r.stdout, /base-b: a new SSH login as pwuser with a key only failed \(.*authentication failed \(tried: key .*stranger\)/);
  t.match(r.stdout, /base_admin_keys/, 'says how to authorize a key');
  t.match(r.stdout, /base_ssh_harden: false/, 'says how to skip the hardening');
  const dropin = await exec(lab, h2, 'ls /etc/ssh/sshd_config.d/');
  t.notMatch(dropin.stdout, /muster/, 'no drop-in was written');
  t.equal(passwordLogin(h2).code, 0, 'after: password login still works');
});

t.test('first run: hostname, time zone, admin with key and sudo, hardened sshd', async (t) => {
  t.equal(passwordLogin(h1).code, 0, 'before: password login works');
  t.not((await ssh(lab, h1, 'true', { user: 'ops' })).exitCode, 0, 'before: there is no ops user');
  const r = await muster(['play', '-i', main, 'base'], { env });
  t.equal(r.code, 0, r.stdout + r.stderr);
  const stats = recap(r.stdout);
  for (const n of ['base-a', 'base-b']) {
    t.equal(stats[n]?.failed, 0, `${n} did not fail`);
    t.ok(stats[n]?.changed > 5, `${n} changed things (${stats[n]?.changed})`);
  }
  for (const [h, name] of [
    [h1, 'base-a'],
    [h2, 'base-b'],
  ] as const) {
    const facts = await exec(
      lab,
      h,
      'hostname; grep "^127.0.1.1" /etc/hosts; readlink /etc/localtime; cat /etc/timezone; date +%Z; /usr/sbin/sshd -T | grep -E "^(passwordauthentication|permitrootlogin) "; systemctl is-enabled systemd-timesyncd',
    );
    t.match(
      facts.stdout,
      new RegExp(`^${name}\n127\\.0\\.1\\.1 ${name}\n/usr/share/zoneinfo/Europe/Berlin\nEurope/Berlin\nCES?T\n`),
      `${name}: hostname, hosts, zone`,
    );
    t.match(facts.stdout, /^passwordauthentication no$/m, `${name}: sshd takes no passwords`);
    t.match(facts.stdout, /^permitrootlogin without-password$/m, `${name}: root by key only (sshd's older name for prohibit-password)`);
    t.match(facts.stdout, /enabled\n$/, `${name}: timesyncd enabled`);
    const sudo = await ssh(lab, h, 'sudo -n id -un', { user: 'ops' });
    t.equal(sudo.stdout.trim(), 'root', `${name}: ops logs in with its key and has passwordless sudo (${sudo.stderr.trim()})`);
    const login = passwordLogin(h);
    t.not(login.code, 0, `${name}: password login is refused`);
    t.match(login.err, /Permission denied/);
  }
  const sudoers = await exec(lab, h1, 'stat -c "%a %U" /etc/sudoers.d/90-muster-admin; ls /etc/ssh/sshd_config.d/');
  t.match(sudoers.stdout, /^440 root\n00-muster-base\.conf\n10-lab\.conf\n$/, "the drop-in sorts before the lab image's (which allows passwords)");
});

t.test('second run changes nothing', async (t) => {
  const r = await muster(['play', '-i', main, 'base'], { env });
  t.equal(r.code, 0, r.stdout + r.stderr);
  for (const [n, s] of Object.entries(recap(r.stdout))) t.equal(s.changed, 0, `${n}: changed=0`);
  t.notMatch(r.stdout, /changed: \[base-.\]/, 'no task reports a change');
});

t.test("the drop-in never weakens a stricter PermitRootLogin from sshd's other files", async (t) => {
  await exec(lab, h2, 'printf "PermitRootLogin no\\n" > /etc/ssh/sshd_config.d/50-site.conf');
  const strict = await muster(['play', '-i', main, 'base', '-l', 'base-b'], { env });
  t.equal(strict.code, 0, strict.stdout + strict.stderr);
  const seen = await exec(lab, h2, 'grep PermitRootLogin /etc/ssh/sshd_config.d/00-muster-base.conf; /usr/sbin/sshd -T | grep ^permitrootlogin');
  t.equal(seen.stdout, 'PermitRootLogin no\npermitrootlogin no\n');
  await exec(lab, h2, 'rm /etc/ssh/sshd_config.d/50-site.conf');
  const back = await muster(['play', '-i', main, 'base', '-l', 'base-b'], { env });
  t.equal(back.code, 0, back.stdout + back.stderr);
  t.match((await exec(lab, h2, 'cat /etc/ssh/sshd_config.d/00-muster-base.conf')).stdout, /^PermitRootLogin prohibit-password$/m);
  const bad = await muster(['play', '-i', main, 'base', '-l', 'base-b', '-e', 'base_ssh_permit_root_login=yes'], { env });
  t.equal(bad.code, 2, bad.stdout + bad.stderr);
  t.match(bad.stdout, /base-b: base_ssh_permit_root_login is yes; the base role forbids root password logins/);
});

t.test('unattended upgrades when asked', async (t) => {
  const r = await muster(['play', '-i', main, 'base', '-l', 'base-a', '-e', '{"base_unattended_upgrades": true}'], { env });
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout)['base-a']?.changed, 2, 'the package and its daily run');
  const on = await exec(lab, h1, "dpkg-query -W -f '${Status}' unattended-upgrades; echo; apt-config dump APT::Periodic");
  t.match(on.stdout, /^install ok installed\n/);
  t.match(on.stdout, /APT::Periodic::Unattended-Upgrade "1";/);
  const again = await muster(['play', '-i', main, 'base', '-l', 'base-a', '-e', '{"base_unattended_upgrades": true}'], { env });
  t.equal(recap(again.stdout)['base-a']?.changed, 0, 'second run: changed=0');
});

t.test('an unknown time zone fails naming it', async (t) => {
  const r = await muster(['play', '-i', main, 'base', '-l', 'base-a', '-e', 'base_timezone=Mars/Olympus'], { env });
  t.equal(r.code, 2, r.stdout + r.stderr);
  t.match(r.stdout, /base-a: no time zone Mars\/Olympus/);
  t.match((await exec(lab, h1, 'cat /etc/timezone')).stdout, 'Europe/Berlin\n', 'nothing changed');
});

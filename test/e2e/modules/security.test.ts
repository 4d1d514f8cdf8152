/**
 * The security modules on a real lab host: ufw and iptables need CAP_NET_ADMIN, so the host is started with
 * the Docker-in-host flags (all capabilities). The playbook runs twice (the second changes nothing), then
 * --check --diff after a drift reports it and leaves the host alone, and a last run repairs it.
 */
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap, ROOT } from '../support.js';

const lab = await startLab({ name: 'e2e-security', count: 1, docker: true });
t.teardown(() => lab.stop());

const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const play = (more: string[] = []) => muster(['play', '-i', lab.inventoryPath, join(ROOT, 'test/e2e/playbooks/security.yml'), ...more], { env });
const sh = async (cmd: string) => (await exec(lab, 'h01', cmd)).stdout;
const OLD = 'old.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOY3iXUGdu0LW+kCP8uDudLJ+lu6gZ6bDoDTUa2d/4zt';

t.test('first run: firewalls up, host keys known, key pairs made', async (t) => {
  await sh(`printf '%s\\n' '${OLD}' > /etc/ssh/ssh_known_hosts`);
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  const s = recap(r.stdout).h01;
  t.equal(s.failed, 0);
  t.ok(s.changed >= 20, `most tasks change on the first run (${s.changed})`);

  const ufw = await sh('ufw status verbose');
  t.match(ufw, 'Status: active', 'ufw is on, and SSH still answers (the run went on after it)');
  t.match(ufw, 'Logging: on (medium)');
  t.match(ufw, 'Default: deny (incoming), allow (outgoing), reject (routed)');
  t.match(ufw, /22\/tcp\s+ALLOW IN\s+Anywhere\s+# ssh/);
  t.match(ufw, /443\/tcp\s+ALLOW IN\s+10\.0\.0\.0\/8/);
  t.match(ufw, /2222\/tcp on eth0\s+LIMIT IN\s+Anywhere\s+\(log\)/);
  t.match(ufw, /22\/tcp \(OpenSSH\)\s+ALLOW IN/);
  t.notMatch(ufw, '23/tcp');
  t.match(await sh('ufw status numbered'), /\[ 1\] 25\/tcp\s+DENY IN/, 'inserted as the first rule');

  const ipt = await sh('iptables -S; iptables -t mangle -S FORWARD; ip6tables -S INPUT');
  t.match(ipt, '-A MUSTER-WEB -p tcp -m multiport --dports 80,443 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment "web traffic" -j ACCEPT');
  t.equal(/^-A INPUT .*$/m.exec(ipt)?.[0], '-A INPUT -j MUSTER-WEB', 'the jump is the first INPUT rule');
  t.match(ipt, '-A INPUT -s 192.0.2.66/32 -j DROP');
  t.notMatch(ipt, '192.0.2.99');
  t.match(ipt, '-P FORWARD DROP');
  t.match(ipt, '-A INPUT -i lo -p tcp -m tcp --dport 8080 -j ACCEPT');

  const known = await sh('cat /etc/ssh/ssh_known_hosts');
  t.notMatch(known, 'old.example.com', 'the old host is gone');
  t.match(known, /^git\.example\.com ssh-ed25519 /m);
  t.match(known, /^\|1\|\S+ ssh-ed25519 /m, 'one hashed entry');
  t.match(await sh("ssh-keygen -F '[10.0.0.5]:2222' -f /etc/ssh/ssh_known_hosts"), 'found', 'ssh finds the hashed entry');
  t.match(await sh('stat -c "%U %a" /home/muster/.ssh /home/muster/.ssh/known_hosts'), 'muster 700\nmuster 644\n', "the login user's own file");

  t.match(await sh("ssh-keygen -y -P 'correct horse' -f /etc/muster-keys/deploy"), /^ssh-ed25519 \S+ deploy@lab\n$/, 'the passphrase opens the key');
  t.match(await sh('ssh-keygen -l -f /etc/muster-keys/legacy.pub'), /^2048 SHA256:\S+ .*\(RSA\)/);
  t.equal(await sh('stat -c "%U:%G %a" /etc/muster-keys/deploy /etc/muster-keys/legacy'), 'root:root 600\nmuster:muster 600\n');
  t.notMatch(r.stdout + r.stderr, 'correct horse', 'the passphrase is never printed');
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 0, r.stdout);
  // The run's new SSH connection went through ufw's chains: the firewall filters for real in this host.
  const counters = await sh('iptables -L ufw-user-input -v -n -x');
  const ssh = counters.split('\n').find((l) => /ACCEPT\s.*dpt:22\b/.test(l) && !l.includes('dapp_'));
  t.ok(Number(ssh?.trim().split(/\s+/)[0]) > 0, `packets counted by the SSH rule: ${ssh}`);
});

t.test('--check --diff after a drift reports it and changes nothing; a run repairs it', async (t) => {
  await sh(
    [
      'ufw logging low',
      'iptables -F MUSTER-WEB',
      'sed -i /^git.example.com/d /etc/ssh/ssh_known_hosts',
      'rm /etc/muster-keys/deploy.pub',
      'ufw --force delete allow 22/tcp',
      'iptables -t nat -N MUSTER-OLD',
    ].join(' >/dev/null && '),
  );
  const look = 'ufw status verbose; iptables -S MUSTER-WEB; iptables -t nat -S; cat /etc/ssh/ssh_known_hosts; ls /etc/muster-keys';
  const before = await sh(look);
  const r = await play(['--check', '--diff']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 6, 'six drifted things');
  t.match(r.stdout, /\+git\.example\.com ssh-ed25519 AAAA/, '--diff shows the known_hosts line');
  t.equal(await sh(look), before, 'the host is untouched');

  const fix = await play();
  t.equal(fix.code, 0, fix.stdout + fix.stderr);
  t.equal(recap(fix.stdout).h01.changed, 6);
  t.notMatch(await sh('iptables -t nat -S'), 'MUSTER-OLD', 'the old chain is deleted');
  t.match(await sh('ufw status verbose'), /Logging: on \(medium\)[\s\S]*22\/tcp\s+ALLOW IN\s+Anywhere\s+# ssh/);
  t.match(await sh('cat /etc/muster-keys/deploy.pub'), / deploy@lab\n$/);
  const again = await play();
  t.equal(recap(again.stdout).h01.changed, 0, 'and stays so');
});

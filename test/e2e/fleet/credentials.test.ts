/** End to end: agent_credentials over SSH with sudo on a lab host: modes, owners, idempotence, a rotation. */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap } from '../support.js';

const lab = await startLab({ name: 'fleet-credentials', count: 1 });
t.teardown(() => lab.stop());
const [h1] = lab.hosts;
const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-creds-'));
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath, MUSTER_STATE_DIR: join(tmp, 'state') };

const inv = join(tmp, 'inventory.yml');
writeFileSync(
  inv,
  JSON.stringify({
    all: { vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath }, hosts: { node1: { ansible_host: h1.address, ansible_port: h1.port } } },
  }),
);
const book = join(tmp, 'creds.yml');
writeFileSync(
  book,
  `- hosts: all
  become: true
  tasks:
    - name: Agent credentials
      agent_credentials:
        names: [node1.lan]
        rotate_token: "{{ rotate | default(false) }}"
`,
);
const play = (...more: string[]) => muster(['play', '-i', inv, book, '--diff', '-vv', ...more], { env });

t.test('first run installs root-owned files with the right modes; the second changes nothing', async (t) => {
  const first = await play();
  t.equal(first.code, 0, first.stdout + first.stderr);
  t.equal(recap(first.stdout).node1?.changed, 1);
  const modes = (await exec(lab, h1, "stat -c '%n %a %U:%G' /etc/muster-agent /etc/muster-agent/*")).stdout.trim().split('\n');
  t.same(modes, [
    '/etc/muster-agent 755 root:root',
    '/etc/muster-agent/ca.crt 644 root:root',
    '/etc/muster-agent/tls.crt 644 root:root',
    '/etc/muster-agent/tls.key 600 root:root',
    '/etc/muster-agent/token 600 root:root',
  ]);
  const token = (await exec(lab, h1, 'cat /etc/muster-agent/token')).stdout.trim();
  t.equal(token, readFileSync(join(tmp, 'state', 'nodes', 'node1', 'token'), 'utf8').trim(), 'the controller keeps what it installed');
  t.notOk(first.stdout.includes(token) || first.stderr.includes(token), 'the token is never shown');
  const cert = new X509Certificate((await exec(lab, h1, 'cat /etc/muster-agent/tls.crt')).stdout);
  t.ok(cert.checkIssued(new X509Certificate(readFileSync(join(tmp, 'state', 'ca.crt')))), 'signed by the fleet CA');
  t.ok(cert.checkHost('node1') && cert.checkHost('node1.lan') && cert.checkIP(h1.address), 'names the node, the extra name and ansible_host');

  const second = await play();
  t.equal(second.code, 0);
  t.equal(recap(second.stdout).node1?.changed, 0, 'second run: changed=0');
});

t.test('a rotation changes the token only; a hand-loosened key mode is put right', async (t) => {
  const before = (await exec(lab, h1, 'sha256sum /etc/muster-agent/tls.key /etc/muster-agent/token')).stdout.split('\n');
  const r = await play('-e', 'rotate=true');
  t.equal(r.code, 0, r.stdout + r.stderr);
  const after = (await exec(lab, h1, 'sha256sum /etc/muster-agent/tls.key /etc/muster-agent/token')).stdout.split('\n');
  t.equal(after[0], before[0], 'the key stays');
  t.not(after[1], before[1], 'the token changed');
  await exec(lab, h1, 'chmod 0644 /etc/muster-agent/tls.key');
  const fixed = await play();
  t.equal(recap(fixed.stdout).node1?.changed, 1);
  t.equal((await exec(lab, h1, "stat -c '%a' /etc/muster-agent/tls.key")).stdout.trim(), '600');
});

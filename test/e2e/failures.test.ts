/** End to end: unreachable hosts, host keys, become with a password, reboot — on real lab hosts. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, restartHostKey, startLab, stopHost, startHost } from '../lab/lab.mjs';
import { muster, recap } from './support.js';

const lab = await startLab({ name: 'e2e-fail', count: 3 });
t.teardown(() => lab.stop());
const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-fail-'));
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };

function playbook(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

/** An inventory of the lab's hosts with extra per-host variables. */
function inventory(name: string, hosts: string[], vars: Record<string, string>): string {
  const lines = ['all:', '  hosts:'];
  for (const h of lab.hosts.filter((x) => hosts.includes(x.name))) {
    lines.push(`    ${h.name}:`, `      ansible_host: 127.0.0.1`, `      ansible_port: ${h.port}`, `      ansible_ssh_private_key_file: ${lab.keyPath}`);
    for (const [k, v] of Object.entries(vars)) lines.push(`      ${k}: ${JSON.stringify(v)}`);
  }
  const p = join(tmp, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

t.test('a host stopped mid-run is unreachable while the others finish (exit 4)', async (t) => {
  const pb = playbook(
    'midrun.yml',
    `
- hosts: lab
  gather_facts: false
  tasks:
    - name: first
      command: "true"
    - name: wait a little
      pause:
        seconds: 4
    - name: after the stop
      command: "true"
    - name: last
      command: "true"
`,
  );
  let stopped: Promise<void> | undefined;
  const r = await muster(['play', '-i', lab.inventoryPath, pb], {
    env,
    onOutput: (s) => {
      if (!stopped && s.includes('TASK [wait a little]')) stopped = stopHost(lab, 'h02');
    },
  });
  await stopped;
  t.equal(r.code, 4, r.stdout + r.stderr);
  const stats = recap(r.stdout);
  t.equal(stats.h02.unreachable, 1, 'h02 is unreachable');
  t.equal(stats.h01.ok, 4, 'h01 finished every task');
  t.equal(stats.h03.ok, 3, 'h03 finished every task (pause runs once, on the first host)');
  t.match(r.stdout, /fatal: \[h02\]: UNREACHABLE!/);
  await startHost(lab, 'h02');
});

t.test('an unknown host key is refused, then accepted with --accept-new-host-keys', async (t) => {
  const known = join(tmp, 'empty_known_hosts');
  writeFileSync(known, '');
  const pb = playbook('ping.yml', '- hosts: h01\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
  const home = mkdtempSync(join(tmpdir(), 'muster-home-'));
  const r1 = await muster(['play', '-i', lab.inventoryPath, pb], { env: { MUSTER_KNOWN_HOSTS: known, HOME: home } });
  t.equal(r1.code, 4, r1.stdout + r1.stderr);
  t.match(r1.stdout, /SHA256:[A-Za-z0-9+/]{43}/, 'the fingerprint is shown');
  t.match(r1.stdout, /--accept-new-host-keys/, 'the way out is named');
  const r2 = await muster(['play', '-i', lab.inventoryPath, pb, '--accept-new-host-keys'], { env: { MUSTER_KNOWN_HOSTS: known, HOME: home } });
  t.equal(r2.code, 0, r2.stdout + r2.stderr);
  t.match(readFileSync(known, 'utf8'), /\[127\.0\.0\.1\]:\d+ ssh-ed25519 /, 'the key was recorded');
  const r3 = await muster(['play', '-i', lab.inventoryPath, pb], { env: { MUSTER_KNOWN_HOSTS: known, HOME: home } });
  t.equal(r3.code, 0, 'later runs need no flag');
});

t.test('a changed host key is always refused', async (t) => {
  const known = join(tmp, 'known_hosts_copy');
  writeFileSync(known, readFileSync(lab.knownHostsPath));
  await restartHostKey(lab, 'h03');
  const pb = playbook('ping3.yml', '- hosts: h03\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
  const r = await muster(['play', '-i', lab.inventoryPath, pb, '--accept-new-host-keys'], { env: { MUSTER_KNOWN_HOSTS: known } });
  t.equal(r.code, 4, r.stdout + r.stderr);
  t.match(r.stdout, /changed/i);
  t.match(r.stdout, /SHA256:[A-Za-z0-9+/]{43}[\s\S]*SHA256:[A-Za-z0-9+/]{43}/, 'both fingerprints are shown');
});

t.test('become with a password (-K) works; a wrong one is a clear failure', async (t) => {
  const inv = inventory('pwuser.yml', ['h01'], { ansible_user: 'pwuser' });
  const pb = playbook(
    'become.yml',
    '- hosts: all\n  gather_facts: false\n  become: true\n  tasks:\n    - command: id -u\n      register: id\n    - assert:\n        that: id.stdout == "0"\n',
  );
  const ok = await muster(['play', '-i', inv, pb, '-K'], { env, input: 'pwpass\n' });
  t.equal(ok.code, 0, ok.stdout + ok.stderr);
  t.notMatch(ok.stdout, /pwpass/, 'the password is never printed');
  const bad = await muster(['play', '-i', inv, pb, '-K'], { env, input: 'nope-wrong\n' });
  t.equal(bad.code, 2, bad.stdout + bad.stderr);
  t.match(bad.stdout, /wrong sudo password/i);
  t.notMatch(bad.stdout, /nope-wrong/);
  const none = await muster(['play', '-i', inv, pb], { env });
  t.equal(none.code, 2);
  t.match(none.stdout + none.stderr, /-K|--ask-become-pass|ansible_become_password/);
});

t.test('a reboot task waits until the host is back', async (t) => {
  const before = await exec(lab, 'h01', 'stat -c %Z /proc/1');
  const pb = playbook(
    'reboot.yml',
    '- hosts: h01\n  gather_facts: false\n  become: true\n  tasks:\n    - reboot:\n        reboot_timeout: 120\n      register: rb\n    - assert:\n        that: rb.rebooted\n    - command: systemctl is-system-running --wait\n      register: sys\n      failed_when: false\n',
  );
  const r = await muster(['play', '-i', lab.inventoryPath, pb], { env });
  t.equal(r.code, 0, r.stdout + r.stderr);
  const after = await exec(lab, 'h01', 'stat -c %Z /proc/1');
  t.not(after.stdout, before.stdout, 'PID 1 started again');
});

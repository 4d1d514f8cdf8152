/** End to end: the builtin `pi` playbook on lab hosts dressed as Raspberry Pis (a model file, a cmdline.txt). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap } from '../support.js';

const lab = await startLab({ name: 'builtin-pi', count: 2 });
t.teardown(() => lab.stop());
const [h1, h2] = lab.hosts;
const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-pi-'));
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };

const MODEL = '/etc/muster-test/model';
const CMDLINE = '/boot/firmware/cmdline.txt';
const BEFORE = 'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes cgroup_disable=memory rootwait quiet';
const AFTER =
  'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet cgroup_enable=memory cgroup_memory=1\n';

// pi-a: a Pi with Raspberry Pi OS's line (and the disable a user might have added); pi-b: a Pi without any cmdline.txt.
const dress = `mkdir -p /etc/muster-test && printf 'Raspberry Pi 4 Model B Rev 1.5\\000' > ${MODEL}
awk '$1 == "memory" { $4 = 0 } { print }' /proc/cgroups > /etc/muster-test/cgroups-off
printf 'cpuset cpu io pids\\n' > /etc/muster-test/controllers-nomem
printf 'cpuset cpu io memory hugetlb pids rdma misc\\n' > /etc/muster-test/controllers-mem`;
/** Setup on a lab host that must work (before any test: throws rather than asserts). */
async function must(h: typeof h1, cmd: string): Promise<void> {
  const r = await exec(lab, h, cmd);
  if (r.exitCode !== 0) throw new Error(`${h.name}: ${cmd}: ${r.stderr}`);
}
for (const h of [h1, h2]) await must(h, dress);
await must(h1, `mkdir -p /boot/firmware && printf '%s\\n' '${BEFORE}' > ${CMDLINE}`);

const inv = join(tmp, 'inventory.yml');
writeFileSync(
  inv,
  JSON.stringify({
    all: {
      vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, pi_model_file: MODEL },
      hosts: {
        'pi-a': { ansible_host: h1.address, ansible_port: h1.port },
        'pi-b': { ansible_host: h2.address, ansible_port: h2.port },
      },
    },
  }),
);
const play = (...more: string[]) => muster(['play', '-i', inv, 'pi', ...more], { env });
/** A file in /run (a tmpfs): gone after a reboot of the lab host. */
const mark = () => must(h1, 'touch /run/muster-test-same-boot');
const sameBoot = async () => (await exec(lab, h1, 'test -e /run/muster-test-same-boot')).exitCode === 0;

t.test('first run: the line is edited once, the Pi reboots and is checked; the Pi without cmdline.txt fails clearly', async (t) => {
  await mark();
  const r = await play();
  t.equal(r.code, 2, r.stdout + r.stderr);
  const s = recap(r.stdout);
  t.equal(s['pi-a']?.failed, 0, 'pi-a completes');
  t.equal(s['pi-a']?.changed, 2, 'pi-a: the edit and the reboot');
  t.equal(s['pi-b']?.failed, 1, 'pi-b fails');
  t.match(
    r.stdout,
    /fatal: \[pi-b\]: FAILED!.*pi-b is a Raspberry Pi \(Raspberry Pi 4 Model B Rev 1\.5\) but has no kernel command line file: neither \/boot\/firmware\/cmdline\.txt nor \/boot\/cmdline\.txt exists/,
  );
  t.match(r.stdout, /changed: \[pi-a\]/);
  t.equal((await exec(lab, h1, `cat ${CMDLINE}`)).stdout, AFTER, 'cgroup_disable=memory gone, both parameters once at the end, the rest in order');
  t.notOk(await sameBoot(), 'pi-a rebooted');
  t.equal((await exec(lab, h1, 'systemctl is-system-running --wait')).stdout.trim(), 'running', 'and is up again');
});

t.test('second run: nothing changes, no reboot', async (t) => {
  await mark();
  const r = await play('-l', 'pi-a');
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout)['pi-a']?.changed, 0, 'changed=0');
  t.match(r.stdout, /TASK \[pi : Reboot so the kernel reads the new command line\][^\n]*\n\s*skipping: \[pi-a\]/);
  t.ok(await sameBoot(), 'no reboot');
  t.equal((await exec(lab, h1, `cat ${CMDLINE}`)).stdout, AFTER);
});

t.test('a kernel that keeps the memory cgroup off is named, with what to do', async (t) => {
  const uname = (await exec(lab, h1, 'uname -r')).stdout.trim();
  const v1 = await play('-l', 'pi-a', '-e', 'pi_proc_cgroups_file=/etc/muster-test/cgroups-off');
  t.equal(v1.code, 2, v1.stdout + v1.stderr);
  t.match(v1.stdout, `pi-a: the memory cgroup is still off (cgroup v1 /etc/muster-test/cgroups-off says so) with kernel ${uname}`);
  t.match(v1.stdout, /a kernel without the Raspberry Pi patch \(Debian's or Ubuntu's own\) does not take cgroup_enable/);
  const v2 = await play('-l', 'pi-a', '-e', 'pi_cgroup_controllers_file=/etc/muster-test/controllers-nomem');
  t.equal(v2.code, 2, v2.stdout + v2.stderr);
  t.match(v2.stdout, `the memory cgroup is still off (cgroup v2 /etc/muster-test/controllers-nomem says so) with kernel ${uname}`);
  const on = await play('-l', 'pi-a', '-e', 'pi_cgroup_controllers_file=/etc/muster-test/controllers-mem');
  t.equal(on.code, 0, `cgroup v2 with memory listed passes: ${on.stdout}`);
  t.ok(await sameBoot(), 'no reboot in any of these');
});

t.test('hosts that are not Pis are left alone; pi_is_pi overrides the model', async (t) => {
  await exec(lab, h1, `printf '%s\\n' '${BEFORE}' > ${CMDLINE}`);
  const notPi = await play('-e', 'pi_model_file=/nonexistent/model');
  t.equal(notPi.code, 0, notPi.stdout + notPi.stderr);
  for (const [n, s] of Object.entries(recap(notPi.stdout))) t.equal(s.changed, 0, `${n}: nothing changed`);
  t.notMatch(notPi.stdout, /Memory cgroup on the kernel command line/, 'the role ended before its edits');
  const said = await play('-l', 'pi-a', '-e', '{"pi_is_pi": false}');
  t.equal(said.code, 0);
  t.equal(recap(said.stdout)['pi-a']?.changed, 0, 'pi_is_pi: false on a Pi model: left alone');
  t.equal((await exec(lab, h1, `cat ${CMDLINE}`)).stdout, `${BEFORE}\n`, 'the line is as it was');
  // pi_is_pi: true on a host whose model says nothing: treated as a Pi (the file back to edited, so no reboot)
  await exec(lab, h1, `printf '%s' '${AFTER}' > ${CMDLINE}`);
  const told = await play('-l', 'pi-a', '-e', '{"pi_is_pi": true, "pi_model_file": "/nonexistent/model"}');
  t.equal(told.code, 0, told.stdout + told.stderr);
  t.match(told.stdout, /TASK \[pi : The kernel's word on the memory cgroup\][^\n]*\n\s*ok: \[pi-a\]/, 'checked as a Pi');
});

t.test('pi_swap_off: dphys-swapfile, rpi-swap and /etc/fstab swap go off, once', async (t) => {
  // Stand-ins for a Pi's swap managers: a dphys-swapfile that records its calls with its enabled unit, and
  // rpi-swap's configuration file. The lab host has no active swap (/proc/swaps), so swapoff -a is not needed.
  await must(
    h1,
    `printf '#!/bin/sh\\necho "$@" >> /etc/muster-test/dphys.log\\n' > /usr/local/sbin/dphys-swapfile
chmod 755 /usr/local/sbin/dphys-swapfile && : > /etc/dphys-swapfile
printf '[Service]\\nType=oneshot\\nRemainAfterExit=yes\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n' > /etc/systemd/system/dphys-swapfile.service
systemctl daemon-reload && systemctl enable --now dphys-swapfile
mkdir -p /etc/rpi && printf '[Main]\\nMechanism=auto\\n' > /etc/rpi/swap.conf
printf 'proc /proc proc defaults 0 0\\n/var/swap none swap sw 0 0\\n#/dev/sdb2 none swap sw 0 0\\n' > /etc/fstab`,
  );
  const r = await play('-l', 'pi-a', '-e', '{"pi_swap_off": true}');
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout)['pi-a']?.changed, 1, 'the swap task changed things');
  const after = await exec(
    lab,
    h1,
    'cat /etc/muster-test/dphys.log; systemctl is-enabled dphys-swapfile; systemctl is-active dphys-swapfile; cat /etc/rpi/swap.conf.d/*.conf /etc/fstab',
  );
  t.equal(
    after.stdout,
    [
      'swapoff',
      'uninstall',
      'disabled',
      'inactive',
      '# Managed by muster (role pi, pi_swap_off).',
      '[Main]',
      'Mechanism=none',
      'proc /proc proc defaults 0 0',
      '#/var/swap none swap sw 0 0',
      '#/dev/sdb2 none swap sw 0 0',
      '',
    ].join('\n'),
  );
  const again = await play('-l', 'pi-a', '-e', '{"pi_swap_off": true}');
  t.equal(again.code, 0, again.stdout + again.stderr);
  t.equal(recap(again.stdout)['pi-a']?.changed, 0, 'second run: changed=0');
  t.equal((await exec(lab, h1, 'cat /etc/muster-test/dphys.log')).stdout, 'swapoff\nuninstall\n', 'dphys-swapfile not called again');
});

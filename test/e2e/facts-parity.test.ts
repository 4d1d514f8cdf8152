/** `muster facts` and Ansible's `setup` on the same lab host: the facts roles read must be equal in value. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { exec, startLab } from '../lab/lab.mjs';
import { muster } from './support.js';

const ANSIBLE = '/usr/bin/ansible';
const lab = await startLab({ name: 'facts', count: 1 });
t.teardown(() => lab.stop());

type Facts = Record<string, unknown>;

async function ansibleFacts(): Promise<Facts> {
  const env = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOAD_CALLBACK_PLUGINS: '0' };
  const args = ['-i', lab.inventoryPath, 'lab', '-m', 'setup', `--ssh-common-args=-o UserKnownHostsFile=${lab.knownHostsPath}`];
  const { stdout } = await promisify(execFile)(ANSIBLE, args, { env, maxBuffer: 1 << 24 });
  const raw = JSON.parse(stdout.slice(stdout.indexOf('{'))).ansible_facts as Facts;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^ansible_/, ''), v]));
}

async function musterFacts(): Promise<Facts> {
  const r = await muster(['facts', '-i', lab.inventoryPath], { env: { MUSTER_KNOWN_HOSTS: lab.knownHostsPath } });
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  return JSON.parse(r.stdout).h01.ansible_facts as Facts;
}

// custom facts for ansible_local: static JSON, a script, a failing script. No INI file: Ansible 2.14 reads
// those with ConfigParser.readfp, gone in Python 3.12, and then loses ansible_local whole (the lab has 3.13)
await exec(
  lab,
  'h01',
  [
    'mkdir -p /etc/ansible/facts.d && cd /etc/ansible/facts.d',
    `printf '{"app": {"version": "1.2"}}\\n' > app.fact`,
    `printf '#!/bin/sh\\necho {\\\\"run\\\\": 1}\\n' > run.fact && chmod 755 run.fact`,
    `printf '#!/bin/sh\\nexit 3\\n' > broken.fact && chmod 755 broken.fact`,
  ].join(' && '),
);

const [a, m] = await Promise.all([ansibleFacts(), musterFacts()]);

// Ansible walks /sys/class/net in directory order, muster in name order
const sorted = (v: unknown): unknown => (Array.isArray(v) ? [...v].sort() : v);
const pick = (o: unknown, keys: string[]): Facts => Object.fromEntries(keys.map((k) => [k, (o as Facts)[k]]));

const EQUAL = [
  // network
  'default_ipv4',
  'default_ipv6',
  'dns',
  'hostname',
  'nodename',
  'fqdn',
  'domain',
  // system
  'system',
  'kernel',
  'kernel_version',
  'architecture',
  'machine',
  'machine_id',
  'distribution',
  'os_family',
  'distribution_major_version',
  'distribution_minor_version',
  'distribution_release',
  'pkg_mgr',
  'service_mgr',
  'lsb',
  'local',
  'python',
  'python_version',
  'apparmor',
  'fips',
  'is_chroot',
  'userspace_bits',
  'userspace_architecture',
  'virtualization_type',
  'virtualization_role',
  'virtualization_tech_guest',
  'virtualization_tech_host',
  // the connecting user
  'user_id',
  'user_uid',
  'user_gid',
  'user_dir',
  'user_shell',
  'user_gecos',
  'effective_user_id',
  'effective_group_id',
  'real_user_id',
  'real_group_id',
  // hardware
  'memtotal_mb',
  'swaptotal_mb',
  'processor',
  'processor_count',
  'processor_cores',
  'processor_threads_per_core',
  'processor_vcpus',
  'processor_nproc',
  'bios_vendor',
  'bios_version',
  'bios_date',
  'product_name',
  'product_uuid',
  'system_vendor',
  'form_factor',
  'chassis_vendor',
  'board_name',
  'ssh_host_key_ed25519_public',
  'ssh_host_key_ed25519_public_keytype',
  'ssh_host_key_ecdsa_public',
  'ssh_host_key_rsa_public',
];
const SORTED = ['interfaces', 'all_ipv4_addresses', 'all_ipv6_addresses'];

t.test('the same values', async (t) => {
  for (const k of EQUAL) t.same(k === 'virtualization_tech_guest' ? sorted(m[k]) : m[k], k === 'virtualization_tech_guest' ? sorted(a[k]) : a[k], k);
  for (const k of SORTED) t.same(sorted(m[k]), sorted(a[k]), k);
});

t.test('one fact per interface, shaped as Ansible', async (t) => {
  const names = a.interfaces as string[];
  t.ok(names.includes('eth0') && names.includes('lo'), `interfaces: ${names.join(', ')}`);
  for (const i of names) t.same(m[i], a[i], `ansible_${i}`);
  t.match(m.eth0, { ipv4: { address: /^\d+\.\d+\.\d+\.\d+$/ }, type: 'ether', active: true });
});

t.test('the environment, the selinux status, the clock', async (t) => {
  t.same(pick(m.env, ['HOME', 'USER', 'LOGNAME', 'PATH', 'SHELL']), pick(a.env, ['HOME', 'USER', 'LOGNAME', 'PATH', 'SHELL']));
  t.equal((m.selinux as Facts).status, (a.selinux as Facts).status);
  t.same(pick(m.date_time, ['tz', 'tz_dst', 'tz_offset']), pick(a.date_time, ['tz', 'tz_dst', 'tz_offset']));
  const skew = Math.abs(Number((m.date_time as Facts).epoch) - Number((a.date_time as Facts).epoch));
  t.ok(skew < 120, `epochs within two minutes (${skew} s apart)`);
});

t.test('mounts: the same mount points, devices, options, UUIDs and sizes', async (t) => {
  // free space and inodes move between the two gatherings; the rest may not
  const keys = ['mount', 'device', 'fstype', 'options', 'uuid', 'size_total', 'block_size', 'block_total', 'inode_total'];
  const shape = (v: unknown) => (v as Facts[]).map((x) => JSON.stringify(pick(x, keys))).sort();
  t.same(shape(m.mounts), shape(a.mounts));
});

/** dns, env, ids, security, lsb, python, SSH host keys, DMI: parsed from probe sections as Ansible shapes them. */
import t from 'tap';
import { dmiFacts, dnsFacts, envFacts, lsbFacts, pythonFacts, securityFacts, sshHostKeyFacts } from '../../../controller/facts/platform.js';
import type { Sections } from '../../../controller/facts/sections.js';

const sec =
  (m: Record<string, string>): Sections =>
  (name) =>
    m[name] ?? '';

t.test('dns from resolv.conf', async (t) => {
  const resolv = [
    '# comment',
    '; other comment',
    'nameserver 10.0.0.2',
    'nameserver 10.0.0.3',
    'domain example.org',
    'search a.example b.example',
    'options ndots:2 rotate timeout:',
    '',
  ].join('\n');
  t.same(dnsFacts(sec({ resolv })), {
    dns: {
      nameservers: ['10.0.0.2', '10.0.0.3'],
      domain: 'example.org',
      search: ['a.example', 'b.example'],
      options: { ndots: '2', rotate: true, timeout: true },
    },
  });
  t.same(dnsFacts(sec({})), { dns: {} }, 'no resolv.conf: an empty dns');
  t.same(dnsFacts(sec({ resolv: 'domain\nsortlist 10.0.0.0/8' })), { dns: { sortlist: ['10.0.0.0/8'] } }, 'a bare domain line is ignored');
});

t.test('env keeps values with = and newlines', async (t) => {
  t.same(envFacts(sec({ env: 'HOME=/home/u\nOPTS=a=b\nML=one\x01two\nnot a var' })), { env: { HOME: '/home/u', OPTS: 'a=b', ML: 'one\ntwo' } });
});

t.test('ids, load, fips, apparmor, selinux, chroot, userspace', async (t) => {
  const base = {
    ids: 'euid=0\negid=0\nruid=1000\nrgid=1000',
    loadavg: '0.50 0.25 0.10 1/200 1234',
    security: 'fips=\nlong_bit=64\nroot=2049 2\nproc1_root=2049 2\nroot_fs=ext2/ext3',
  };
  t.match(securityFacts(sec(base), 'x86_64'), {
    effective_user_id: 0,
    real_user_id: 1000,
    real_group_id: 1000,
    loadavg: { '1m': 0.5, '5m': 0.25, '15m': 0.1 },
    fips: false,
    apparmor: { status: 'disabled' },
    selinux: { status: 'disabled' },
    is_chroot: false,
    userspace_bits: '64',
    userspace_architecture: 'x86_64',
  });
  const other = {
    ...base,
    security:
      'fips=1\napparmor=1\nlong_bit=32\nroot=2049 2\nproc1_root=2050 2\nselinux_enforce=1\nselinux_policyvers=33\nSELINUX=enforcing\nSELINUXTYPE=targeted',
  };
  t.match(securityFacts(sec(other), 'x86_64'), {
    fips: true,
    apparmor: { status: 'enabled' },
    selinux: { status: 'enabled', mode: 'enforcing', config_mode: 'enforcing', type: 'targeted', policyvers: 33 },
    is_chroot: true,
    userspace_bits: '32',
    userspace_architecture: 'i386',
  });
  // PID 1's root unreadable (not root): the root inode decides, 2 on ext4, 256 on btrfs
  t.equal(securityFacts(sec({ security: 'root=2049 2\nroot_fs=ext2/ext3' }), 'x86_64').is_chroot, false);
  t.equal(securityFacts(sec({ security: 'root=2049 1234\nroot_fs=ext2/ext3' }), 'x86_64').is_chroot, true);
  t.equal(securityFacts(sec({ security: 'root=40 256\nroot_fs=btrfs' }), 'x86_64').is_chroot, false);
  t.equal(securityFacts(sec({ security: 'root=40 256\nproc1_root=40 256' }), 'x86_64').is_chroot, false);
  t.equal(securityFacts(sec({}), 'aarch64').is_chroot, null);
  t.same(securityFacts(sec({}), 'aarch64').loadavg, {});
});

t.test('lsb from lsb_release, else /etc/lsb-release, else nothing', async (t) => {
  const tool = 'Distributor ID:\tDebian\nDescription:\tDebian GNU/Linux 12 (bookworm)\nRelease:\t12\nCodename:\tbookworm';
  t.same(lsbFacts(sec({ lsb_release: tool, lsb_file: 'DISTRIB_ID=Other' })), {
    lsb: { id: 'Debian', description: 'Debian GNU/Linux 12 (bookworm)', release: '12', codename: 'bookworm', major_release: '12' },
  });
  const file = 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"';
  t.same(lsbFacts(sec({ lsb_file: file })), {
    lsb: { id: 'Ubuntu', release: '22.04', codename: 'jammy', description: 'Ubuntu 22.04.4 LTS', major_release: '22' },
  });
  t.same(lsbFacts(sec({})), { lsb: {} });
});

t.test('python when there is one', async (t) => {
  t.same(pythonFacts(sec({ python: '/usr/bin/python3\n3 13 5 final 0\ncpython' })), {
    python: {
      executable: '/usr/bin/python3',
      has_sslcontext: true,
      type: 'cpython',
      version: { major: 3, minor: 13, micro: 5, releaselevel: 'final', serial: 0 },
      version_info: [3, 13, 5, 'final', 0],
    },
    python_version: '3.13.5',
  });
  t.equal((pythonFacts(sec({ python: '/usr/bin/python\n2 7 5 final 0\ncpython' })).python as { has_sslcontext: boolean }).has_sslcontext, false);
  t.same(pythonFacts(sec({})), {}, 'no python: no python facts');
});

t.test('SSH host keys', async (t) => {
  const keys = '/etc/ssh/ssh_host_ed25519_key.pub:ssh-ed25519 AAAAC3Nza root@h01\n/etc/ssh/ssh_host_rsa_key.pub:ssh-rsa AAAAB3Nza root@h01';
  t.same(sshHostKeyFacts(sec({ ssh_host_keys: keys })), {
    ssh_host_key_ed25519_public: 'AAAAC3Nza',
    ssh_host_key_ed25519_public_keytype: 'ssh-ed25519',
    ssh_host_key_rsa_public: 'AAAAB3Nza',
    ssh_host_key_rsa_public_keytype: 'ssh-rsa',
  });
});

t.test('DMI: values, form factor, NA for the rest', async (t) => {
  const dmi = 'present=1\nsys_vendor:QEMU\nproduct_name:Standard PC (Q35 + ICH9, 2009)\nchassis_type:1\nbios_version:1.16.3-debian-1.16.3-2';
  const got = dmiFacts(sec({ dmi }));
  t.match(got, { system_vendor: 'QEMU', product_name: 'Standard PC (Q35 + ICH9, 2009)', form_factor: 'Other', bios_version: '1.16.3-debian-1.16.3-2' });
  t.equal(got.product_uuid, 'NA', 'root-only files read as NA');
  t.equal(dmiFacts(sec({ dmi: 'chassis_type:99' })).form_factor, 'unknown (99)');
  t.equal(Object.keys(dmiFacts(sec({}))).length, 18);
});

import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseFacts } from '../../../controller/facts/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/facts/${name}`, import.meta.url), 'utf8');

// Recorded (debian12: this machine, for real) and hand-written outputs of the facts script -> the facts they must give.
const cases: { file: string; facts: Record<string, unknown> }[] = [
  {
    file: 'debian12-vm-docker-recorded.txt',
    facts: {
      hostname: 'vm',
      distribution: 'Debian',
      distribution_version: '12.11',
      distribution_major_version: '12',
      distribution_release: 'bookworm',
      os_family: 'Debian',
      system: 'Linux',
      architecture: 'x86_64',
      dpkg_architecture: 'amd64',
      pkg_mgr: 'apt',
      processor_count: 1,
      processor_cores: 2,
      processor_vcpus: 2,
      processor: ['0', 'AuthenticAMD', 'AMD EPYC', '1', 'AuthenticAMD', 'AMD EPYC'],
      default_ipv4: { interface: 'eth0', address: '192.0.2.2', gateway: '192.0.2.1', prefix: '24', netmask: '255.255.255.0', network: '192.0.2.0', mtu: 1400 },
      all_ipv4_addresses: ['172.17.0.1', '192.0.2.2'],
      mounts: [{ mount: '/', device: '/dev/vda', fstype: 'ext4', size_total: 264212084 * 1024 }, { mount: '/var/lib/docker' }],
      service_mgr: 'service',
      virtualization_type: 'docker',
      virtualization_role: 'guest',
      user_id: 'root',
      user_uid: 0,
      pi_model: null,
      cgroup_version: 'hybrid',
      memory_cgroup_enabled: true,
    },
  },
  {
    // recorded: a lab host (Debian 13 image, systemd as PID 1) on this machine's hybrid cgroup host
    file: 'debian13-lab-container-recorded.txt',
    facts: {
      hostname: 'lab-facts',
      distribution: 'Debian',
      distribution_version: '13.7',
      distribution_major_version: '13',
      distribution_release: 'trixie',
      os_family: 'Debian',
      dpkg_architecture: 'amd64',
      service_mgr: 'systemd',
      virtualization_type: 'docker',
      virtualization_role: 'guest',
      user_id: 'muster',
      user_uid: 1000,
      user_shell: '/bin/bash',
      default_ipv4: { interface: 'eth0', address: '172.17.0.2', gateway: '172.17.0.1', macaddress: '02:42:ac:11:00:02' },
      mounts: [{ mount: '/etc/resolv.conf', device: '/dev/vda' }, { mount: '/etc/hostname' }, { mount: '/etc/hosts' }],
      cgroup_version: 'hybrid',
      memory_cgroup_enabled: true,
      pi_model: null,
    },
  },
  {
    file: 'debian13-container-cgroup2.txt',
    facts: {
      hostname: 'lab1',
      fqdn: 'lab1.lab.internal',
      domain: 'lab.internal',
      distribution: 'Debian',
      distribution_version: '13.1',
      distribution_major_version: '13',
      distribution_release: 'trixie',
      kernel: '6.12.48+deb13-amd64',
      processor_count: 1,
      processor_cores: 4,
      processor_threads_per_core: 2,
      processor_vcpus: 8,
      memtotal_mb: 15855,
      swaptotal_mb: 2047,
      memory_mb: { real: { total: 15855, free: 9645, used: 6210 }, swap: { total: 2047, free: 2041, used: 6 } },
      default_ipv4: { interface: 'eth0', address: '172.17.0.3', gateway: '172.17.0.1', network: '172.17.0.0', macaddress: '02:42:ac:11:00:03' },
      all_ipv4_addresses: ['172.17.0.3'],
      service_mgr: 'systemd',
      virtualization_type: 'docker',
      virtualization_role: 'guest',
      user_id: 'muster',
      user_uid: 1000,
      user_dir: '/home/muster',
      date_time: { epoch: '1759586709', iso8601: '2025-10-04T14:05:09Z', date: '2025-10-04', weekday: 'Saturday', tz: 'UTC' },
      cgroup_version: 'v2',
      memory_cgroup_enabled: true,
      cmdline: { BOOT_IMAGE: '/boot/vmlinuz-6.12.48+deb13-amd64', ro: true, quiet: true },
    },
  },
  {
    file: 'pi4-bookworm-arm64-cgroup2.txt',
    facts: {
      distribution: 'Debian',
      distribution_version: '12.7',
      distribution_release: 'bookworm',
      architecture: 'aarch64',
      dpkg_architecture: 'arm64',
      processor: ['0', '1', '2', '3'],
      processor_count: 4,
      processor_cores: 1,
      processor_vcpus: 4,
      memtotal_mb: 3794,
      default_ipv4: { interface: 'eth0', address: '192.168.1.50', gateway: '192.168.1.1' },
      all_ipv4_addresses: ['192.168.1.50', '192.168.1.60'],
      mounts: [{ mount: '/' }, { mount: '/boot/firmware', fstype: 'vfat', size_available: 457978 * 1024 }],
      virtualization_type: 'NA',
      virtualization_role: 'NA',
      pi_model: 'Raspberry Pi 4 Model B Rev 1.4',
      cgroup_version: 'v2',
      // cgroup_disable=memory comes first (the firmware's), cgroup_enable=memory later wins: the kernel says enabled
      memory_cgroup_enabled: true,
      proc_cmdline: { cgroup_enable: ['cpuset', 'memory'], cgroup_memory: '1' },
      date_time: { tz: 'CET', tz_offset: '+0100', iso8601: '2025-03-14T08:26:53Z', hour: '09' },
    },
  },
  {
    file: 'pi3-bullseye-armhf-cgroup1-nomemory.txt',
    facts: {
      hostname: 'pi3-b',
      fqdn: 'pi3-b.home.arpa',
      domain: 'home.arpa',
      // Ansible calls Raspbian "Debian"; pi_model tells the boards apart
      distribution: 'Debian',
      distribution_version: '11.9',
      distribution_major_version: '11',
      distribution_release: 'bullseye',
      os_family: 'Debian',
      architecture: 'armv7l',
      dpkg_architecture: 'armhf',
      processor: [
        '0',
        'ARMv7 Processor rev 4 (v7l)',
        '1',
        'ARMv7 Processor rev 4 (v7l)',
        '2',
        'ARMv7 Processor rev 4 (v7l)',
        '3',
        'ARMv7 Processor rev 4 (v7l)',
      ],
      processor_count: 4,
      memtotal_mb: 921,
      default_ipv4: { interface: 'wlan0', address: '192.168.1.51', macaddress: 'b8:27:eb:dd:ee:ff' },
      interfaces: ['eth0', 'lo', 'wlan0'],
      pi_model: 'Raspberry Pi 3 Model B Rev 1.2',
      cgroup_version: 'v1',
      memory_cgroup_enabled: false,
      cmdline: { cgroup_disable: 'memory', rootwait: true },
    },
  },
];

t.test('recorded facts outputs', async (t) => {
  for (const c of cases) {
    const vars = parseFacts(fixture(c.file));
    t.match(vars.ansible_facts, c.facts, c.file);
    for (const [k, v] of Object.entries(c.facts)) t.match(vars[`ansible_${k}`], v, `${c.file}: ansible_${k}`);
  }
});

t.test('the Pi without cgroup_enable=memory shows it in cmdline_text', async (t) => {
  const f = parseFacts(fixture('pi3-bullseye-armhf-cgroup1-nomemory.txt')).ansible_facts as Record<string, unknown>;
  t.notOk(String(f.cmdline_text).includes('cgroup_enable=memory'));
  t.ok(String(f.cmdline_text).includes('cgroup_disable=memory'));
});

t.test('empty output gives defaults, not exceptions', async (t) => {
  const f = parseFacts('').ansible_facts as Record<string, unknown>;
  t.match(f, {
    system: 'Linux',
    distribution: 'Linux',
    distribution_version: 'NA',
    memtotal_mb: 0,
    processor_count: 0,
    default_ipv4: {},
    all_ipv4_addresses: [],
    mounts: [],
    pi_model: null,
    cgroup_version: null,
    memory_cgroup_enabled: false,
    virtualization_type: 'NA',
    date_time: {},
    cmdline: {},
  });
});

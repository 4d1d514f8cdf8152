import t from 'tap';
import { cgroupFacts } from '../../../controller/facts/cgroups.js';
import { cpuFacts, memoryFacts } from '../../../controller/facts/hardware.js';
import { mountFacts, parseDf, parseMounts } from '../../../controller/facts/mounts.js';
import { addrsFromProc, defaultFromProcRoute, networkFacts, parseIpAddr, parseIpRoute } from '../../../controller/facts/network.js';
import { nameFacts, osFacts, parseOsRelease } from '../../../controller/facts/os.js';
import type { Sections } from '../../../controller/facts/sections.js';
import { cmdlineFacts, piModelFacts, serviceMgr, userFacts, virtualizationFacts } from '../../../controller/facts/system.js';

const sec =
  (parts: Record<string, string>): Sections =>
  (name) =>
    parts[name] ?? '';

t.test('distributions from os-release', async (t) => {
  const cases: { name: string; parts: Record<string, string>; want: Record<string, unknown> }[] = [
    {
      name: 'Ubuntu keeps VERSION_ID',
      parts: { os_release: 'NAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian', debian_version: 'trixie/sid' },
      want: { distribution: 'Ubuntu', distribution_version: '24.04', distribution_major_version: '24', distribution_release: 'noble', os_family: 'Debian' },
    },
    {
      name: 'Debian testing without a VERSION_ID',
      parts: { os_release: 'PRETTY_NAME="Debian GNU/Linux trixie/sid"\nNAME="Debian GNU/Linux"\nID=debian', debian_version: 'trixie/sid' },
      want: { distribution: 'Debian', distribution_version: 'NA', distribution_major_version: 'NA', distribution_release: 'trixie' },
    },
    {
      name: 'codename only in VERSION',
      parts: { os_release: 'NAME="Debian GNU/Linux"\nVERSION_ID="9"\nVERSION="9 (stretch)"\nID=debian', debian_version: '9.13' },
      want: { distribution_version: '9.13', distribution_release: 'stretch' },
    },
    {
      name: 'unknown distribution falls back to NAME and its own family',
      parts: { os_release: 'NAME="Wolfi"\nID=wolfi\nVERSION_ID=20230201' },
      want: { distribution: 'Wolfi', os_family: 'Wolfi', distribution_version: '20230201', distribution_release: 'NA' },
    },
    {
      name: 'Rocky is RedHat family, dnf',
      parts: { os_release: 'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.4"', pkg_mgr: 'dnf\nyum' },
      want: { distribution: 'Rocky', os_family: 'RedHat', distribution_major_version: '9', pkg_mgr: 'dnf', dpkg_architecture: null },
    },
  ];
  for (const c of cases) t.match(osFacts(sec(c.parts)), c.want, c.name);
});

t.test('os-release quoting', async (t) => {
  const r = parseOsRelease(`A="quoted \\"x\\""\nB='single'\nC=bare\n# comment`);
  t.equal(r.get('A'), 'quoted "x"');
  t.equal(r.get('B'), 'single');
  t.equal(r.get('C'), 'bare');
});

t.test('host names', async (t) => {
  const cases: [Record<string, string>, Record<string, string>][] = [
    [
      { uname: 'Linux\nnode1\n', fqdn: 'node1.example.org' },
      { hostname: 'node1', fqdn: 'node1.example.org', domain: 'example.org' },
    ],
    [
      { uname: 'Linux\nnode1\n', fqdn: '10.0.0.5      node1.lan node1' },
      { fqdn: 'node1.lan', domain: 'lan' },
    ],
    [
      { uname: 'Linux\nnode1\n', fqdn: '' },
      { fqdn: 'node1', domain: '' },
    ],
    [
      { uname: 'Linux\nweb.example.com\n', fqdn: 'web.example.com' },
      { hostname: 'web', nodename: 'web.example.com' },
    ],
  ];
  for (const [parts, want] of cases) t.match(nameFacts(sec(parts)), want, JSON.stringify(parts));
});

t.test('cpu counting', async (t) => {
  const two = (id: string, core: string) => `processor : 0\nphysical id : ${id}\nsiblings : 2\ncore id : ${core}\ncpu cores : 2`;
  t.match(cpuFacts(sec({ cpuinfo: [two('0', '0'), two('0', '1'), two('1', '0'), two('1', '1')].join('\n') })), {
    processor_count: 2,
    processor_cores: 2,
    processor_threads_per_core: 1,
    processor_vcpus: 4,
    processor_nproc: 4,
  });
  t.match(cpuFacts(sec({ cpuinfo: 'processor : 0\ncpu : POWER9\nprocessor : 1\ncpu : POWER9', nproc: '1' })), {
    processor: ['0', 'POWER9', '1', 'POWER9'],
    processor_count: 2,
    processor_nproc: 1,
  });
});

t.test('memory', async (t) => {
  const m = memoryFacts(sec({ meminfo: 'MemTotal: 2048000 kB\nMemFree: 1024000 kB\nBuffers: 10240 kB\nCached: 102400 kB\nSwapTotal: 0 kB' }));
  t.match(m, { memtotal_mb: 2000, memfree_mb: 1000, memory_mb: { real: { used: 1000 }, nocache: { free: 1110, used: 890 }, swap: { total: 0, used: 0 } } });
});

t.test('ip output', async (t) => {
  t.same(parseIpAddr('2: eth0    inet 10.1.2.3/24 brd 10.1.2.255 scope global secondary eth0:1\\       valid_lft forever'), [
    { address: '10.1.2.3', prefix: 24, interface: 'eth0', alias: 'eth0:1', broadcast: '10.1.2.255' },
  ]);
  t.same(parseIpAddr('5: veth9@if4    inet 10.9.0.1/30 scope global veth9\\ valid_lft forever'), [
    { address: '10.9.0.1', prefix: 30, interface: 'veth9', alias: 'veth9', broadcast: undefined },
  ]);
  t.match(parseIpRoute('default via 10.0.0.1 dev wlan0 metric 600\ndefault dev ppp0 metric 50\n10.0.0.0/24 dev wlan0'), {
    interface: 'ppp0',
    gateway: undefined,
    metric: 50,
  });
  t.equal(parseIpRoute(''), undefined);
});

t.test('without ip: /proc/net/route and fib_trie', async (t) => {
  const route = [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
    'eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
    'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
  ].join('\n');
  const trie = [
    'Main:',
    '  +-- 0.0.0.0/0 3 0 5',
    '     |-- 0.0.0.0',
    '        /0 universe UNICAST',
    '     +-- 127.0.0.0/8 2 0 2',
    '        |-- 127.0.0.1',
    '           /32 host LOCAL',
    '     |-- 172.17.0.1',
    '        /32 host LOCAL',
    '     |-- 192.168.1.255',
    '        /32 link BROADCAST',
    '     |-- 192.168.1.40',
    '        /32 host LOCAL',
    'Local:',
    '     |-- 192.168.1.40',
    '        /32 host LOCAL',
  ].join('\n');
  t.same(defaultFromProcRoute(route), { interface: 'eth0', gateway: '192.168.1.1', metric: 100 });
  t.same(
    addrsFromProc(trie, route).map((a) => [a.address, a.interface, a.prefix]),
    [
      ['127.0.0.1', 'lo', 8],
      ['172.17.0.1', 'docker0', 16],
      ['192.168.1.40', 'eth0', 24],
    ],
  );
  t.match(networkFacts(sec({ proc_route: route, fib_trie: trie, netdev: 'eth0 aa:bb:cc:dd:ee:ff 1500\nlo 00:00:00:00:00:00 65536' })), {
    default_ipv4: {
      interface: 'eth0',
      address: '192.168.1.40',
      gateway: '192.168.1.1',
      netmask: '255.255.255.0',
      network: '192.168.1.0',
      macaddress: 'aa:bb:cc:dd:ee:ff',
      mtu: 1500,
    },
    // Ansible walks the devices in turn: eth0's addresses, then those of docker0 (absent from sysfs here)
    all_ipv4_addresses: ['192.168.1.40', '172.17.0.1'],
    interfaces: ['eth0', 'lo', 'docker0'],
  });
  t.same(networkFacts(sec({})), { default_ipv4: {}, default_ipv6: {}, all_ipv4_addresses: [], all_ipv6_addresses: [], interfaces: [] });
});

t.test('mounts', async (t) => {
  t.same(parseMounts('/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0'), [{ device: '/dev/sdb1', mount: '/mnt/my disk', fstype: 'ext4', options: 'rw' }]);
  t.same(
    [...parseDf('Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sdb1 100 40 60 40% /mnt/my disk\nnfs:/x 0 0 0 - /x')],
    [
      ['/mnt/my disk', { total: 102400, available: 61440 }],
      ['/x', { total: 0, available: 0 }],
    ],
  );
  const m = mountFacts(sec({ mounts: 'nas:/export /srv nfs4 rw 0 0\ntmpfs /run tmpfs rw 0 0\n/dev/sda1 /data xfs rw 0 0', df: '' }));
  t.same(m.mounts, [
    { mount: '/srv', device: 'nas:/export', fstype: 'nfs4', options: 'rw', size_total: null, size_available: null, uuid: 'N/A' },
    { mount: '/data', device: '/dev/sda1', fstype: 'xfs', options: 'rw', size_total: null, size_available: null, uuid: 'N/A' },
  ]);
});

t.test('mounts with statvfs figures, UUIDs and bind mounts (as Ansible 2.14 reports them)', async (t) => {
  const mounts = [
    '/dev/vda1 / ext4 rw,relatime 0 0',
    '/dev/vda1 /etc/resolv.conf ext4 rw,relatime 0 0',
    '/dev/vdb /mnt/my\\040disk xfs rw 0 0',
    '/dev/loop0 /snap none ro 0 0',
  ].join('\n');
  const statfs = [
    '66053021 19172129 4096 4096 16777216 16023315 /',
    '66053021 19172129 4096 4096 16777216 16023315 /etc/resolv.conf',
    '100 60 1024 4096 50 20 /mnt/my disk',
  ].join('\n');
  const lsblk = '/dev/vda   \n/dev/vda1  0b3c-11aa\n/dev/vdb   6a1e7c2f-8d2b-4c11-9a07-3e5f0c1d2b3a';
  const m = mountFacts(sec({ mounts, statfs, lsblk, findmnt: '/etc/resolv.conf' })).mounts as Record<string, unknown>[];
  t.same(m[0], {
    mount: '/',
    device: '/dev/vda1',
    fstype: 'ext4',
    options: 'rw,relatime',
    size_total: 270553174016,
    size_available: 78529040384,
    block_size: 4096,
    block_total: 66053021,
    block_available: 19172129,
    block_used: 46880892,
    inode_total: 16777216,
    inode_available: 16023315,
    inode_used: 753901,
    uuid: '0b3c-11aa',
  });
  t.equal(m[1].options, 'rw,relatime,bind', 'a bind mount says so');
  t.match(m[2], { mount: '/mnt/my disk', size_total: 102400, block_size: 4096, block_used: 40, uuid: '6a1e7c2f-8d2b-4c11-9a07-3e5f0c1d2b3a' });
  t.equal(m.length, 3, 'fstype none is left out');
});

t.test('cgroup layouts', async (t) => {
  const cases: { name: string; parts: Record<string, string>; want: Record<string, unknown> }[] = [
    {
      name: 'v2 by stat',
      parts: { cgroup_fs: 'root=cgroup2fs\nunified=', cgroup_controllers: 'cpu io memory pids' },
      want: { cgroup_version: 'v2', memory_cgroup_enabled: true },
    },
    {
      name: 'v2 without memory',
      parts: { cgroup_fs: 'root=cgroup2fs', cgroup_controllers: 'cpuset cpu io pids', proc_cgroups: 'memory 0 1 1' },
      want: { cgroup_version: 'v2', memory_cgroup_enabled: false },
    },
    {
      name: 'hybrid by stat',
      parts: { cgroup_fs: 'root=tmpfs\nunified=cgroup2fs', proc_cgroups: '#subsys_name hierarchy num_cgroups enabled\nmemory 4 100 1' },
      want: { cgroup_version: 'hybrid', memory_cgroup_enabled: true },
    },
    {
      name: 'v1, memory disabled',
      parts: { cgroup_fs: 'root=tmpfs\nunified=', proc_cgroups: 'memory 0 74 0' },
      want: { cgroup_version: 'v1', memory_cgroup_enabled: false },
    },
    {
      name: 'no stat: v2 from mounts',
      parts: { cgroup_fs: 'root=\nunified=', mounts: 'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0', cgroup_controllers: 'memory' },
      want: { cgroup_version: 'v2', memory_cgroup_enabled: true },
    },
    {
      name: 'no stat: hybrid from mounts',
      parts: { mounts: 'cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0' },
      want: { cgroup_version: 'hybrid' },
    },
    { name: 'no stat: v1 from mounts', parts: { mounts: 'cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0' }, want: { cgroup_version: 'v1' } },
    { name: 'nothing known', parts: {}, want: { cgroup_version: null, memory_cgroup_enabled: false } },
  ];
  for (const c of cases) t.match(cgroupFacts(sec(c.parts)), c.want, c.name);
});

t.test('service manager', async (t) => {
  const cases: [string, string][] = [
    ['comm=systemd\nsystemd_running=1', 'systemd'],
    ['comm=runit', 'runit'],
    ['comm=init\nopenrc=1\ninitd=1', 'openrc'],
    ['comm=init\ninitd=1', 'sysvinit'],
    ['comm=tini', 'service'],
    ['', 'service'],
  ];
  for (const [init, want] of cases) t.equal(serviceMgr(sec({ init })), want, init || '(empty)');
});

t.test('virtualization', async (t) => {
  const cases: [Record<string, string>, string, string][] = [
    [{ virt: 'dockerenv=1\ndetect_vm=kvm' }, 'docker', 'guest'],
    [{ virt: 'containerenv=1' }, 'podman', 'guest'],
    [{ virt: 'container=lxc-libvirt' }, 'lxc', 'guest'],
    [{ virt: 'container=systemd-nspawn\ndetect_container=systemd-nspawn' }, 'systemd-nspawn', 'guest'],
    [{ virt: '', proc1_cgroup: '12:memory:/docker/3f2a1b' }, 'docker', 'guest'],
    [{ virt: 'detect_container=none\ndetect_vm=oracle' }, 'virtualbox', 'guest'],
    [{ virt: 'detect_container=none\ndetect_vm=microsoft' }, 'VirtualPC', 'guest'],
    [{ virt: 'hypervisor=1\ndmi_product_name=Standard PC (Q35 + ICH9, 2009)\ndmi_sys_vendor=QEMU' }, 'kvm', 'guest'],
    [{ virt: 'dmi_product_name=VMware Virtual Platform\ndmi_sys_vendor=VMware, Inc.' }, 'VMware', 'guest'],
    [{ virt: 'detect_container=none\ndetect_vm=none' }, 'NA', 'NA'],
  ];
  for (const [parts, type, role] of cases)
    t.match(virtualizationFacts(sec(parts)), { virtualization_type: type, virtualization_role: role }, JSON.stringify(parts));
});

t.test('user, cmdline, board model', async (t) => {
  t.same(userFacts(sec({ user: 'name=ops\nuid=1001\ngid=100\nhome=/x\npasswd=ops:x:1001:100:Ops Team:/srv/ops:/bin/sh' })), {
    user_id: 'ops',
    user_uid: 1001,
    user_gid: 100,
    user_dir: '/srv/ops',
    user_shell: '/bin/sh',
    user_gecos: 'Ops Team',
  });
  t.same(cmdlineFacts(sec({ cmdline: 'ro  console=ttyS0 console=tty1 x=a=b\n' })), {
    cmdline: { ro: true, console: 'tty1', x: 'a=b' },
    proc_cmdline: { ro: true, console: ['ttyS0', 'tty1'], x: 'a=b' },
    cmdline_text: 'ro  console=ttyS0 console=tty1 x=a=b',
  });
  t.same(piModelFacts(sec({ pi_model: 'Raspberry Pi 5 Model B Rev 1.0\0' })), {
    pi_model: 'Raspberry Pi 5 Model B Rev 1.0',
    devicetree_model: 'Raspberry Pi 5 Model B Rev 1.0',
  });
  t.same(piModelFacts(sec({ pi_model: 'Pine64 RockPro64 v2.1' })), { pi_model: null, devicetree_model: 'Pine64 RockPro64 v2.1' });
});

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { FILE_EXCLUSIONS, parseSnapshot, ROOTS, sectionsOf, snapshotScript } from '../../../bench/lib/roles-snapshot.mjs';

const sha = (c: string) => c.repeat(64);
const output = [
  '@@ files',
  'd\t755\troot\troot\t/etc\t',
  'f\t644\troot\troot\t/etc/ntp.conf\t',
  'l\t777\troot\troot\t/etc/localtime\t/usr/share/zoneinfo/Europe/Berlin',
  'f\t644\troot\troot\t/etc/hostname\t',
  'f\t600\troot\troot\t/etc/ssh/ssh_host_ed25519_key\t',
  'f\t600\troot\troot\t/etc/shadow-\t',
  'f\t600\troot\troot\t/etc/shadow\t',
  'f\t644\troot\troot\t/usr/lib/python3/__pycache__/x.pyc\t',
  'd\t700\tmuster\tmuster\t/home/muster/.ansible/tmp\t',
  '@@ sha',
  `${sha('a')}  /etc/ntp.conf`,
  `${sha('b')}  /etc/shadow`,
  '@@ packages',
  'ntpsec:amd64\t1.2.3\tii ',
  'docker.io:amd64\t26.1\trc ',
  'gone:amd64\t\tun ',
  '@@ passwd',
  'alice:x:2001:2001:Alice:/home/alice:/bin/bash',
  '@@ group',
  'developers:x:3000:alice',
  '@@ enabled',
  'ntpsec.service enabled enabled',
  '@@ active',
  'ntpsec.service loaded active running Network Time Service',
  'session-3.scope loaded active running Session 3 of User muster',
  'user@1000.service loaded active running User Manager',
  'dev-sda.device loaded active plugged disk',
  'systemd-timedated.service loaded active running Time & Date Service',
  '@@ sysctl',
  'net.ipv4.ip_forward = 1',
  'kernel.random.uuid = 1234',
  'fs.file-nr = 1 0 9',
  'net.ipv4.conf.all.stable_secret = x',
  '@@ end',
  '',
].join('\n');

t.test('a snapshot: what each part holds, with what differs by nature left out', async (t) => {
  const s = parseSnapshot(output);
  t.equal(s.complete, true);
  t.same(s.files, {
    '/etc': 'd 755 root:root',
    '/etc/localtime': 'l 777 root:root -> /usr/share/zoneinfo/Europe/Berlin',
    '/etc/ntp.conf': `f 644 root:root sha256:${sha('a')}`,
    '/etc/shadow': `f 600 root:root sha256:${sha('b')}`,
  });
  t.same(s.packages, { 'docker.io:amd64': '26.1 (rc)', 'ntpsec:amd64': '1.2.3' });
  t.same(Object.keys(s.passwd), ['alice']);
  t.same(Object.keys(s.group), ['developers']);
  t.same(s.enabled, { 'ntpsec.service': 'yes' });
  t.same(s.active, { 'ntpsec.service': 'yes' });
  t.same(s.sysctl, { 'net.ipv4.ip_forward': '1' });
});

t.test('output cut short is not complete; a file without a hash shows "?"', async (t) => {
  const s = parseSnapshot('@@ files\nf\t644\troot\troot\t/etc/x\t\n@@ sha\n');
  t.equal(s.complete, false);
  t.same(s.files, { '/etc/x': 'f 644 root:root sha256:?' });
  t.same(sectionsOf('junk\n@@ a\n1\n\n2\n@@ b\n'), { a: ['1', '2'], b: [] });
});

t.test('exclusions leave the files a tool writes', async (t) => {
  const out = (p: string) => FILE_EXCLUSIONS.some(([re]) => re.test(p));
  for (const p of ['/etc/hostname', '/etc/machine-id', '/etc/ssh/ssh_host_ecdsa_key.pub', '/etc/group-', '/root/.ansible/tmp/x', '/home/muster/.ansible'])
    t.ok(out(p), p);
  for (const p of ['/etc/hostname.d', '/etc/group', '/etc/ssh/sshd_config', '/etc/sudoers', '/home/alice/.ssh/authorized_keys', '/etc/passwd'])
    t.notOk(out(p), p);
});

t.test('the script runs under dash and reads this machine', async (t) => {
  t.same(ROOTS, ['/etc', '/home', '/root']);
  t.match(snapshotScript(), /find \/etc \/home \/root -xdev/);
  // /etc only: this machine's /root and /home are a developer's, not a lab host's.
  const r = spawnSync('dash', ['-c', snapshotScript(['/etc'])], { encoding: 'utf8', maxBuffer: 2 ** 28 });
  const s = parseSnapshot(r.stdout);
  t.equal(s.complete, true);
  t.ok(s.files['/etc/passwd']?.startsWith('f 644 root:root sha256:'), String(s.files['/etc/passwd']));
  t.match(s.passwd.root, /^root:x:0:0:/);
  t.ok(Object.keys(s.packages).some((p) => p.startsWith('dpkg:')));
});

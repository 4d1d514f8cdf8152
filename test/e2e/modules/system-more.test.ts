/**
 * End to end on a real lab host: modprobe, timezone, locale_gen, pam_limits, alternatives, cron and mount,
 * twice (the second run changes nothing), then --check --diff after drift. In a container the kernel loads
 * no modules: modprobe is run for a module the kernel already has (listed in /sys/module).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap, ROOT } from '../support.js';

const lab = await startLab({ name: 'e2e-sysmore', count: 1 });
t.teardown(() => lab.stop());

const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };
const modules = (await exec(lab, 'h01', 'cat /proc/modules 2>/dev/null | cut -d" " -f1; ls /sys/module')).stdout.split('\n').filter(Boolean);
const kmod = modules.includes('bridge') ? 'bridge' : modules[0];
const play = (more: string[] = []) =>
  muster(['play', '-i', lab.inventoryPath, join(ROOT, 'test/e2e/playbooks/system-more.yml'), '-e', JSON.stringify({ kmod }), ...more], { env });

// A cron file as Ansible wrote it: the playbook's task for it must find nothing to change.
const LEGACY = '#Ansible: rotate logs\n*/5 * * * * root /usr/bin/true rotate\n';
await exec(lab, 'h01', `mkdir -p /etc/cron.d && printf '%s' '${LEGACY}' > /etc/cron.d/muster-legacy`);

t.test('first run applies every module', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  const s = recap(r.stdout).h01;
  t.equal(s.failed, 0);
  t.equal(s.changed, 16, 'every task but the legacy cron job and the assert changed something');
  const look = async (cmd: string) => (await exec(lab, 'h01', cmd)).stdout;
  t.equal(await look(`cat /etc/modules-load.d/${kmod}.conf`), `${kmod}\n`, 'modprobe: loaded at boot');
  t.match(await look('readlink /etc/localtime'), /^(\.\.)?\/usr\/share\/zoneinfo\/Europe\/Paris\n$/, 'timezone');
  t.equal(await look('date +%Z'), await look('TZ=Europe/Paris date +%Z'), 'the clock shows Paris time');
  t.match(await look('locale -a'), /^fr_FR\.utf8$/m, 'locale_gen: generated');
  t.match(await look('grep -v "^#" /etc/locale.gen'), /^fr_FR\.UTF-8 UTF-8$/m);
  const limits = await look('grep -v "^#" /etc/security/limits.conf | grep .');
  t.equal(limits, 'demo\tsoft\tnofile\t65536\t#muster e2e\n@demo\thard\tnproc\t4096\n', 'pam_limits: both entries');
  const alt = await look('update-alternatives --query muster-demo; readlink -f /usr/local/bin/muster-demo');
  t.match(alt, /Status: manual\nBest: \/usr\/bin\/true\nValue: \/usr\/bin\/false/, 'alternatives: false chosen over the better true');
  t.match(alt, /\/usr\/bin\/false\n$/);
  t.equal(
    await look('crontab -l'),
    'MAILTO="ops@example.com"\n#Ansible: nightly backup\n30 2 * * * /usr/bin/true backup\n',
    'cron: root crontab, Ansible markers',
  );
  t.equal(
    await look('crontab -u muster -l'),
    '#Ansible: hello\n0 * * * * /usr/bin/true hello\n#Ansible: at boot\n@reboot /usr/bin/true boot\n',
    "the login user's crontab",
  );
  t.equal(await look('cat /etc/cron.d/muster-report'), '#Ansible: weekly report\n@weekly root /usr/bin/true report\n');
  t.equal(await look('cat /etc/cron.d/muster-legacy'), LEGACY, 'the legacy file is untouched');
  const fstab = await look('cat /etc/fstab');
  t.match(fstab, /^LABEL=muster-data \/srv\/data ext4 noatime,noauto 0 0$/m, 'mount present: fstab only, noauto for boot: false');
  t.match(fstab, /^tmpfs \/srv\/scratch tmpfs size=16m,mode=0755 0 0$/m);
  t.match(fstab, /^\/srv \/srv\/bind none bind 0 0$/m);
  const mounts = await look(
    'findmnt -rn -o TARGET,FSTYPE,OPTIONS /srv/scratch; findmnt -rn -o TARGET /srv/bind; mountpoint -q /srv/data || echo /srv/data is not a mountpoint',
  );
  t.match(mounts, /^\/srv\/scratch tmpfs rw,relatime,size=16384k,mode=755/m, 'the tmpfs is mounted with its options');
  t.match(mounts, /^\/srv\/bind$/m, 'the bind mount is mounted');
  t.match(mounts, /\/srv\/data is not a mountpoint/, 'present does not mount');
});

t.test('second run changes nothing', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 0, r.stdout);
});

t.test('--check --diff reports the drift and changes nothing', async (t) => {
  await exec(
    lab,
    'h01',
    [
      'sed -i "s/65536/1024/" /etc/security/limits.conf',
      'ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime',
      'rm /etc/cron.d/muster-report',
      'sed -i "/muster-data/d" /etc/fstab',
      'umount /srv/scratch',
    ].join(' && '),
  );
  const r = await play(['--check', '--diff']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 5, 'five drifted things');
  t.match(r.stdout, /-demo\s+soft\s+nofile\s+1024\s+#muster e2e\n\+demo\s+soft\s+nofile\s+65536\s+#muster e2e/, 'the limits diff');
  t.match(r.stdout, /-Etc\/UTC\n\+Europe\/Paris/, 'the time zone diff');
  t.match(r.stdout, /\+#Ansible: weekly report\n\+@weekly root \/usr\/bin\/true report/, 'the cron file diff');
  t.match(r.stdout, /\+LABEL=muster-data \/srv\/data ext4 noatime,noauto 0 0/, 'the fstab diff');
  const st = await exec(
    lab,
    'h01',
    'grep -c 1024 /etc/security/limits.conf; readlink /etc/localtime; test -e /etc/cron.d/muster-report || echo no-report; grep -c muster-data /etc/fstab; mountpoint -q /srv/scratch || echo unmounted',
  );
  t.equal(st.stdout, '1\n/usr/share/zoneinfo/Etc/UTC\nno-report\n0\nunmounted\n', 'the host is untouched');
});

t.test('after the drift a real run puts it back, then nothing again', async (t) => {
  const r = await play();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 5);
  const again = await play();
  t.equal(recap(again.stdout).h01.changed, 0, again.stdout);
});

t.test('the way back: absent, unmounted, auto, ephemeral; twice', async (t) => {
  const book = join(mkdtempSync(join(tmpdir(), 'muster-sysmore-')), 'back.yml');
  const task = (name: string, module: string, args: Record<string, unknown>) => ({ name, [module]: args });
  const tasks = [
    task('not loaded at boot', 'modprobe', { name: kmod, persistent: 'absent' }),
    task('time zone back', 'timezone', { name: 'Etc/UTC' }),
    task('no French locale', 'locale_gen', { name: 'fr_FR.UTF-8', state: 'absent' }),
    task('the chosen alternative goes', 'alternatives', { name: 'muster-demo', path: '/usr/bin/false', state: 'absent' }),
    task('the group in auto mode', 'alternatives', { name: 'muster-demo', state: 'auto' }),
    task('no nightly job', 'cron', { name: 'nightly backup', state: 'absent' }),
    task('no MAILTO', 'cron', { name: 'MAILTO', env: true, state: 'absent' }),
    task('no report file', 'cron', { name: 'weekly report', cron_file: 'muster-report', state: 'absent' }),
    task('scratch unmounted, kept in fstab', 'mount', { path: '/srv/scratch', state: 'unmounted' }),
    task('bind mount gone', 'mount', { path: '/srv/bind', state: 'absent' }),
    task('data out of fstab', 'mount', { path: '/srv/data', state: 'absent_from_fstab' }),
    task('a tmpfs without fstab', 'mount', { path: '/srv/eph', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=8m', state: 'ephemeral' }),
  ];
  writeFileSync(book, JSON.stringify([{ hosts: 'lab', become: true, gather_facts: false, tasks }], null, 2));
  const run = () => muster(['play', '-i', lab.inventoryPath, book], { env });
  const r = await run();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(recap(r.stdout).h01.changed, 11, 'all but the auto mode, which removing the choice already brought back');
  const look = (
    await exec(
      lab,
      'h01',
      [
        `cat /etc/modules-load.d/${kmod}.conf`,
        'readlink -f /etc/localtime',
        'locale -a | grep -c fr_FR || true',
        'update-alternatives --query muster-demo | grep -E "^(Status|Value):"',
        'crontab -l', // empty now
        'test -e /etc/cron.d/muster-report || echo no-report',
        'grep -c srv /etc/fstab',
        'mountpoint -q /srv/scratch || echo scratch-unmounted',
        'test -e /srv/bind || echo bind-gone',
        'findmnt -rn -o FSTYPE,OPTIONS /srv/eph',
        'grep -c eph /etc/fstab || true',
      ].join('; '),
    )
  ).stdout;
  t.equal(
    look,
    [
      `#${kmod}`,
      '/usr/share/zoneinfo/Etc/UTC',
      '0',
      'Status: auto',
      'Value: /usr/bin/true',
      'no-report',
      '1',
      'scratch-unmounted',
      'bind-gone',
      'tmpfs rw,relatime,size=8192k',
      '0',
      '',
    ].join('\n'),
  );
  const again = await run();
  t.equal(recap(again.stdout).h01.changed, 0, again.stdout);
});

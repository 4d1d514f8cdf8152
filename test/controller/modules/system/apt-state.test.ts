import t from 'tap';
import { isInstalledStatus, parseApt, parsePolicy, parseRows, parseSpec, probeApt, upgradeMode } from '../../../../controller/modules/system/apt-state.js';
import { dash, framed } from './fake.js';

t.test('parseSpec', async (t) => {
  const table: [string, object][] = [
    ['nginx', { spec: 'nginx', name: 'nginx', arch: undefined, version: undefined }],
    ['nginx=1.22*', { spec: 'nginx=1.22*', name: 'nginx', arch: undefined, version: '1.22*' }],
    ['libc6:arm64', { spec: 'libc6:arm64', name: 'libc6', arch: 'arm64', version: undefined }],
    [
      'docker-ce:amd64=5:27.0.3-1~debian.12~bookworm',
      { spec: 'docker-ce:amd64=5:27.0.3-1~debian.12~bookworm', name: 'docker-ce', arch: 'amd64', version: '5:27.0.3-1~debian.12~bookworm' },
    ],
  ];
  for (const [s, want] of table) t.same(parseSpec(s), want, s);
});

t.test('isInstalledStatus', async (t) => {
  const table: [string, boolean][] = [
    ['install ok installed', true],
    ['hold ok installed', true],
    ['install ok triggers-pending', true],
    ['deinstall ok config-files', false],
    ['install ok unpacked', false],
    ['unknown ok not-installed', false],
  ];
  for (const [s, want] of table) t.equal(isInstalledStatus(s), want, s);
});

t.test('parseRows and parsePolicy', async (t) => {
  t.same(parseRows('bash\tamd64\tinstall ok installed\t5.2\nbad line\n'), [{ name: 'bash', arch: 'amd64', status: 'install ok installed', version: '5.2' }]);
  const p = parsePolicy(
    'bash:\n  Installed: 5.2.15-2+b8\n  Candidate: 5.2.15-2+b13\n  Version table:\n     5.2.15-2+b13 500\nnew:\n  Installed: (none)\n  Candidate: 1.0\n',
  );
  t.same(p.get('bash'), { installed: '5.2.15-2+b8', candidate: '5.2.15-2+b13' });
  t.same(p.get('new'), { installed: undefined, candidate: '1.0' });
});

t.test('upgradeMode', async (t) => {
  const table: [unknown, string][] = [
    [true, 'safe'],
    ['yes', 'safe'],
    ['safe', 'safe'],
    ['full', 'dist'],
    ['dist', 'dist'],
    [false, 'no'],
    ['no', 'no'],
    [undefined, 'no'],
  ];
  for (const [v, want] of table) t.equal(upgradeMode(v), want, String(v));
});

t.test('parseApt from framed sections', async (t) => {
  const s = parseApt(
    framed({
      tools: '',
      stamp: '1700000000\n',
      now: '1700000100\n',
      dpkg: 'bash\tamd64\tinstall ok installed\t5.2\n',
      deb: 'foo\t1.0\tinstall ok installed\t0.9\n',
      upgrades: '3\n',
    }),
  );
  t.same([s.stamp, s.now, s.rows.length, s.upgrades, s.removable], [1700000000, 1700000100, 1, 3, undefined]);
  t.same(s.deb, { name: 'foo', version: '1.0', installed: '0.9' });
  t.equal(s.debMissing, false);
  t.equal(parseApt(framed({ deb: ['', 1] })).debMissing, true);
});

t.test('the probe runs for real with dash (read-only)', async (t) => {
  const r = dash(probeApt({ name: ['dash', 'no-such-package-xyz'], state: 'latest', upgrade: 'dist', autoremove: false }));
  const s = parseApt(r.stdout);
  if (s.missing.includes('dpkg-query')) return t.pass('no dpkg on this machine: parser copes');
  t.ok(s.now && s.now > 1_600_000_000, 'host clock read');
  const row = s.rows.find((x) => x.name === 'dash');
  t.ok(row && isInstalledStatus(row.status), 'dash is installed');
  t.notOk(
    s.rows.find((x) => x.name === 'no-such-package-xyz'),
    'unknown package has no row',
  );
  t.ok(s.policy.get('dash')?.installed, 'policy read');
  t.type(s.upgrades, 'number', 'upgrade simulation counted');
  const deb = parseApt(dash(probeApt({ name: [], deb: '/nonexistent.deb' })).stdout);
  t.equal(deb.debMissing, true);
});

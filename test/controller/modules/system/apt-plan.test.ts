import t from 'tap';
import { apt } from '../../../../controller/modules/system/apt.js';
import { cacheNeedsUpdate, planApt, versionMatches } from '../../../../controller/modules/system/apt-plan.js';
import type { AptState } from '../../../../controller/modules/system/apt-state.js';
import { argsFor, outcome } from './fake.js';

const ENV =
  'DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LC_ALL=C apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=60';
const row = (name: string, version: string, status = 'install ok installed') => ({ name, arch: 'amd64', status, version });
const st = (over: Partial<AptState> = {}): AptState => ({ missing: [], rows: [], policy: new Map(), ...over });
const nginx = st({ rows: [row('nginx', '1.22.1-9')] });

const table: [string, Record<string, unknown>, AptState, string | string[]][] = [
  ['already installed -> noop', { name: ['nginx'] }, nginx, 'noop: nginx is installed'],
  ['not installed -> install', { name: ['nginx', 'curl'] }, nginx, [`${ENV} install curl`]],
  [
    'config-files only counts as not installed',
    { name: ['nginx'] },
    st({ rows: [row('nginx', '1.0', 'deinstall ok config-files')] }),
    [`${ENV} install nginx`],
  ],
  ['pinned version matches', { name: ['nginx=1.22.*'] }, nginx, 'noop: nginx=1.22.* is installed'],
  ['pinned version differs', { name: ['nginx=1.24.0-1'] }, nginx, [`${ENV} install nginx=1.24.0-1`]],
  [
    'latest with upgrade available -> install',
    { name: ['nginx'], state: 'latest' },
    st({ ...nginx, policy: new Map([['nginx', { installed: '1.22.1-9', candidate: '1.22.1-9+deb12u1' }]]) }),
    [`${ENV} install nginx`],
  ],
  [
    'latest already latest -> noop',
    { name: ['nginx'], state: 'latest' },
    st({ ...nginx, policy: new Map([['nginx', { installed: '1.22.1-9', candidate: '1.22.1-9' }]]) }),
    'noop: nginx is at the latest version',
  ],
  ['absent when not installed -> noop', { name: ['nginx'], state: 'absent' }, st(), 'noop: nginx is absent'],
  ['absent when installed -> remove', { name: ['nginx'], state: 'absent' }, nginx, [`${ENV} remove nginx`]],
  [
    'purge also clears config-files',
    { name: ['nginx'], state: 'absent', purge: true },
    st({ rows: [row('nginx', '1.0', 'deinstall ok config-files')] }),
    [`${ENV} --purge remove nginx`],
  ],
  ['autoremove with install', { name: ['curl'], autoremove: true }, st(), [`${ENV} --auto-remove install curl`]],
  ['install_recommends false', { name: ['curl'], install_recommends: false }, st(), [`${ENV} -o APT::Install-Recommends=no install curl`]],
  [
    'default release and downgrade',
    { name: ['curl=7.0'], default_release: 'bookworm-backports', allow_downgrade: true },
    st(),
    [`${ENV} -t bookworm-backports --allow-downgrades install curl=7.0`],
  ],
  [
    'latest: 1.10-1 is newer than 1.9-1 -> install',
    { name: ['nginx'], state: 'latest' },
    st({ rows: [row('nginx', '1.9-1')], policy: new Map([['nginx', { installed: '1.9-1', candidate: '1.10-1' }]]) }),
    [`${ENV} install nginx`],
  ],
  [
    'latest: candidate 1.9-1 older than installed 1.10-1 -> noop',
    { name: ['nginx'], state: 'latest' },
    st({ rows: [row('nginx', '1.10-1')], policy: new Map([['nginx', { installed: '1.10-1', candidate: '1.9-1' }]]) }),
    'noop: nginx is at the latest version',
  ],
  [
    'latest: same version spelled with epoch 0 -> noop',
    { name: ['nginx'], state: 'latest' },
    st({ rows: [row('nginx', '1.10-1')], policy: new Map([['nginx', { installed: '1.10-1', candidate: '0:1.10-1' }]]) }),
    'noop: nginx is at the latest version',
  ],
  [
    'only_upgrade skips what is not installed',
    { name: ['nginx', 'curl'], state: 'latest', only_upgrade: true },
    st({ ...nginx, policy: new Map([['nginx', { candidate: '2' }]]) }),
    [`${ENV} --only-upgrade install nginx`],
  ],
  ['upgrade dist with pending packages', { upgrade: 'dist' }, st({ upgrades: 4 }), [`${ENV} dist-upgrade`]],
  ['upgrade yes with nothing pending', { upgrade: true }, st({ upgrades: 0 }), 'noop: nothing to do'],
  ['upgrade safe', { upgrade: 'yes' }, st({ upgrades: 1 }), [`${ENV} upgrade --with-new-pkgs`]],
  ['autoremove alone', { autoremove: true }, st({ removable: 2 }), [`${ENV} autoremove`]],
  ['deb newer than installed', { deb: '/tmp/foo.deb' }, st({ deb: { name: 'foo', version: '1.0', installed: '0.9' } }), [`${ENV} install /tmp/foo.deb`]],
  ['relative deb path', { deb: 'foo.deb' }, st({ deb: { name: 'foo', version: '1.0' } }), [`${ENV} install ./foo.deb`]],
  ['deb already installed', { deb: '/tmp/foo.deb' }, st({ deb: { name: 'foo', version: '1.0', installed: '1.0' } }), 'noop: nothing to do'],
  ['deb missing on host', { deb: '/tmp/foo.deb' }, st({ debMissing: true }), 'fail: cannot read the package file /tmp/foo.deb on the host'],
  ['cache only', { update_cache: true }, st(), 'noop: cache is up to date'],
  [
    'not a Debian host',
    { name: ['nginx'] },
    st({ missing: ['apt-get', 'apt-cache', 'dpkg-query'] }),
    'fail: apt-get, dpkg-query not found: this host does not use apt (a Debian-family system is needed)',
  ],
  ['build-dep', { name: ['nginx'], state: 'build-dep' }, st(), "fail: state=build-dep is not supported by muster's apt module"],
  ['latest with a version', { name: ['nginx=1'], state: 'latest' }, st(), 'fail: version number inconsistent with state=latest'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planApt(argsFor(apt, given), s, {})), want));
}

t.test('cacheNeedsUpdate', async (t) => {
  const table: [Record<string, unknown>, { stamp?: number; now?: number }, boolean][] = [
    [{}, {}, false],
    [{ update_cache: true }, {}, true],
    [{ update_cache: true, cache_valid_time: 3600 }, { stamp: 1000, now: 2000 }, false],
    [{ update_cache: true, cache_valid_time: 3600 }, { stamp: 1000, now: 5000 }, true],
    [{ cache_valid_time: 3600 }, { stamp: 1000, now: 5000 }, true],
    [{ cache_valid_time: 3600 }, { now: 5000 }, true],
  ];
  for (const [a, s, want] of table) t.equal(cacheNeedsUpdate(a, s), want, JSON.stringify([a, s]));
});

t.test('versionMatches', async (t) => {
  t.ok(versionMatches('5:27.0.3-1~debian.12', '5:27.0.*'));
  t.ok(versionMatches('1.2.3', '1.2.3'));
  t.notOk(versionMatches('1.2.30', '1.2.3'));
  t.notOk(versionMatches('1x2', '1.2'), 'dots are literal');
});

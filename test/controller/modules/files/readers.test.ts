/** stat, slurp and fetch: the modules that read. */
import t from 'tap';
import { decideFetch, fetchDest, parseFetch } from '../../../../controller/modules/files/fetch.js';
import { slurp } from '../../../../controller/modules/files/slurp.js';
import { stat } from '../../../../controller/modules/files/stat.js';
import { out, st, summary } from './helpers.js';

t.test('stat: the result dictionary', async (t) => {
  const a = { path: '/etc/shadow', follow: false, get_checksum: true, checksum_algorithm: 'sha1' };
  const plan = stat.planned.plan(
    a,
    stat.planned.parse(
      out([`stat ${st('file', 0o4640, { uid: 0, gid: 42, group: 'shadow', size: 9 })}`, 'real /etc/shadow', 'access r', 'access w', 'checksum abc']),
      a,
    ),
  );
  t.match(plan, {
    kind: 'noop',
    reason: '/etc/shadow exists',
    data: {
      stat: {
        exists: true,
        path: '/etc/shadow',
        mode: '4640',
        isreg: true,
        isdir: false,
        islnk: false,
        uid: 0,
        gid: 42,
        pw_name: 'root',
        gr_name: 'shadow',
        size: 9,
        mtime: 1700000000,
        rusr: true,
        wusr: true,
        xusr: false,
        rgrp: true,
        wgrp: false,
        roth: false,
        isuid: true,
        isgid: false,
        readable: true,
        writeable: true,
        executable: false,
        checksum: 'abc',
      },
    },
  });
  const missing = stat.planned.plan(a, stat.planned.parse(out(['stat -', 'real /etc/shadow']), a));
  t.same(missing, { kind: 'noop', reason: '/etc/shadow does not exist', data: { stat: { exists: false } } });
  const link = stat.planned.plan(a, stat.planned.parse(out([`stat ${st('link', 0o777)}`, 'target ../x', 'real /x']), a));
  t.match(link, { data: { stat: { islnk: true, isreg: false, lnk_target: '../x', lnk_source: '/x', mode: '0777' } } });
  t.equal(summary(stat.planned.plan(a, stat.planned.parse({ rc: 1, stdout: '', stderr: 'x' }, a))), 'fail: could not read the state of the host (rc 1): x');
});

t.test('stat: the probe', async (t) => {
  const noFollow = stat.planned.probe({ path: '/l', follow: false, get_checksum: true, checksum_algorithm: 'sha256' }).text;
  t.match(noFollow, "stat -c '%f");
  t.match(noFollow, "if [ ! -L /l ]; then if [ -f /l ] && [ -r /l ]; then printf '%s %s\\n' checksum \"$(sha256sum < /l");
  const follow = stat.planned.probe({ path: '/l', follow: true, get_checksum: false }).text;
  t.match(follow, "stat -L -c '%f");
  t.notMatch(follow, 'sum <');
});

t.test('slurp', async (t) => {
  const a = { src: '/etc/hostname' };
  const cases: [string[], string | Record<string, unknown>][] = [
    [['what file', 'content cGkK'], { kind: 'noop', data: { content: 'cGkK', encoding: 'base64', source: '/etc/hostname' } }],
    [['what file', 'content '], { kind: 'noop', data: { content: '' } }],
    [['what missing'], 'fail: file not found: /etc/hostname'],
    [['what directory'], 'fail: source is a directory and must be a file: /etc/hostname'],
    [['what unreadable'], 'fail: file is not readable: /etc/hostname'],
  ];
  for (const [probe, want] of cases) {
    const plan = slurp.planned.plan(a, slurp.planned.parse(out(probe), a));
    if (typeof want === 'string') t.equal(summary(plan), want);
    else t.match(plan, want);
  }
});

t.test('fetch: where the local copy goes', async (t) => {
  const cases: [src: string, dest: string, flat: boolean, want: string][] = [
    ['/etc/hosts', '/backups', false, '/backups/pi1/etc/hosts'],
    ['/etc/hosts', 'backups', false, '/play/backups/pi1/etc/hosts'],
    ['/etc/hosts', '/backups/', true, '/backups/hosts'],
    ['/etc/hosts', '/backups/hosts.pi1', true, '/backups/hosts.pi1'],
    ['/etc/hosts', '~/b/', true, '/home/me/b/hosts'],
    ['rel/file', '/b', false, '/b/pi1/rel/file'],
  ];
  for (const [src, dest, flat, want] of cases)
    t.equal(fetchDest(src, dest, 'pi1', flat, '/play', '/home/me'), want, `${src} -> ${dest}${flat ? ' (flat)' : ''}`);
});

t.test('fetch: decisions', async (t) => {
  const file = [`stat ${st('file', 0o644)}`, 'sha256 aa', 'readable 1'];
  const a = { fail_on_missing: true };
  t.same(decideFetch(a, parseFetch(out(file)), undefined), { kind: 'fetch' });
  t.same(decideFetch(a, parseFetch(out(file)), 'bb'), { kind: 'fetch' });
  t.same(decideFetch(a, parseFetch(out(file)), 'aa'), { kind: 'noop', reason: 'local copy already up to date' });
  t.same(decideFetch(a, parseFetch(out(['stat -'])), undefined), { kind: 'fail', msg: 'the remote file does not exist' });
  t.same(decideFetch({ fail_on_missing: false }, parseFetch(out(['stat -'])), undefined), {
    kind: 'skip',
    msg: 'the remote file does not exist, not transferring, ignored',
  });
  t.same(decideFetch(a, parseFetch(out([`stat ${st('directory', 0o755)}`])), undefined), {
    kind: 'fail',
    msg: 'remote file is a directory, fetch cannot work on directories',
  });
  t.same(decideFetch(a, parseFetch(out([`stat ${st('file', 0o600)}`])), undefined), { kind: 'fail', msg: 'file is not readable' });
});

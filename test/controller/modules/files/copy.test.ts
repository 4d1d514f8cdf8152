import { createHash } from 'node:crypto';
import t from 'tap';
import { baseName, checkCopyArgs, copyProbe, parseCopy, planCopy, remoteCopyScript, type Source } from '../../../../controller/modules/files/copy.js';
import type { Args } from '../../../../controller/modules/types.js';
import { b64, out, putText, st, summary } from './helpers.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const content = (text: string, name?: string): Source => ({ kind: 'content', content: Buffer.from(text), name });
const existing = (text: string, mode = 0o644, path = '/etc/app.conf'): string[] => [
  `path ${path}`,
  `stat ${st('file', mode, { size: text.length })}`,
  `sha256 ${sha256(text)}`,
  `content ${b64(text)}`,
  'parent 1',
];
const missing = (path = '/etc/app.conf'): string[] => [`path ${path}`, 'stat -', 'parent 1'];
const base = { dest: '/etc/app.conf', force: true, backup: false, remote_src: false };

t.test('copy: (args, probe output, source) -> plan', async (t) => {
  const cases: [name: string, args: Args, probe: string[], source: Source, want: string[] | string][] = [
    ['content identical: noop', {}, existing('x=1\n'), content('x=1\n'), 'noop: content unchanged'],
    ['content differs: put keeping mode and owner', {}, existing('x=1\n', 0o640), content('x=2\n'), ['put /etc/app.conf mode=0640 owner=0 group=0']],
    ['content identical, mode differs: chmod only', { mode: '0600' }, existing('x=1\n'), content('x=1\n'), ['chmod 0600 /etc/app.conf']],
    ['content identical, owner differs: chown only', { owner: 'app', group: 'app' }, existing('x=1\n'), content('x=1\n'), ['chown app:app /etc/app.conf']],
    ['new file: umask default mode', {}, missing(), content('x\n'), ['put /etc/app.conf mode=0644']],
    ['new file with mode and owner', { mode: 'u=rw,go=', owner: 'app' }, missing(), content('x\n'), ['put /etc/app.conf mode=0600 owner=app']],
    ['force false and dest exists: noop', { force: false }, existing('old\n'), content('new\n'), 'noop: /etc/app.conf exists and force is false'],
    ['force false and dest missing: put', { force: false }, missing(), content('new\n'), ['put /etc/app.conf mode=0644']],
    [
      'backup before overwrite',
      { backup: true },
      existing('old\n'),
      content('new\n'),
      ["cp -p /etc/app.conf '/etc/app.conf.4242.2024-05-01@10:00:00~'", 'put /etc/app.conf mode=0644 owner=0 group=0'],
    ],
    ['backup of a missing file: none', { backup: true }, missing(), content('new\n'), ['put /etc/app.conf mode=0644']],
    [
      'content into a directory: fail',
      { dest: '/etc' },
      ['destdir 1', 'path /etc', `stat ${st('directory', 0o755)}`, 'parent 1'],
      content('x'),
      'fail: can not use content with a dir as dest',
    ],
    [
      'src into a directory: dest/NAME',
      { dest: '/etc' },
      ['destdir 1', ...missing('/etc/app.conf')],
      content('x', 'app.conf'),
      ['put /etc/app.conf mode=0644'],
    ],
    ['parent missing: fail', { dest: '/nope/app.conf' }, ['path /nope/app.conf', 'stat -'], content('x'), 'fail: Destination directory /nope does not exist'],
    [
      'dest ending in /: mkdir -p',
      { dest: '/opt/app/' },
      ['path /opt/app/app.conf', 'stat -'],
      content('x', 'app.conf'),
      ['mkdir -p /opt/app/', 'put /opt/app/app.conf mode=0644'],
    ],
    [
      'dest is a directory named like the file: fail',
      {},
      ['path /etc/app.conf', `stat ${st('directory', 0o755)}`, 'parent 1'],
      content('x', 'app.conf'),
      'fail: Destination /etc/app.conf is a directory',
    ],
    [
      'remote src differs',
      { remote_src: true, src: '/tmp/a' },
      [...existing('old\n'), `srcstat ${st('file', 0o600, { size: 4 })}`, `srcsha256 ${sha256('new\n')}`],
      { kind: 'remote', path: '/tmp/a', name: 'a' },
      ['t=$(mktemp /etc/.muster.XXXXXX) || exit 1\ntrap \'rm -f "$t"\' EXIT\ncp /tmp/a "$t" && chmod 0644 "$t" && chown 0:0 "$t" && mv -f "$t" /etc/app.conf'],
    ],
    [
      'remote src identical: noop',
      { remote_src: true, src: '/tmp/a' },
      [...existing('same\n'), `srcstat ${st('file', 0o600)}`, `srcsha256 ${sha256('same\n')}`],
      { kind: 'remote', path: '/tmp/a', name: 'a' },
      'noop: content unchanged',
    ],
    [
      'remote src missing: fail',
      { remote_src: true, src: '/tmp/a' },
      [...existing('x'), 'srcstat -'],
      { kind: 'remote', path: '/tmp/a', name: 'a' },
      'fail: Source /tmp/a not found',
    ],
    [
      'remote src a directory: fail',
      { remote_src: true, src: '/tmp/d' },
      [...existing('x'), `srcstat ${st('directory', 0o755)}`],
      { kind: 'remote', path: '/tmp/d', name: 'd' },
      'fail: Source /tmp/d is a directory: copying directories is not supported',
    ],
    // neither checksum readable: the probe's digest lines are empty (no sha256sum) or absent (no read permission)
    [
      'remote src and dest with empty checksums: fail, not "unchanged"',
      { remote_src: true, src: '/tmp/a' },
      ['path /etc/app.conf', `stat ${st('file', 0o644)}`, 'sha256 ', 'parent 1', `srcstat ${st('file', 0o600)}`, 'srcsha256 '],
      { kind: 'remote', path: '/tmp/a', name: 'a' },
      'fail: Source /tmp/a not readable: its checksum could not be read',
    ],
    [
      'remote src and dest unreadable: fail',
      { remote_src: true, src: '/tmp/a' },
      ['path /etc/app.conf', `stat ${st('file', 0o600)}`, 'parent 1', `srcstat ${st('file', 0o600)}`],
      { kind: 'remote', path: '/tmp/a', name: 'a' },
      'fail: Source /tmp/a not readable: its checksum could not be read',
    ],
    [
      'remote src readable, dest unreadable: copy',
      { remote_src: true, src: '/tmp/a' },
      ['path /etc/app.conf', `stat ${st('file', 0o600)}`, 'parent 1', `srcstat ${st('file', 0o600)}`, `srcsha256 ${sha256('new\n')}`],
      { kind: 'remote', path: '/tmp/a', name: 'a' },
      ['t=$(mktemp /etc/.muster.XXXXXX) || exit 1\ntrap \'rm -f "$t"\' EXIT\ncp /tmp/a "$t" && chmod 0600 "$t" && chown 0:0 "$t" && mv -f "$t" /etc/app.conf'],
    ],
    [
      'content, dest checksum empty: put',
      {},
      ['path /etc/app.conf', `stat ${st('file', 0o644)}`, 'sha256 ', 'parent 1'],
      content('x'),
      ['put /etc/app.conf mode=0644 owner=0 group=0'],
    ],
  ];
  for (const [name, args, probe, source, want] of cases) {
    const a = { ...base, ...args };
    t.same(summary(planCopy(a, parseCopy(out(probe), a), source)), want, name);
  }
});

t.test('copy: results and diff', async (t) => {
  const plan = planCopy(base, parseCopy(out(existing('x=1\n')), base), content('x=2\n'));
  t.equal(putText(plan), 'x=2\n');
  t.match(plan, {
    kind: 'change',
    diff: [{ path: '/etc/app.conf', before: 'x=1\n', after: 'x=2\n' }],
    data: { dest: '/etc/app.conf', checksum: sha1('x=2\n'), mode: '0644', owner: 'root', group: 'root', size: 4, state: 'file' },
  });
  const created = planCopy(base, parseCopy(out(missing()), base), content('new\n'));
  t.match(created, { diff: [{ before: '', after: 'new\n' }], msg: 'file created' });
  const binary = planCopy(base, parseCopy(out(existing('x')), base), { kind: 'content', content: Buffer.from([0, 1, 2]) });
  t.equal(binary.kind === 'change' && binary.diff, undefined, 'no diff for binary content');
  const big = planCopy(
    base,
    parseCopy(out(['path /etc/app.conf', `stat ${st('file', 0o644, { size: 100000 })}`, 'sha256 00', 'parent 1']), base),
    content('x'),
  );
  t.equal(big.kind === 'change' && big.diff, undefined, 'no diff when the old content was too big to read');
  const noop = planCopy(base, parseCopy(out(existing('x=1\n')), base), content('x=1\n'));
  t.match(noop, { kind: 'noop', data: { checksum: sha1('x=1\n'), mode: '0644', uid: 0 } });
});

t.test('copy: probe picks dest or dest/NAME', async (t) => {
  t.match(copyProbe({ dest: '/etc' }, 'a.conf').text, "if [ -d /etc ]; then echo 'destdir 1'; p=/etc/a.conf; else p=/etc; fi");
  t.match(copyProbe({ dest: '/opt/x/' }, 'a.conf').text, 'p=/opt/x/a.conf');
  t.match(copyProbe({ dest: '/etc/f' }, undefined).text, 'p=/etc/f; if [ -d "$p" ]');
  t.match(copyProbe({ dest: '/etc/f' }, 'a', '/tmp/a').text, 'sha256sum < /tmp/a');
});

t.test('copy: argument rules and helpers', async (t) => {
  t.equal(checkCopyArgs({ dest: '/x' }), 'src (or content) is required');
  t.equal(checkCopyArgs({ dest: '/x', src: 'a', content: 'b' }), 'parameters are mutually exclusive: src|content');
  t.equal(checkCopyArgs({ dest: '/x', content: 'b', remote_src: true }), 'remote_src needs src (a path on the host)');
  t.equal(checkCopyArgs({ dest: '/x', content: 'b', validate: 'visudo -c' }), 'validate must contain %s (the file to check): visudo -c');
  t.equal(checkCopyArgs({ dest: '/x', content: 'b', validate: 'visudo -cf %s' }), undefined);
  t.equal(baseName('files/a.conf'), 'a.conf');
  t.equal(baseName('/x/y/'), 'y');
  t.match(remoteCopyScript('/a', '/b', { mode: 0o600 }, 'check %s').text, 't=$(mktemp /.muster.XXXXXX) || exit 1');
  t.match(remoteCopyScript('/a', '/b', { mode: 0o600 }, 'check %s').text, '&& check "$t" && mv -f "$t" /b');
});

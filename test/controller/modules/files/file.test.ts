import t from 'tap';
import { ancestors, checkFileArgs, file, linkSource } from '../../../../controller/modules/files/file.js';
import { timeScripts } from '../../../../controller/modules/files/file-states.js';
import type { Args } from '../../../../controller/modules/types.js';
import { out, st, summary } from './helpers.js';

const P = file.planned;
const defaults = { recurse: false, force: false, follow: true };
const plan = (args: Args, probe: string[]) => {
  const a = { ...defaults, ...args };
  return P.plan(a, P.parse(out(probe), a));
};

const F = (mode = 0o644, o = {}) => st('file', mode, o);
const D = (mode = 0o755, o = {}) => st('directory', mode, o);
const L = st('link', 0o777);

t.test('file: (args, probe output) -> plan', async (t) => {
  const cases: [name: string, args: Args, probe: string[], want: string[] | string][] = [
    // absent
    ['absent, missing: noop', { path: '/x', state: 'absent' }, ['lstat -'], 'noop: path is already absent'],
    ['absent, a file', { path: '/x', state: 'absent' }, [`lstat ${F()}`], ['rm -f /x']],
    ['absent, a directory', { path: '/x', state: 'absent' }, [`lstat ${D()}`], ['rm -rf /x']],
    ['absent, a link: the link only', { path: '/x', state: 'absent' }, [`lstat ${L}`, 'target /y'], ['rm -f /x']],
    // directory
    ['directory, missing: mkdir -p', { path: '/a/b', state: 'directory' }, ['lstat -', 'missing /a', 'missing /a/b'], ['mkdir -p /a/b']],
    [
      'directory, missing, mode: on each created dir',
      { path: '/a/b', state: 'directory', mode: '0750' },
      ['lstat -', 'missing /a/b'],
      ['mkdir -p /a/b', 'chmod 0750 /a/b'],
    ],
    [
      'directory, missing parents, owner',
      { path: '/a/b', state: 'directory', owner: 'app' },
      ['lstat -', 'missing /a', 'missing /a/b'],
      ['mkdir -p /a/b', 'chown app /a', 'chown app /a/b'],
    ],
    ['directory, there: noop', { path: '/a', state: 'directory', mode: '0755' }, [`lstat ${D()}`, `stat ${D()}`], 'noop: directory already as wanted'],
    ['directory, mode differs: chmod only', { path: '/a', state: 'directory', mode: '0700' }, [`lstat ${D()}`, `stat ${D()}`], ['chmod 0700 /a']],
    ['directory, symbolic mode', { path: '/a', state: 'directory', mode: 'u=rwx,go=rx' }, [`lstat ${D(0o700)}`, `stat ${D(0o700)}`], ['chmod 0755 /a']],
    ['directory, owner and group differ', { path: '/a', state: 'directory', owner: 'app', group: 'app' }, [`lstat ${D()}`], ['chown app:app /a']],
    ['directory, group only', { path: '/a', state: 'directory', group: 'adm' }, [`lstat ${D()}`], ['chgrp adm /a']],
    [
      'directory, owner by uid: same',
      { path: '/a', state: 'directory', owner: '1000' },
      [`lstat ${D(0o755, { uid: 1000, owner: 'pi' })}`],
      'noop: directory already as wanted',
    ],
    ['directory, a file is there: fail', { path: '/a', state: 'directory' }, [`lstat ${F()}`], 'fail: /a already exists as a file'],
    [
      'directory through a link: the target',
      { path: '/a', state: 'directory', mode: '0700' },
      [`lstat ${L}`, `stat ${D()}`, 'real /srv/a', 'target /srv/a'],
      ['chmod 0700 /srv/a'],
    ],
    [
      'directory, recurse, tree differs',
      { path: '/a', state: 'directory', recurse: true, owner: 'app', mode: 'u+rwX' },
      [`lstat ${D()}`, `tree ${D().split('|').slice(0, 5).join('|')}`, 'tree 81a4|0|0|root|root'],
      ['chown -R -h app /a'],
    ],
    [
      'directory, recurse, modes differ',
      { path: '/a', state: 'directory', recurse: true, mode: 'g-w' },
      [`lstat ${D()}`, 'tree 41ed|0|0|root|root', 'tree 81b4|0|0|root|root'],
      ['chmod -R g-w /a'],
    ],
    [
      'directory, recurse, all good',
      { path: '/a', state: 'directory', recurse: true, mode: '0755', owner: 'root' },
      [`lstat ${D()}`, 'tree 41ed|0|0|root|root', 'tree 81ed|0|0|root|root', 'tree a1ff|0|0|root|root'],
      'noop: directory tree already as wanted',
    ],
    // file
    ['file, missing: fail', { path: '/x', state: 'file' }, ['lstat -'], 'fail: file (/x) is absent, cannot continue'],
    ['file, attributes fine: noop', { path: '/x', state: 'file', mode: '0644' }, [`lstat ${F()}`], 'noop: file already as wanted'],
    ['file, mode differs: chmod only', { path: '/x', state: 'file', mode: '0600' }, [`lstat ${F()}`], ['chmod 0600 /x']],
    ['file, chown before chmod', { path: '/x', state: 'file', mode: '4755', owner: 'app' }, [`lstat ${F()}`], ['chown app /x', 'chmod 4755 /x']],
    ['file, a directory: fail', { path: '/x', state: 'file' }, [`lstat ${D()}`], 'fail: file (/x) is directory, cannot continue'],
    ['file, through a link', { path: '/x', state: 'file', mode: '0600' }, [`lstat ${L}`, `stat ${F()}`, 'real /y'], ['chmod 0600 /y']],
    ['file, explicit mtime', { path: '/x', state: 'file', modification_time: '202401020304.05' }, [`lstat ${F()}`], ['touch -c -m -t 202401020304.05 /x']],
    // default state
    ['no state, existing dir: attributes', { path: '/x', mode: '0700' }, [`lstat ${D()}`], ['chmod 0700 /x']],
    ['no state, missing: file, fails', { path: '/x', mode: '0700' }, ['lstat -'], 'fail: file (/x) is absent, cannot continue'],
    ['no state, recurse, missing: directory', { path: '/x', recurse: true }, ['lstat -', 'missing /x'], ['mkdir -p /x']],
    ['recurse with state=file: fail', { path: '/x', state: 'file', recurse: true }, [`lstat ${F()}`], "fail: recurse option requires state to be 'directory'"],
    ['src with state=file: fail', { path: '/x', state: 'file', src: '/y' }, [`lstat ${F()}`], "fail: src option requires state to be 'link' or 'hard'"],
    // touch
    ['touch, missing: create', { path: '/x', state: 'touch' }, ['lstat -'], ['touch /x']],
    ['touch, missing, mode', { path: '/x', state: 'touch', mode: '0600' }, ['lstat -'], ['touch /x', 'chmod 0600 /x']],
    ['touch, existing: always touched', { path: '/x', state: 'touch' }, [`lstat ${F()}`], ['touch -c /x']],
    [
      'touch, times preserved: noop',
      { path: '/x', state: 'touch', modification_time: 'preserve', access_time: 'preserve' },
      [`lstat ${F()}`],
      'noop: times preserved and attributes as wanted',
    ],
    [
      'touch, bad time',
      { path: '/x', state: 'touch', modification_time: 'yesterday' },
      [`lstat ${F()}`],
      'fail: Error while obtaining timestamp for time yesterday using format %Y%m%d%H%M.%S',
    ],
    // link
    ['link, new', { path: '/l', state: 'link', src: '/t' }, ['lstat -', `src ${F()}`], ['ln -s /t /l']],
    ['link, already right: noop', { path: '/l', state: 'link', src: '/t' }, [`lstat ${L}`, 'target /t', `src ${F()}`], 'noop: link already points to src'],
    ['link, points elsewhere: replaced', { path: '/l', state: 'link', src: '/t' }, [`lstat ${L}`, 'target /old', `src ${F()}`], ['rm -f /l && ln -s /t /l']],
    [
      'link, src missing: fail',
      { path: '/l', state: 'link', src: '/t' },
      ['lstat -', 'src -'],
      'fail: src file does not exist, use "force=yes" if you really want to create the link: /t',
    ],
    ['link, src missing with force', { path: '/l', state: 'link', src: '/t', force: true }, ['lstat -', 'src -'], ['ln -s /t /l']],
    [
      'link over a file: refused',
      { path: '/l', state: 'link', src: '/t' },
      [`lstat ${F()}`, `src ${F()}`],
      'fail: refusing to convert from file to symlink for /l',
    ],
    ['link over a file with force', { path: '/l', state: 'link', src: '/t', force: true }, [`lstat ${F()}`, `src ${F()}`], ['rm -f /l && ln -s /t /l']],
    [
      'link over a dir: refused',
      { path: '/l', state: 'link', src: '/t' },
      [`lstat ${D()}`, `src ${F()}`],
      'fail: refusing to convert from directory to symlink for /l',
    ],
    [
      'link over a non-empty dir with force: refused',
      { path: '/l', state: 'link', src: '/t', force: true },
      [`lstat ${D()}`, `src ${F()}`, 'nonempty 1'],
      'fail: the directory /l is not empty, refusing to convert it',
    ],
    ['link over an empty dir with force', { path: '/l', state: 'link', src: '/t', force: true }, [`lstat ${D()}`, `src ${F()}`], ['rmdir /l && ln -s /t /l']],
    [
      'link, follow=false owner: chown -h',
      { path: '/l', state: 'link', src: '/t', owner: 'app', follow: false },
      [`lstat ${L}`, 'target /t', `src ${F()}`],
      ['chown -h app /l'],
    ],
    ['link without src keeps its target', { path: '/l', state: 'link', owner: 'app' }, [`lstat ${L}`, 'target /t', `stat ${F()}`], ['chown app /l']],
    ['link without src, nothing there: fail', { path: '/l', state: 'link' }, ['lstat -'], 'fail: src is required for creating new symlinks'],
    ['link, follow: mode on the target', { path: '/l', state: 'link', src: '/t', mode: '0600' }, [`lstat ${L}`, 'target /t', `src ${F()}`], ['chmod 0600 /l']],
    // hard
    ['hard, new', { path: '/h', state: 'hard', src: '/t' }, ['lstat -', `src ${F()}`], ['ln /t /h']],
    [
      'hard, same inode: noop',
      { path: '/h', state: 'hard', src: '/t' },
      [`lstat ${F(0o644, { nlink: 2, inode: 7 })}`, `src ${F(0o644, { nlink: 2, inode: 7 })}`],
      'noop: hard link already in place',
    ],
    [
      'hard, other file: refused',
      { path: '/h', state: 'hard', src: '/t' },
      [`lstat ${F(0o644, { inode: 8 })}`, `src ${F(0o644, { inode: 7 })}`],
      'fail: Cannot link, file exists at destination',
    ],
    [
      'hard, other hard link: refused',
      { path: '/h', state: 'hard', src: '/t' },
      [`lstat ${F(0o644, { inode: 8, nlink: 2 })}`, `src ${F(0o644, { inode: 7 })}`],
      'fail: Cannot link, different hard link exists at destination',
    ],
    [
      'hard, other file with force',
      { path: '/h', state: 'hard', src: '/t', force: true },
      [`lstat ${F(0o644, { inode: 8 })}`, `src ${F(0o644, { inode: 7 })}`],
      ['ln -f /t /h'],
    ],
    ['hard, src missing', { path: '/h', state: 'hard', src: '/t' }, ['lstat -', 'src -'], 'fail: src does not exist'],
    ['hard, no src', { path: '/h', state: 'hard' }, ['lstat -'], 'fail: src is required for creating new hardlinks'],
  ];
  for (const [name, args, probe, want] of cases) t.same(summary(plan(args, probe)), want, name);
});

t.test('file: results and diffs', async (t) => {
  t.match(plan({ path: '/a', state: 'directory', mode: '0700' }, [`lstat ${D()}`, `stat ${D()}`]), {
    kind: 'change',
    diff: [{ path: '/a', before: 'path: /a\nmode: 0755\n', after: 'path: /a\nmode: 0700\n' }],
    data: { path: '/a', state: 'directory', mode: '0700', owner: 'root', group: 'root', uid: 0, gid: 0 },
  });
  t.match(plan({ path: '/x', state: 'absent' }, [`lstat ${F()}`]), {
    diff: [{ before: 'path: /x\nstate: file\n', after: 'path: /x\nstate: absent\n' }],
    data: { path: '/x', state: 'absent' },
  });
  t.match(plan({ path: '/l', state: 'link', src: '/t' }, [`lstat ${L}`, 'target /old', `src ${F()}`]), {
    diff: [{ before: 'path: /l\nsrc: /old\n', after: 'path: /l\nsrc: /t\n' }],
    data: { dest: '/l', src: '/t', state: 'link' },
  });
  t.match(plan({ path: '/x', state: 'directory' }, ['lstat -', 'missing /x', 'umask 0027']), { data: { mode: '0750' } });
});

t.test('file: the probe asks only for what the state needs', async (t) => {
  const dir = P.probe({ ...defaults, path: '/a/b c', state: 'directory' }).text;
  t.match(dir, "for p in /a '/a/b c'; do");
  t.notMatch(dir, 'find');
  const rec = P.probe({ ...defaults, path: '/a', state: 'directory', recurse: true }).text;
  t.match(rec, 'find -H /a -exec stat');
  t.match(P.probe({ ...defaults, path: '/d/l', state: 'link', src: 't' }).text, '/d/t', 'a relative src is looked up beside the link');
  t.match(P.probe({ ...defaults, path: '/d/l', state: 'hard', src: 't' }).text, "stat -L -c '%f|%u|%g|%U|%G|%s|%Y|%X|%Z|%i|%d|%h' t ");
  t.notMatch(P.probe({ ...defaults, path: '/x', follow: false }).text, 'readlink -f');
});

t.test('file: helpers and argument rules', async (t) => {
  t.same(ancestors('/a/b/c'), ['/a', '/a/b', '/a/b/c']);
  t.same(ancestors('rel/d'), ['rel', 'rel/d']);
  t.same(ancestors('/'), []);
  t.equal(linkSource('/d/l', 't'), '/d/t');
  t.equal(linkSource('/d/l', '/abs'), '/abs');
  t.equal(linkSource('l', 't'), 't');
  t.equal(checkFileArgs({ path: '/x', state: 'file', recurse: 'yes' }), "recurse option requires state to be 'directory'");
  t.equal(checkFileArgs({ dest: '/x', state: 'touch', src: '/y' }), "src option requires state to be 'link' or 'hard'");
  t.equal(checkFileArgs({ path: '/x', state: '{{ s }}', recurse: true }), undefined);
  t.match(checkFileArgs({ path: '/x', modification_time_format: '%s' }), /not supported/);
  t.same(
    (timeScripts('/x', { modification_time: 'now', access_time: 'preserve' }, false) as { shown: string }[]).map((s) => s.shown),
    ['touch -c -m /x'],
  );
});

t.test('file: a failed probe fails the task with its output', async (t) => {
  const a = { ...defaults, path: '/x', state: 'file' };
  t.same(
    summary(P.plan(a, P.parse({ rc: 127, stdout: '', stderr: 'sh: stat: not found' }, a))),
    'fail: could not read the state of the host (rc 127): sh: stat: not found',
  );
});

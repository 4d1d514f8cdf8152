/**
 * The probes and commands run for real, with dash when it is installed (to catch bash-isms), on a temp dir:
 * every module end to end through a local ModuleContext, and idempotence (a second run changes nothing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { modules } from '../../../../controller/modules/files/index.js';
import { copyProbe } from '../../../../controller/modules/files/copy.js';
import { downloadScript, getUrlProbe } from '../../../../controller/modules/files/get_url.js';
import { fetchProbe } from '../../../../controller/modules/files/fetch.js';
import { parseStat, probeFailure, probeLines, statLine } from '../../../../controller/modules/files/probe.js';
import { compareScript, tarCall, unarchiveProbe } from '../../../../controller/modules/files/unarchive.js';
import type { Args, Module } from '../../../../controller/modules/types.js';
import { localContext, runSh, SHELL } from './helpers.js';

const mod = (name: string): Module => modules.find((m) => m.name === name) as Module;
const root = mkdtempSync(join(tmpdir(), 'muster-files-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const p = (...parts: string[]): string => join(root, ...parts);
const mode = (path: string): number => statSync(path).mode & 0o7777;

async function run(name: string, args: Args, o: Parameters<typeof localContext>[0] = {}) {
  const ctx = localContext(o);
  const r = await mod(name).run(args, ctx);
  return { ...r, ctx };
}

t.comment(`shell: ${SHELL}`);

t.test('probe output parsing', async (t) => {
  const lines = probeLines('a 1\nmissing /x\nmissing /x/y\nflag\n\nsp a b  c\n');
  t.same(
    [...lines.entries()],
    [
      ['a', ['1']],
      ['missing', ['/x', '/x/y']],
      ['flag', ['']],
      ['sp', ['a b  c']],
    ],
  );
  t.equal(parseStat('-'), undefined);
  t.equal(parseStat('81a4|0|0'), undefined, 'too few fields');
  t.equal(parseStat('zz|0|0|a|b|1|2|3|4|5|6|7'), undefined, 'not hex');
  t.equal(probeFailure({ rc: 0, stdout: '', stderr: 'noise' }), undefined);
  t.equal(probeFailure({ rc: 2, stdout: '', stderr: 'a\nb\nc\nd' }), 'could not read the state of the host (rc 2): b\nc\nd');
});

t.test('every probe and command script parses with dash -n', async (t) => {
  const args = {
    path: "/tmp/it's here",
    dest: '/tmp/d',
    src: '/tmp/s.tar.gz',
    state: 'directory',
    recurse: true,
    follow: true,
    backup: true,
    url: 'https://h/f',
    checksum: `sha256:${'a'.repeat(64)}`,
    creates: '/c',
  };
  const scripts = [
    ...modules.flatMap((m) => ('planned' in m ? [(m as unknown as { planned: { probe(a: Args): { text: string } } }).planned.probe(args)] : [])),
    ...['link', 'hard', 'absent'].map((state) =>
      (mod('file') as unknown as { planned: { probe(a: Args): { text: string } } }).planned.probe({ ...args, state }),
    ),
    copyProbe(args, 'name', '/tmp/src'),
    getUrlProbe(args),
    fetchProbe(args),
    unarchiveProbe(args),
    compareScript(tarCall(args, '/tmp/a'), true, true),
    compareScript(tarCall(args, '/tmp/a'), false, true),
    downloadScript({
      url: 'https://h/f',
      dest: '/d',
      timeout: 5,
      insecure: true,
      headers: ['A: b'],
      mode: 0o644,
      owner: 'x',
      attrFix: [],
      checksum: { algo: 'sha256', hex: 'ab' },
    }),
  ];
  t.ok(scripts.length >= 15);
  for (const s of scripts) {
    const r = spawnSync(SHELL, ['-n', '-c', s.text]);
    t.equal(r.status, 0, `${s.text.slice(0, 60)}... ${r.stderr.toString()}`);
  }
});

t.test('statLine prints what parseStat reads, for files, dirs, links and missing paths', async (t) => {
  writeFileSync(p('s.txt'), 'hello');
  symlinkSync(p('s.txt'), p('s.lnk'));
  const script = [
    statLine('f', p('s.txt'), false),
    statLine('d', root, false),
    statLine('l', p('s.lnk'), false),
    statLine('lf', p('s.lnk'), true),
    statLine('m', p('none'), true),
  ];
  const r = await runSh({ text: script.map((s) => s.text).join('\n'), shown: '' } as never);
  t.equal(r.rc, 0, r.stderr);
  const lines = probeLines(r.stdout);
  t.match(parseStat(lines.get('f')?.[0]), { kind: 'file', size: 5, mode: mode(p('s.txt')), uid: process.getuid?.() });
  t.match(parseStat(lines.get('d')?.[0]), { kind: 'directory' });
  t.match(parseStat(lines.get('l')?.[0]), { kind: 'link' });
  t.match(parseStat(lines.get('lf')?.[0]), { kind: 'file', size: 5 });
  t.equal(lines.get('m')?.[0], '-');
});

t.test('file: directory, touch, link, hard, absent, recurse', async (t) => {
  let r = await run('file', { path: p('a/b/c'), state: 'directory', mode: '0750', recurse: false, force: false, follow: true });
  t.equal(r.changed, true, String(r.msg));
  t.equal(mode(p('a')), 0o750, 'created parents get the mode too');
  t.equal(mode(p('a/b/c')), 0o750);
  r = await run('file', { path: p('a/b/c'), state: 'directory', mode: '0750', recurse: false, force: false, follow: true });
  t.equal(r.changed, false, 'second run: no change');
  r = await run('file', { path: p('a/b/c'), state: 'directory', mode: 'u=rwx,g=rx,o=rx', recurse: false, force: false, follow: true });
  t.equal(r.changed, true);
  t.equal(mode(p('a/b/c')), 0o755);

  r = await run('file', { path: p('t.txt'), state: 'touch', mode: '0600', recurse: false, force: false, follow: true });
  t.equal(r.changed, true);
  t.equal(mode(p('t.txt')), 0o600);
  r = await run('file', { path: p('t.txt'), state: 'file', mode: '0600', recurse: false, force: false, follow: true });
  t.equal(r.changed, false, 'state=file with the same mode: no change');

  r = await run('file', { path: p('lnk'), src: 't.txt', state: 'link', recurse: false, force: false, follow: true });
  t.equal(r.changed, true, String(r.msg));
  t.equal(readlinkSync(p('lnk')), 't.txt');
  r = await run('file', { path: p('lnk'), src: 't.txt', state: 'link', recurse: false, force: false, follow: true });
  t.equal(r.changed, false, 'link already right');
  r = await run('file', { path: p('lnk'), src: p('a'), state: 'link', recurse: false, force: false, follow: true });
  t.equal(r.changed, true);
  t.equal(readlinkSync(p('lnk')), p('a'), 'relinked (not moved into the directory it pointed to)');

  r = await run('file', { path: p('hard'), src: p('t.txt'), state: 'hard', recurse: false, force: false, follow: true });
  t.equal(r.changed, true, String(r.msg));
  t.equal(statSync(p('hard')).ino, statSync(p('t.txt')).ino);
  r = await run('file', { path: p('hard'), src: p('t.txt'), state: 'hard', recurse: false, force: false, follow: true });
  t.equal(r.changed, false, 'same inode');

  writeFileSync(p('a/b/f'), 'x');
  r = await run('file', { path: p('a'), state: 'directory', recurse: true, mode: 'u+rwX,g-w,o-rwx', owner: 'root', force: false, follow: true });
  t.equal(r.changed, true, String(r.msg));
  t.equal(mode(p('a/b/f')) & 0o007, 0, 'recursed to files');
  r = await run('file', { path: p('a'), state: 'directory', recurse: true, mode: 'u+rwX,g-w,o-rwx', owner: 'root', force: false, follow: true });
  t.equal(r.changed, false, 'tree already as wanted');

  r = await run('file', { path: p('a'), state: 'absent', recurse: false, force: false, follow: true });
  t.equal(r.changed, true);
  t.throws(() => lstatSync(p('a')));
  r = await run('file', { path: p('a'), state: 'absent', recurse: false, force: false, follow: true });
  t.equal(r.changed, false);

  r = await run('file', { path: p('t.txt'), state: 'directory', recurse: false, force: false, follow: true });
  t.match(r, { failed: true, msg: /already exists as a hard/ }, 'Ansible calls a file with two names a hard link');
});

t.test('copy and template: content, src, dir dest, check mode, idempotence', async (t) => {
  const base = { force: true, backup: false, remote_src: false };
  let r = await run('copy', { ...base, dest: p('c.conf'), content: 'a=1\n', mode: '0640' });
  t.equal(r.changed, true, String(r.msg));
  t.equal(readFileSync(p('c.conf'), 'utf8'), 'a=1\n');
  t.equal(mode(p('c.conf')), 0o640);
  r = await run('copy', { ...base, dest: p('c.conf'), content: 'a=1\n', mode: '0640' });
  t.equal(r.changed, false, 'identical content: no change');
  r = await run('copy', { ...base, dest: p('c.conf'), content: 'a=1\n', mode: '0600' });
  t.equal(r.changed, true);
  t.equal(mode(p('c.conf')), 0o600, 'mode only');
  r = await run('copy', { ...base, dest: p('c.conf'), content: 'a=2\n', backup: true }, { check: true });
  t.equal(r.changed, true);
  t.equal(readFileSync(p('c.conf'), 'utf8'), 'a=1\n', 'check mode changes nothing');
  r = await run('copy', { ...base, dest: p('c.conf'), content: 'a=2\n', backup: true });
  t.equal(readFileSync(String(r.data?.backup_file), 'utf8'), 'a=1\n', 'backup holds the old content');
  t.equal(mode(p('c.conf')), 0o600, 'an overwrite keeps the mode');

  mkdirSync(p('etc'));
  r = await run('copy', { ...base, dest: p('etc'), src: 'app.conf' }, { files: { 'app.conf': 'x\n' } });
  t.equal(readFileSync(p('etc/app.conf'), 'utf8'), 'x\n', 'into the directory');
  r = await run('copy', { ...base, dest: p('etc') + '/', src: 'app.conf' }, { files: { 'app.conf': 'x\n' } });
  t.equal(r.changed, false);
  r = await run('copy', { ...base, dest: p('etc/copy.conf'), src: p('etc/app.conf'), remote_src: true, mode: '0600' });
  t.equal(r.changed, true, String(r.msg));
  t.equal(readFileSync(p('etc/copy.conf'), 'utf8'), 'x\n');
  t.equal(mode(p('etc/copy.conf')), 0o600);
  r = await run('copy', { ...base, dest: p('etc/copy.conf'), src: p('etc/app.conf'), remote_src: true, mode: '0600' });
  t.equal(r.changed, false);

  r = await run('copy', { ...base, dest: p('v.conf'), content: 'bad\n', validate: 'grep -q good %s' });
  t.match(r, { failed: true, msg: /failed to validate/ });
  t.throws(() => statSync(p('v.conf')), 'a rejected file is not placed');

  r = await run(
    'template',
    { src: 'motd.j2', dest: p('motd'), force: true, backup: false, newline_sequence: '\n' },
    { files: { 'motd.j2': 'Hi {{ who }}\n' }, vars: { who: 'pi' } },
  );
  t.equal(readFileSync(p('motd'), 'utf8'), 'Hi pi\n');
  r = await run(
    'template',
    { src: 'motd.j2', dest: p('motd'), force: true, backup: false, newline_sequence: '\n' },
    { files: { 'motd.j2': 'Hi {{ who }}\n' }, vars: { who: 'pi' } },
  );
  t.equal(r.changed, false);
});

t.test('lineinfile, blockinfile, replace on a real file', async (t) => {
  writeFileSync(p('sshd'), '#Port 22\nPermitRootLogin yes\n');
  const li = { path: p('sshd'), state: 'present', backrefs: false, create: false, backup: false, firstmatch: false };
  let r = await run('lineinfile', { ...li, regexp: '^#?Port ', line: 'Port 2222' });
  t.equal(r.changed, true, String(r.msg));
  r = await run('lineinfile', { ...li, regexp: '^#?Port ', line: 'Port 2222' });
  t.equal(r.changed, false);
  r = await run('lineinfile', { ...li, path: p('none'), line: 'x' });
  t.match(r, { failed: true, msg: `Destination ${p('none')} does not exist !` });
  r = await run('lineinfile', { ...li, path: p('new/dir/f'), line: 'x', create: true });
  t.equal(readFileSync(p('new/dir/f'), 'utf8'), 'x\n', 'create makes the directory too');

  const bi = {
    path: p('sshd'),
    state: 'present',
    marker: '# {mark} MUSTER',
    marker_begin: 'BEGIN',
    marker_end: 'END',
    create: false,
    backup: false,
    block: 'Match User pi\n  X11Forwarding no',
  };
  r = await run('blockinfile', bi);
  t.equal(r.changed, true);
  r = await run('blockinfile', bi);
  t.equal(r.changed, false);

  const rp = { path: p('sshd'), replace: 'PermitRootLogin no', backup: false, encoding: 'utf-8', regexp: '^PermitRootLogin .*$' };
  r = await run('replace', rp);
  t.equal(r.msg, '1 replacements made');
  r = await run('replace', rp);
  t.equal(r.changed, false);
  t.equal(readFileSync(p('sshd'), 'utf8'), 'Port 2222\nPermitRootLogin no\n# BEGIN MUSTER\nMatch User pi\n  X11Forwarding no\n# END MUSTER\n');

  symlinkSync(p('sshd'), p('sshd.lnk'));
  r = await run('lineinfile', { ...li, path: p('sshd.lnk'), line: 'UseDNS no' });
  t.equal(r.changed, true);
  t.ok(lstatSync(p('sshd.lnk')).isSymbolicLink(), 'the link survives: the real file was edited');
  t.match(readFileSync(p('sshd'), 'utf8'), /UseDNS no\n$/);
});

t.test('stat and slurp', async (t) => {
  writeFileSync(p('st'), 'abc');
  execFileSync('chmod', ['0640', p('st')]);
  let r = await run('stat', { path: p('st'), follow: false, get_checksum: true, checksum_algorithm: 'sha256' });
  t.match(r.data?.stat, {
    exists: true,
    isreg: true,
    mode: '0640',
    size: 3,
    pw_name: 'root',
    checksum: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    readable: true,
  });
  r = await run('stat', { path: p('nope'), follow: false, get_checksum: true, checksum_algorithm: 'sha1' });
  t.same(r.data?.stat, { exists: false });
  symlinkSync(p('st'), p('st.lnk'));
  r = await run('stat', { path: p('st.lnk'), follow: false, get_checksum: true, checksum_algorithm: 'sha1' });
  t.match(r.data?.stat, { islnk: true, lnk_target: p('st'), lnk_source: p('st') });
  t.notOk((r.data?.stat as Record<string, unknown> | undefined)?.checksum);
  r = await run('slurp', { src: p('st') });
  t.equal(Buffer.from(String(r.data?.content), 'base64').toString(), 'abc');
  r = await run('slurp', { src: root });
  t.match(r, { failed: true, msg: /directory/ });
});

t.test('fetch: dest/HOST/path, then unchanged', async (t) => {
  writeFileSync(p('remote.txt'), 'data');
  const a = { src: p('remote.txt'), dest: p('fetched'), flat: false, fail_on_missing: true, validate_checksum: true };
  let r = await run('fetch', a);
  const local = join(p('fetched'), 'local', p('remote.txt'));
  t.equal(r.changed, true, String(r.msg));
  t.equal(readFileSync(local, 'utf8'), 'data');
  r = await run('fetch', a);
  t.equal(r.changed, false, 'same content: not fetched again');
  r = await run('fetch', { ...a, src: p('missing') });
  t.match(r, { failed: true, msg: 'the remote file does not exist' });
  r = await run('fetch', { ...a, src: p('missing'), fail_on_missing: false });
  t.match(r, { failed: undefined, changed: false });
});

t.test('get_url with a file:// URL', async (t) => {
  writeFileSync(p('dl.src'), 'payload');
  const sum = 'sha256:239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5';
  const a = { url: `file://${p('dl.src')}`, dest: p('dl.out'), checksum: '', force: false, timeout: 10, validate_certs: true, mode: '0600' };
  let r = await run('get_url', a);
  t.equal(r.changed, true, `${r.msg} ${JSON.stringify(r.data)}`);
  t.equal(readFileSync(p('dl.out'), 'utf8'), 'payload');
  t.equal(mode(p('dl.out')), 0o600);
  r = await run('get_url', a);
  t.equal(r.changed, false, 'exists and force is false');
  r = await run('get_url', { ...a, checksum: sum });
  t.equal(r.changed, false, String(r.msg));
  r = await run('get_url', { ...a, force: true });
  t.equal(r.changed, false, 'downloaded again, same bytes: unchanged');
  writeFileSync(p('dl.src'), 'payload2');
  r = await run('get_url', { ...a, checksum: sum, force: true });
  t.match(r, { failed: true, msg: /did not match/ });
  t.equal(readFileSync(p('dl.out'), 'utf8'), 'payload', 'a bad download does not replace dest');
  r = await run('get_url', { ...a, force: true });
  t.equal(r.changed, true);
  t.equal(readFileSync(p('dl.out'), 'utf8'), 'payload2');
});

t.test('unarchive: upload, extract, idempotent, creates, attributes', async (t) => {
  mkdirSync(p('arc/src/sub'), { recursive: true });
  writeFileSync(p('arc/src/sub/a.txt'), 'A');
  execFileSync('tar', ['-czf', p('arc/app.tar.gz'), '-C', p('arc/src'), '.']);
  mkdirSync(p('arc/out'));
  const a = { src: 'app.tar.gz', dest: p('arc/out'), remote_src: false, extra_opts: [], exclude: [], list_files: true };
  const files = { 'app.tar.gz': readFileSync(p('arc/app.tar.gz')) };
  let r = await run('unarchive', a, { files });
  t.equal(r.changed, true, `${r.msg} ${JSON.stringify(r.data)}`);
  t.equal(readFileSync(p('arc/out/sub/a.txt'), 'utf8'), 'A');
  t.match(r.data?.files, ['./', './sub/', './sub/a.txt']);
  const tmpdirs = r.ctx.execs.filter((s) => s.text.startsWith('rm -rf '));
  t.equal(tmpdirs.length, 1, 'the upload dir is removed');
  r = await run('unarchive', a, { files });
  t.equal(r.changed, false, `second run: ${r.msg}`);
  writeFileSync(p('arc/out/sub/a.txt'), 'changed');
  r = await run('unarchive', { ...a, src: p('arc/app.tar.gz'), remote_src: true });
  t.equal(r.changed, true, 'a changed member is restored');
  t.equal(readFileSync(p('arc/out/sub/a.txt'), 'utf8'), 'A');
  r = await run('unarchive', { ...a, creates: p('arc/out/sub') }, { files });
  t.match(r, { changed: false, msg: `skipped, since ${p('arc/out/sub')} exists` });
  r = await run('unarchive', { ...a, src: p('arc/app.tar.gz'), remote_src: true, mode: 'o-rwx' });
  t.equal(r.changed, true, 'attributes only');
  t.equal(mode(p('arc/out/sub/a.txt')) & 0o007, 0);
  r = await run('unarchive', { ...a, src: p('arc/app.tar.gz'), remote_src: true, mode: 'o-rwx' });
  t.equal(r.changed, false);
  mkdirSync(p('arc/strip'));
  r = await run('unarchive', { ...a, dest: p('arc/strip'), src: p('arc/app.tar.gz'), remote_src: true, extra_opts: ['--strip-components=1'] });
  t.equal(r.changed, true);
  t.equal(readFileSync(p('arc/strip/sub/a.txt'), 'utf8'), 'A');
  r = await run('unarchive', { ...a, dest: p('arc/strip'), src: p('arc/app.tar.gz'), remote_src: true, extra_opts: ['--strip-components=1'] });
  t.equal(r.changed, false, `strip-components is idempotent too: ${JSON.stringify(r.data)}`);
  r = await run('unarchive', { ...a, dest: p('arc/none') }, { files });
  t.match(r, { failed: true, msg: `dest '${p('arc/none')}' must be an existing dir` });
});

/**
 * file, copy, template, lineinfile, blockinfile, replace, stat and slurp run for real on a temp dir through a
 * local ModuleContext (with dash when it is installed), and a second run changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { mode, run, scratch } from './local-run.js';

const p = scratch(t);

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
  r = await run('slurp', { src: p() });
  t.match(r, { failed: true, msg: /directory/ });
});

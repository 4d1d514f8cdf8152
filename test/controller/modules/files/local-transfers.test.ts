/**
 * fetch, get_url (file://) and unarchive run for real on a temp dir through a local ModuleContext (with dash
 * when it is installed), and a second run changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { mode, run, scratch } from './local-run.js';

const p = scratch(t);

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

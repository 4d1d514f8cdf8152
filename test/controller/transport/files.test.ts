import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { getFile, getScript, putFile, putScript } from '../../../controller/transport/files.js';
import { LocalTransport } from '../../../controller/transport/local.js';

const local = new LocalTransport('localhost');
const dir = () => mkdtempSync(join(tmpdir(), 'muster-files-'));
const mode = (p: string) => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0');
const isRoot = process.getuid?.() === 0;

t.test('putFile writes a new file with the mode asked, and leaves no temp file', async (t) => {
  const d = dir();
  const dest = join(d, 'app.conf');
  await putFile(local, 'key = "value"\n', dest, { mode: '0640' });
  t.equal(readFileSync(dest, 'utf8'), 'key = "value"\n');
  t.equal(mode(dest), '0640');
  t.same(readdirSync(d), ['app.conf']);
});

t.test('putFile without a mode: the umask for a new file, the old mode for an existing one', async (t) => {
  const d = dir();
  await putFile(local, 'x', join(d, 'new'));
  t.equal(mode(join(d, 'new')), (0o666 & ~process.umask()).toString(8).padStart(4, '0'));
  writeFileSync(join(d, 'old'), 'before');
  chmodSync(join(d, 'old'), 0o600);
  await putFile(local, 'after', join(d, 'old'));
  t.equal(readFileSync(join(d, 'old'), 'utf8'), 'after');
  t.equal(mode(join(d, 'old')), '0600');
  await putFile(local, 'again', join(d, 'old'), { mode: 'u=rw,g=r' });
  t.equal(mode(join(d, 'old')), '0640', 'symbolic modes work too');
});

t.test('putFile replaces the file atomically: a new inode renamed over the old one', async (t) => {
  const d = dir();
  const dest = join(d, 'f');
  writeFileSync(dest, 'old');
  const before = statSync(dest).ino;
  await putFile(local, 'new', dest);
  t.not(statSync(dest).ino, before);
  t.equal(readFileSync(dest, 'utf8'), 'new');
});

t.test('putFile replaces a symlink rather than writing through it', async (t) => {
  const d = dir();
  writeFileSync(join(d, 'target'), 'target');
  symlinkSync(join(d, 'target'), join(d, 'link'));
  await putFile(local, 'mine', join(d, 'link'));
  t.equal(readFileSync(join(d, 'target'), 'utf8'), 'target');
  t.equal(readFileSync(join(d, 'link'), 'utf8'), 'mine');
});

t.test('binary content round-trips through putFile and getFile', async (t) => {
  const d = dir();
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await putFile(local, all, join(d, 'bytes'));
  t.same(readFileSync(join(d, 'bytes')), all);
  t.same(await getFile(local, join(d, 'bytes')), all);
  const big = randomBytes(3 << 20);
  await putFile(local, big, join(d, 'big'));
  t.ok((await getFile(local, join(d, 'big'))).equals(big), '3 MB of random bytes');
  await putFile(local, '', join(d, 'empty'));
  t.same(await getFile(local, join(d, 'empty')), Buffer.alloc(0), 'empty file');
});

t.test('odd file names are quoted', async (t) => {
  const d = dir();
  const name = join(d, `it's a "$file" \`x\``);
  await putFile(local, 'ok', name);
  t.equal(readFileSync(name, 'utf8'), 'ok');
  t.equal((await getFile(local, name)).toString(), 'ok');
});

t.test('owner and group', { skip: !isRoot && 'needs root to chown' }, async (t) => {
  const d = dir();
  await putFile(local, 'x', join(d, 'a'), { owner: 'nobody' });
  t.equal(statSync(join(d, 'a')).uid, 65534);
  await putFile(local, 'x', join(d, 'b'), { owner: 'nobody', group: '0' });
  t.match(statSync(join(d, 'b')), { uid: 65534, gid: 0 });
  await putFile(local, 'x', join(d, 'c'), { group: '65534' });
  t.match(statSync(join(d, 'c')), { uid: 0, gid: 65534 });
  await putFile(local, 'y', join(d, 'a'));
  t.equal(statSync(join(d, 'a')).uid, 65534, 'an existing owner is kept when none is asked');
  await t.rejects(putFile(local, 'x', join(d, 'e'), { owner: 'no-such-user-here' }), { code: 'E_FILE', hint: /owner and group/ });
  t.same(readdirSync(d).sort(), ['a', 'b', 'c'], 'the failed write left nothing behind');
});

t.test('putFile failures are E_FILE errors with a hint, and leave the old file alone', async (t) => {
  const d = dir();
  writeFileSync(join(d, 'keep'), 'original');
  mkdirSync(join(d, 'sub'));
  const cases: [string, Parameters<typeof putFile>[3], RegExp, RegExp][] = [
    [join(d, 'missing', 'f'), {}, /^cannot write .*missing\/f: /, /create the directory .*missing first/],
    [join(d, 'sub'), {}, /is a directory$/, /not a directory/],
    [join(d, 'keep'), { mode: 'bogus' }, /^cannot write .*keep: /, /./],
  ];
  for (const [dest, opts, message, hint] of cases) {
    await t.rejects(putFile(local, 'new', dest, opts), { code: 'E_FILE', host: 'localhost', message, hint }, dest);
  }
  t.equal(readFileSync(join(d, 'keep'), 'utf8'), 'original');
  t.same(readdirSync(d).sort(), ['keep', 'sub'], 'no temp file left');
});

t.test('getFile failures are E_FILE errors', async (t) => {
  const d = dir();
  await t.rejects(getFile(local, join(d, 'nope')), { code: 'E_FILE', message: /^cannot read .*nope: no such file$/, hint: /does not exist/ });
  await t.rejects(getFile(local, d), { code: 'E_FILE', message: /is a directory$/ });
});

t.test('the scripts name the file once, quoted, and need nothing but POSIX sh and coreutils', async (t) => {
  const put = putScript("/etc/it's", { mode: '0644', owner: 'root', group: 'adm' }, 'abc');
  t.match(put.text, /^dest='\/etc\/it'\\''s' tmp='\/etc\/\.it'\\''s\.muster-abc\.tmp'\n/);
  t.match(put.text, /chmod 0644 "\$tmp"/);
  t.match(put.text, /chown root:adm "\$tmp"/);
  t.notMatch(put.text, /chgrp/);
  const longName = putScript(`/d/${'x'.repeat(300)}`, {}, 'n');
  const tmp = longName.text.match(/ tmp=(\S+)/)![1];
  t.ok(tmp.length < 130, 'a long name is shortened for the temp file');
  t.match(getScript('/var/log/x').text, /base64 < "\$p"/);
});

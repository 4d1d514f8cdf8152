import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { appendKnownHost, loadKnownHosts } from '../../../controller/transport/known-hosts-file.js';
import { blob, line } from './keys.js';

const dir = () => mkdtempSync(join(tmpdir(), 'muster-kh-'));

t.test('loadKnownHosts reads every file that exists and skips missing ones', async (t) => {
  const d = dir();
  writeFileSync(join(d, 'a'), `${line('one', blob('ssh-ed25519'))}\n`);
  writeFileSync(join(d, 'b'), `# nothing\n${line('two', blob('ssh-rsa'))}\n`);
  const entries = await loadKnownHosts([join(d, 'a'), join(d, 'missing'), join(d, 'b')]);
  t.same(
    entries.map((e) => [e.file, e.line, e.hosts]),
    [
      [join(d, 'a'), 1, 'one'],
      [join(d, 'b'), 2, 'two'],
    ],
  );
});

t.test('an unreadable known_hosts file is an E_FILE error, not silence', { skip: process.getuid?.() === 0 && 'root reads anything' }, async (t) => {
  const d = dir();
  writeFileSync(join(d, 'a'), 'x');
  chmodSync(join(d, 'a'), 0);
  await t.rejects(loadKnownHosts([join(d, 'a')]), { code: 'E_FILE' });
});

t.test('a directory where a known_hosts file should be is an E_FILE error', async (t) => {
  await t.rejects(loadKnownHosts([dir()]), { code: 'E_FILE', message: /cannot read known_hosts file/ });
});

t.test('appendKnownHost creates the directory and the file, then appends', async (t) => {
  const file = join(dir(), 'deep', 'er', 'known_hosts');
  await appendKnownHost(file, 'a ssh-ed25519 AAAA');
  await appendKnownHost(file, 'b ssh-ed25519 BBBB');
  t.equal(readFileSync(file, 'utf8'), 'a ssh-ed25519 AAAA\nb ssh-ed25519 BBBB\n');
  t.equal(statSync(file).mode & 0o777, 0o644);
  t.same(readdirSync(join(file, '..')), ['known_hosts'], 'no temp file left behind');
});

t.test('appendKnownHost records a line only once', async (t) => {
  const file = join(dir(), 'known_hosts');
  await Promise.all([appendKnownHost(file, 'a k A'), appendKnownHost(file, 'a k A')]);
  await appendKnownHost(file, 'a k A');
  t.equal(readFileSync(file, 'utf8'), 'a k A\n');
});

t.test('appendKnownHost keeps a file that lacked its last newline intact', async (t) => {
  const file = join(dir(), 'known_hosts');
  writeFileSync(file, '# mine\nx ssh-rsa XXXX');
  await appendKnownHost(file, 'y ssh-rsa YYYY');
  t.equal(readFileSync(file, 'utf8'), '# mine\nx ssh-rsa XXXX\ny ssh-rsa YYYY\n');
});

t.test('concurrent appends to one file all land', async (t) => {
  const file = join(dir(), 'known_hosts');
  await Promise.all(Array.from({ length: 12 }, (_, i) => appendKnownHost(file, `h${i} ssh-ed25519 K${i}`)));
  const lines = readFileSync(file, 'utf8').trim().split('\n').sort();
  t.same(lines, Array.from({ length: 12 }, (_, i) => `h${i} ssh-ed25519 K${i}`).sort());
});

t.test('a failed append is an E_FILE error and leaves no temp file', async (t) => {
  const d = dir();
  const file = join(d, 'known_hosts');
  await appendKnownHost(file, 'a k A');
  // A directory in place of the file: the rename cannot replace it.
  const blocked = join(d, 'blocked');
  await appendKnownHost(join(blocked, 'x'), 'seed k S');
  await t.rejects(appendKnownHost(blocked, 'b k B'), { code: 'E_FILE', message: /cannot record the host key/ });
  t.same(readdirSync(d).sort(), ['blocked', 'known_hosts']);
});

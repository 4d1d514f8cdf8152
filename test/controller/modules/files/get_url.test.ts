import t from 'tap';
import { downloadOutcome, get_url, getUrlProbe, parseChecksum, parseGetUrl, planGetUrl, urlFileName } from '../../../../controller/modules/files/get_url.js';
import type { Args } from '../../../../controller/modules/types.js';
import { out, st, summary } from './helpers.js';

const HEX = 'ab'.repeat(32);
const base = { url: 'https://example.org/k3s?x=1', dest: '/usr/local/bin/k3s', checksum: '', force: false, timeout: 10, validate_certs: true };

t.test('parseChecksum', async (t) => {
  t.same(parseChecksum(`sha256:${HEX.toUpperCase()}`), { algo: 'sha256', hex: HEX });
  t.equal(parseChecksum(''), undefined);
  t.equal(parseChecksum('sha256'), 'checksum must be ALGORITHM:HEX, e.g. sha256:3b0c...; got "sha256"');
  t.match(parseChecksum('crc32:abcd'), /unsupported checksum algorithm crc32/);
  t.equal(get_url.validate?.({ url: 'u', dest: 'd', checksum: 'nope' }), 'checksum must be ALGORITHM:HEX, e.g. sha256:3b0c...; got "nope"');
  t.equal(get_url.validate?.({ url: 'u', dest: 'd', checksum: '{{ sum }}' }), undefined);
});

t.test('urlFileName', async (t) => {
  t.equal(urlFileName('https://h/a/b/k3s-arm64?x=1#f'), 'k3s-arm64');
  t.equal(urlFileName('https://h/'), 'index.html');
  t.equal(urlFileName('file:///tmp/my%20file'), 'my file');
});

t.test('get_url: plans', async (t) => {
  const file = [`path /usr/local/bin/k3s`, `stat ${st('file', 0o755)}`];
  const cases: [name: string, args: Args, probe: string[], want: RegExp | string | string[]][] = [
    ['exists, no checksum, no force: noop', {}, file, 'noop: file already exists (force is false)'],
    ['exists, checksum matches: noop', { checksum: `sha256:${HEX}` }, [...file, `digest ${HEX}`], 'noop: file already exists and its checksum matches'],
    [
      'exists, checksum matches, mode differs: chmod',
      { checksum: `sha256:${HEX}`, mode: '0700' },
      [...file, `digest ${HEX}`],
      ['chmod 0700 /usr/local/bin/k3s'],
    ],
    ['exists, checksum differs: download', { checksum: `sha256:${HEX}` }, [...file, 'digest 00'], /curl -fsSL/],
    ['force: download', { force: true }, file, /curl -fsSL/],
    ['missing: download', {}, ['path /usr/local/bin/k3s', 'stat -'], /curl -fsSL/],
    ['dest is a directory here: fail', {}, ['path /usr/local/bin/k3s', `stat ${st('directory', 0o755)}`], 'fail: /usr/local/bin/k3s is a directory'],
    ['bad checksum: fail', { checksum: 'md5' }, file, 'fail: checksum must be ALGORITHM:HEX, e.g. sha256:3b0c...; got "md5"'],
  ];
  for (const [name, args, probe, want] of cases) {
    const a = { ...base, ...args };
    const s = summary(planGetUrl(a, parseGetUrl(out(probe), a)));
    if (want instanceof RegExp) t.match(s[0], want, name);
    else t.same(s, want, name);
  }
});

t.test('get_url: the download script', async (t) => {
  const a = { ...base, checksum: `sha256:${HEX}`, mode: '0755', owner: 'root', validate_certs: false, headers: { Authorization: 'Bearer x' } };
  const plan = planGetUrl(a, parseGetUrl(out(['path /usr/local/bin/k3s', 'stat -']), a));
  const text = (summary(plan) as string[])[0];
  t.match(
    text,
    "curl -fsSL -k --connect-timeout 10 --speed-time 10 --speed-limit 1 -H 'Authorization: Bearer x' -o \"$t\" 'https://example.org/k3s?x=1' || exit 1",
  );
  t.match(text, 'wget -q --no-check-certificate -T 10 \'--header=Authorization: Bearer x\' -O "$t"');
  t.match(text, 'busybox wget');
  t.match(text, `got=$(sha256sum < "$t" | cut -d' ' -f1); if [ "$got" != ${HEX} ]`);
  t.match(text, 'chmod 0755 "$t"');
  t.match(text, 'chown root "$t"');
  t.match(text, 't=$(mktemp /usr/local/bin/.muster.XXXXXX) || exit 1\nd=/usr/local/bin/k3s');
  t.match(plan, { kind: 'change', data: { url: 'https://example.org/k3s?x=1', dest: '/usr/local/bin/k3s', mode: '0755', owner: 'root' } });
  t.match(getUrlProbe({ ...base, dest: '/opt/' }).text, 'if [ -d /opt/ ]; then p=/opt/k3s; else p=/opt/; fi');
});

t.test('get_url: reading the outcome', async (t) => {
  t.same(downloadOutcome('changed 1234\n'), { changed: true, size: 1234, msg: 'OK (1234 bytes)' });
  t.same(downloadOutcome('unchanged\n'), { changed: false, msg: 'file already up to date' });
  t.match(downloadOutcome('attributes\n'), { changed: true });
});

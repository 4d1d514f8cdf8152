import t from 'tap';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { deb822Repository, keyScript, parseKeyScript, parseRepo, planRepo, probeRepo, type RepoState } from '../../../../controller/modules/system/deb822.js';
import { renderSources } from '../../../../controller/modules/system/deb822-format.js';
import { argsFor, dash, fakeContext, framed, outcome } from './fake.js';

const base = { name: 'docker', uris: ['https://download.docker.com/linux/debian'], suites: ['bookworm'], components: ['stable'] };
const args = (over: Record<string, unknown> = {}) => argsFor(deb822Repository, { ...base, ...over });
const current = renderSources(args(), undefined);
const DEST = '/etc/apt/sources.list.d/docker.sources';
const WRITE = `set -e; f=${DEST}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"\nchmod 0644 ${DEST}`;
const st = (over: Partial<RepoState> = {}): RepoState => ({ content: current, mode: '644', keys: [], ...over });

const table: [string, Record<string, unknown>, RepoState, { changed: boolean }, string | string[]][] = [
  ['same content -> noop', {}, st(), { changed: false }, `noop: ${DEST} is up to date`],
  ['missing -> write', {}, st({ content: undefined, mode: undefined }), { changed: false }, [WRITE]],
  ['different content -> write', { suites: ['trixie'] }, st(), { changed: false }, [WRITE]],
  ['wrong mode -> write', {}, st({ mode: '600' }), { changed: false }, [WRITE]],
  ['only the key changed -> change, nothing to write', {}, st(), { changed: true }, []],
  [
    'absent removes file and keys',
    { state: 'absent' },
    st({ keys: ['/etc/apt/keyrings/docker.asc'] }),
    { changed: false },
    [`rm -f ${DEST} /etc/apt/keyrings/docker.asc`],
  ],
  ['absent when absent', { state: 'absent' }, st({ content: undefined }), { changed: false }, `noop: ${DEST} is absent`],
  ['symbolic mode', { mode: 'u=rw,g=r,o=r' }, st(), { changed: false }, 'fail: mode must be octal, like 0644 (got u=rw,g=r,o=r)'],
  ['present without uris', { uris: [] }, st(), { changed: false }, 'fail: uris must be given for state=present (apt cannot use a source without them)'],
];

for (const [title, given, s, key, want] of table) {
  t.test(title, async (t) => t.same(outcome(planRepo(args(given), s, key)), want));
}

t.test('the write carries the text, a diff, and Ansible return values', async (t) => {
  const p = planRepo(args(), st({ content: undefined }), { value: '/etc/apt/keyrings/docker.asc', file: '/etc/apt/keyrings/docker.asc', changed: false });
  if (p.kind !== 'change') return t.fail('expected change');
  const step = p.steps[0];
  t.match('exec' in step && step.stdin, /Signed-By: \/etc\/apt\/keyrings\/docker.asc\n/);
  t.match(p.data, { dest: DEST, key_filename: '/etc/apt/keyrings/docker.asc' });
  t.equal(p.diff?.[0].before, '');
});

t.test('parseRepo and parseKeyScript', async (t) => {
  t.same(parseRepo(framed({ content: 'X: y\n', mode: '644\n', keys: '/etc/apt/keyrings/docker.gpg\n' })), {
    content: 'X: y\n',
    mode: '644',
    keys: ['/etc/apt/keyrings/docker.gpg'],
  });
  t.same(parseRepo(framed({ content: ['', 1], mode: '', keys: '' })), { content: undefined, mode: undefined, keys: [] });
  t.same(parseKeyScript('key=/etc/apt/keyrings/d.asc\ndiffers\n'), { nofetch: false, file: '/etc/apt/keyrings/d.asc', changed: true });
  t.same(parseKeyScript('key=/etc/apt/keyrings/d.gpg\nsame\n'), { nofetch: false, file: '/etc/apt/keyrings/d.gpg', changed: false });
  t.same(parseKeyScript('@@muster:nofetch\n'), { nofetch: true });
});

t.test('probe and key script run for real (check mode: nothing is installed)', async (t) => {
  const probe = parseRepo(dash(probeRepo('muster-test-never-installed')).stdout);
  t.same(probe, { content: undefined, mode: undefined, keys: [] });
  const armored = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nxyz\n-----END PGP PUBLIC KEY BLOCK-----\n';
  const viaStdin = dash(keyScript('muster-test-never-installed', 'stdin', true), { stdin: armored });
  t.equal(viaStdin.rc, 0, viaStdin.stderr);
  t.same(parseKeyScript(viaStdin.stdout), { nofetch: false, file: '/etc/apt/keyrings/muster-test-never-installed.asc', changed: true });
  const binary = dash(keyScript('muster-test-never-installed', 'stdin', true), { stdin: Buffer.from([0x99, 0x01, 0x0d]) });
  t.match(parseKeyScript(binary.stdout), { file: '/etc/apt/keyrings/muster-test-never-installed.gpg' });
  if (spawnSync('curl', ['--version']).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'muster-key-'));
    writeFileSync(join(dir, 'k.asc'), armored);
    const viaCurl = dash(keyScript('muster-test-never-installed', { url: `file://${join(dir, 'k.asc')}` }, true));
    t.match(parseKeyScript(viaCurl.stdout), { changed: true, file: '/etc/apt/keyrings/muster-test-never-installed.asc' }, 'curl downloads');
    const missing = dash(keyScript('muster-test-never-installed', { url: `file://${join(dir, 'nope')}` }, true));
    t.not(missing.rc, 0, 'a failed download fails the script');
  }
});

t.test('a host without curl/wget gets the key through the controller', async (t) => {
  const served = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nabc\n-----END PGP PUBLIC KEY BLOCK-----\n';
  const server = createServer((_req, res) => res.end(served));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/gpg`;
  const ctx = fakeContext({
    answers: [
      { stdout: '@@muster:nofetch\n' },
      { stdout: 'key=/etc/apt/keyrings/docker.asc\ndiffers\n' },
      { stdout: framed({ content: ['', 1], mode: '', keys: '' }) },
      { rc: 0 },
    ],
  });
  const r = await deb822Repository.run(args({ signed_by: url }), ctx);
  t.equal(r.changed, true);
  t.equal(String(ctx.stdins[1]), served, 'the downloaded key went over stdin');
  t.match(String(ctx.stdins[3]), /Signed-By: \/etc\/apt\/keyrings\/docker.asc/);
  t.same(r.data?.key_filename, '/etc/apt/keyrings/docker.asc');
});

t.test('a key that changed alone still makes the task changed', async (t) => {
  const content = renderSources(args({ signed_by: 'https://x/gpg' }), '/etc/apt/keyrings/docker.asc');
  const ctx = fakeContext({ answers: [{ stdout: 'key=/etc/apt/keyrings/docker.asc\ndiffers\n' }, { stdout: framed({ content, mode: '644\n', keys: '' }) }] });
  const r = await deb822Repository.run(args({ signed_by: 'https://x/gpg' }), ctx);
  t.equal(r.changed, true);
  t.equal(ctx.scripts.length, 2);
});

t.test('a path or key text is written as given', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: framed({ content: ['', 1], mode: '', keys: '' }) }, { rc: 0 }] });
  const r = await deb822Repository.run(args({ signed_by: '/usr/share/keyrings/docker.gpg' }), ctx);
  t.equal(r.changed, true);
  t.match(String(ctx.stdins[1]), /Signed-By: \/usr\/share\/keyrings\/docker.gpg\n/);
});

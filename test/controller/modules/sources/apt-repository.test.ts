import t from 'tap';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aptRepository,
  parseRepoList,
  planRepoList,
  probeRepoList,
  updateScript,
  type RepoListState,
} from '../../../../controller/modules/sources/apt-repository.js';
import { addSource, listPath, parseLine, removeSource, suggestedName } from '../../../../controller/modules/sources/apt-lines.js';
import { argsFor, dash, fakeContext, framed, outcome } from '../system/fake.js';

const D = '/etc/apt/sources.list.d';
const LINE = 'deb http://repo.example.org/debian trixie main';
const FILE = `${D}/repo_example_org_debian.list`;
const write = (f: string, mode?: string) =>
  `set -e; f=${f}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"${mode ? `; chmod ${mode} "$t"` : ''}; fi\ncat > "$t"; mv -f "$t" "$f"`;
const st = (files: Record<string, string>, more: Partial<RepoListState> = {}): RepoListState => ({
  osId: 'debian',
  codename: 'trixie',
  files: new Map(Object.entries(files)),
  modes: new Map(Object.keys(files).map((f) => [f, '644'])),
  keys: [],
  missing: [],
  ...more,
});

t.test('the file name Ansible derives from the URL', async (t) => {
  t.equal(suggestedName('deb [arch=amd64] https://user:pw@dl.google.com/linux/chrome/deb/ stable main'), 'dl_google_com_linux_chrome_deb.list');
  t.equal(suggestedName(LINE), 'repo_example_org_debian.list');
  t.equal(listPath(LINE, 'google-chrome'), `${D}/google-chrome.list`);
  t.equal(listPath(LINE, 'x.list'), `${D}/x.list`);
  t.equal(listPath(LINE, '/etc/apt/sources.list'), '/etc/apt/sources.list');
});

t.test('lines: comments, disabled sources, spacing', async (t) => {
  t.same(parseLine('# deb  http://a/b  s  main # mine'), { source: 'deb http://a/b s main', enabled: false, comment: 'mine' });
  t.same(parseLine('deb [ arch=amd64 ] http://a/b s main'), { source: 'deb [arch=amd64] http://a/b s main', enabled: true, comment: '' });
  t.same(parseLine('# just a comment').source, undefined);
  t.same(parseLine('deb http://a/b').source, undefined, 'a suite is needed');
});

t.test('add and remove edits', async (t) => {
  const files = new Map([['/etc/apt/sources.list', `# ${LINE}\n`]]);
  t.same(addSource(files, LINE, FILE), [{ path: '/etc/apt/sources.list', before: `# ${LINE}\n`, after: `${LINE}\n` }], 'a disabled copy is enabled in place');
  t.same(removeSource(files, LINE), [], 'a disabled copy is not removed');
  const two = new Map([[FILE, `${LINE}\ndeb http://other/x s main\n`]]);
  t.same(removeSource(two, LINE), [{ path: FILE, before: two.get(FILE), after: 'deb http://other/x s main\n' }]);
  t.same(removeSource(new Map([[FILE, `${LINE}\n`]]), LINE), [{ path: FILE, before: `${LINE}\n`, after: undefined }], 'an emptied file goes');
});

const table: [string, Record<string, unknown>, RepoListState, string | string[]][] = [
  ['new source -> new file', { repo: LINE }, st({}), [write(FILE, '0644')]],
  ['present in sources.list -> noop', { repo: LINE }, st({ '/etc/apt/sources.list': `${LINE}\n` }), `noop: ${LINE} is already in /etc/apt/sources.list`],
  [
    'spacing differs -> noop',
    { repo: `deb  http://repo.example.org/debian   trixie main` },
    st({ [FILE]: `${LINE}\n` }),
    `noop: ${LINE} is already in ${FILE}`,
  ],
  ['filename and mode', { repo: LINE, filename: 'mine', mode: '0600' }, st({}), [`${write(`${D}/mine.list`, '0600')}\nchmod 0600 ${D}/mine.list`]],
  ['mode drift on the file', { repo: LINE, mode: '0600' }, st({ [FILE]: `${LINE}\n` }), [`chmod 0600 ${FILE}`]],
  ['appended to a file with another mode', { repo: LINE, mode: '0600' }, st({ [FILE]: 'deb http://x/y s main\n' }), [write(FILE), `chmod 0600 ${FILE}`]],
  ['absent, present', { repo: LINE, state: 'absent' }, st({ [FILE]: `${LINE}\n` }), [`rm -f ${FILE}`]],
  ['absent, not there', { repo: LINE, state: 'absent' }, st({ [FILE]: `# ${LINE}\n` }), `noop: ${LINE} is in no .list file`],
  [
    'ppa on Debian',
    { repo: 'ppa:deadsnakes/ppa' },
    st({}),
    'fail: ppa:deadsnakes/ppa: PPAs are built for Ubuntu only and this host is debian; give the repository as a "deb URL suite components" line instead',
  ],
  [
    'not a source',
    { repo: 'http://x/ trixie' },
    st({}),
    'fail: repo must be a one-line source like "deb [signed-by=/path] http://host/debian suite main" or ppa:owner/name (got "http://x/ trixie")',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planRepoList(argsFor(aptRepository, given), s)), want));
}

t.test('a ppa on Ubuntu: the key, then the line', async (t) => {
  const p = planRepoList(argsFor(aptRepository, { repo: 'ppa:deadsnakes/ppa' }), st({}, { osId: 'ubuntu', codename: 'noble' }));
  if (p.kind !== 'change') return t.fail('expected a change');
  const out = outcome(p) as string[];
  t.match(out[0], /launchpad\.net\/api\/1\.0\/~deadsnakes\/\+archive\/ppa/);
  t.match(out[0], /\/etc\/apt\/trusted\.gpg\.d\/deadsnakes-ubuntu-ppa\.gpg/);
  t.equal(out[1], write(`${D}/ppa_deadsnakes_ppa_noble.list`, '0644'));
  t.equal(p.diff?.[0].after, 'deb https://ppa.launchpadcontent.net/deadsnakes/ppa/ubuntu noble main\n');
  t.notMatch(out[0], / -k /, 'certificates checked by default');
  const insecure = planRepoList(argsFor(aptRepository, { repo: 'ppa:deadsnakes/ppa', validate_certs: false }), st({}, { osId: 'ubuntu', codename: 'noble' }));
  t.match((outcome(insecure) as string[])[0], /curl -fsSL -k/);
});

t.test('the update script retries with a capped back-off', async (t) => {
  t.match(updateScript(2, 4).text, /\[ "\$i" -le 2 \]/);
  t.match(updateScript(2, 4).text, /\[ "\$d" -le 4 \] \|\| d=4/);
});

t.test('probe and parse on real files with dash', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-aptrepo-'));
  const outside = join(dir, 'own.list');
  writeFileSync(outside, `${LINE}\n`);
  const out = dash(probeRepoList({ repo: LINE, filename: outside })).stdout;
  const s = parseRepoList(out);
  t.equal(s.files.get(outside), `${LINE}\n`);
  t.match(s.modes.get(outside), /^6[0-7][0-7]$/, 'its mode as stat prints it');
  t.ok(s.osId, 'reads /etc/os-release');
  const parsed = parseRepoList(
    framed({ os: 'id=debian\ncodename=trixie\n', tools: '', keys: '', 'file:/etc/apt/sources.list': 'deb x y z\n', 'mode:/etc/apt/sources.list': '644\n' }),
  );
  t.same([...parsed.files], [['/etc/apt/sources.list', 'deb x y z\n']]);
  t.same([...parsed.modes], [['/etc/apt/sources.list', '644']]);
});

t.test('for real with dash: write, again is a noop, absent removes; a failed update puts the file back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-aptrepo-'));
  const file = join(dir, 'test.list');
  const base = { repo: LINE, filename: file, update_cache: false };
  const r = await aptRepository.run(argsFor(aptRepository, base), fakeContext({ local: { cwd: dir } }));
  t.equal(r.changed, true, r.msg ?? '');
  t.equal(readFileSync(file, 'utf8'), `${LINE}\n`);
  const again = await aptRepository.run(argsFor(aptRepository, base), fakeContext({ local: { cwd: dir } }));
  t.equal(again.changed, false);
  t.match(again.msg, `is already in ${file}`);
  const check = await aptRepository.run(argsFor(aptRepository, { ...base, state: 'absent' }), fakeContext({ check: true, local: { cwd: dir } }));
  t.equal(check.changed, true);
  t.ok(existsSync(file), 'check mode leaves the file');
  const gone = await aptRepository.run(argsFor(aptRepository, { ...base, state: 'absent' }), fakeContext({ local: { cwd: dir } }));
  t.equal(gone.changed, true);
  t.notOk(existsSync(file), 'the emptied file is removed');
  // apt-get update fails: a fake apt-get on PATH
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\necho "E: broken repository" >&2\nexit 100\n');
  chmodSync(join(bin, 'apt-get'), 0o755);
  writeFileSync(file, 'deb http://other/x s main\n');
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
  const failed = await aptRepository.run(
    argsFor(aptRepository, { repo: LINE, filename: file, update_cache_retries: 1, update_cache_retry_max_delay: 1 }),
    fakeContext({ local: { cwd: dir, env } }),
  );
  t.equal(failed.failed, true);
  t.match(failed.msg, /Failed to update apt cache.*E: broken repository/s);
  t.equal(readFileSync(file, 'utf8'), 'deb http://other/x s main\n', 'the file is as it was');
});

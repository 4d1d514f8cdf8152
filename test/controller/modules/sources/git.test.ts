import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitEnv, parseGit, planGit, probeGit, type GitState } from '../../../../controller/modules/sources/git.js';
import { headBranch, parseLsRemote, resolveVersion, sameCommit } from '../../../../controller/modules/sources/git-refs.js';
import { argsFor, dash, fakeContext, framed, outcome } from '../system/fake.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const LS = `${A}\tHEAD\n${A}\trefs/heads/main\n${B}\trefs/heads/dev\n${C}\trefs/tags/v1\n${B}\trefs/tags/v1^{}\n`;
const REPO = 'file:///srv/demo.git';
const ENV = `GIT_SSH_COMMAND=ssh; GIT_TERMINAL_PROMPT=0; export GIT_SSH_COMMAND GIT_TERMINAL_PROMPT\n`;

t.test('refs and versions', async (t) => {
  const refs = parseLsRemote(LS);
  t.equal(refs.get('refs/tags/v1'), B, 'an annotated tag is peeled to its commit');
  t.same(resolveVersion('HEAD', refs), { kind: 'head', name: 'HEAD', sha: A });
  t.same(resolveVersion('dev', refs), { kind: 'branch', name: 'dev', sha: B });
  t.same(resolveVersion('v1', refs), { kind: 'tag', name: 'v1', sha: B });
  t.same(resolveVersion('ABCDEF1', refs), { kind: 'sha', name: 'ABCDEF1', sha: 'abcdef1' });
  t.equal(resolveVersion('abcdef', refs), undefined, 'six hex digits are too few for a commit');
  t.equal(resolveVersion('nope', refs), undefined);
  t.ok(sameCommit(A, 'aaaaaaa'));
  t.notOk(sameCommit(A, 'aaaaaa'), 'an id needs 7 digits');
  t.equal(headBranch(refs, undefined), 'main');
  t.equal(
    headBranch(
      new Map([
        ['HEAD', A],
        ['refs/heads/x', A],
        ['refs/heads/main', A],
      ]),
      'main',
    ),
    'main',
    'the current branch first',
  );
});

t.test('ssh options go into GIT_SSH_COMMAND', async (t) => {
  const env = gitEnv(argsFor(git, { repo: REPO, dest: '/d', accept_newhostkey: true, key_file: '/k/id', ssh_opts: '-p 2222', umask: '0022' })).text;
  t.equal(
    env,
    `GIT_SSH_COMMAND='ssh -o StrictHostKeyChecking=accept-new -i /k/id -o IdentitiesOnly=yes -p 2222'; GIT_TERMINAL_PROMPT=0; export GIT_SSH_COMMAND GIT_TERMINAL_PROMPT\numask 0022`,
  );
});

const st = (more: Partial<GitState> = {}): GitState => ({
  missingGit: false,
  repo: true,
  head: A,
  branch: 'main',
  url: REPO,
  mods: [],
  staleSubs: [],
  refs: parseLsRemote(LS),
  ...more,
});
const G = 'git -C /srv/app';
const table: [string, Record<string, unknown>, GitState, string | string[]][] = [
  [
    'fresh clone of HEAD',
    {},
    st({ repo: false, head: undefined }),
    [`${ENV}git clone --origin origin -- ${REPO} /srv/app`, `${ENV}${G} submodule update --init --recursive`],
  ],
  [
    'fresh shallow clone of a branch',
    { version: 'dev', depth: 1, recursive: false },
    st({ repo: false, head: undefined }),
    [`${ENV}git clone --depth 1 --branch dev --origin origin -- ${REPO} /srv/app`],
  ],
  [
    'fresh clone of a tag',
    { version: 'v1', recursive: false },
    st({ repo: false, head: undefined }),
    [`${ENV}git clone --origin origin -- ${REPO} /srv/app`, `${ENV}${G} checkout --force --detach refs/tags/v1`],
  ],
  ['bare clone', { bare: true }, st({ repo: false, head: undefined }), [`${ENV}git clone --bare --origin origin -- ${REPO} /srv/app`]],
  ['clone=no', { clone: false }, st({ repo: false, head: undefined }), 'noop: /srv/app is no repository and clone=no'],
  ['at HEAD -> noop', {}, st(), `noop: /srv/app is at HEAD (${A.slice(0, 12)})`],
  ['update=no', { version: 'dev', update: false }, st(), 'noop: /srv/app exists and update=no'],
  [
    'to a branch',
    { version: 'dev' },
    st(),
    [`${ENV}${G} fetch --tags origin`, `${ENV}${G} checkout --force -B dev origin/dev`, `${ENV}${G} submodule update --init --recursive`],
  ],
  [
    'same commit on another branch -> switch',
    { version: 'dev', recursive: false },
    st({ head: B }),
    [`${ENV}${G} fetch --tags origin`, `${ENV}${G} checkout --force -B dev origin/dev`],
  ],
  ['at the tag -> noop', { version: 'v1' }, st({ head: B, branch: undefined }), `noop: /srv/app is at v1 (${B.slice(0, 12)})`],
  [
    'an unadvertised commit is fetched by id',
    { version: 'deadbeef', recursive: false },
    st(),
    [`${ENV}${G} fetch --tags origin`, `${ENV}${G} fetch origin deadbeef`, `${ENV}${G} checkout --force --detach deadbeef`],
  ],
  ['local modifications', {}, st({ mods: [' M app.txt'] }), 'fail: Local modifications exist in the destination: /srv/app (force=no).'],
  ['local modifications, force', {}, st({ mods: [' M app.txt'] }), [`${ENV}${G} reset --hard HEAD`]],
  ['remote url changed', {}, st({ url: 'file:///old.git' }), [`${ENV}${G} remote set-url origin ${REPO}`]],
  ['stale submodules', {}, st({ staleSubs: [`-${C} lib`] }), [`${ENV}${G} submodule update --init --recursive`]],
  ['unknown version', { version: 'nope' }, st(), `fail: Failed to find version nope in ${REPO}: it is no branch, tag or commit id there`],
  ['unreadable remote', {}, st({ refs: { error: 'fatal: not a repository' } }), `fail: Failed to read the refs of ${REPO}: fatal: not a repository`],
  ['no git', {}, st({ missingGit: true }), 'fail: git not found on the host: install git first (Debian: the git package)'],
  ['archive', { archive: '/tmp/a.zip' }, st(), 'fail: archive: muster does not support it: leave it out'],
];
for (const [title, given, s, want] of table) {
  t.test(title, async (t) => {
    const args = argsFor(git, { repo: REPO, dest: '/srv/app', ...given });
    if (title === 'local modifications, force') args.force = true;
    t.same(outcome(planGit(args, s).plan), want);
  });
}

t.test('parse the probe output', async (t) => {
  const s = parseGit(
    framed({ tools: '', repo: 'yes\n', local: `head=${A}\nbranch=main\nurl=${REPO}\n`, mods: ' M x\n', subs: ` ${A} ok\n+${B} lib\n`, remote: LS }),
  );
  t.same(
    { ...s, refs: undefined },
    { missingGit: false, repo: true, head: A, branch: 'main', url: REPO, mods: [' M x'], staleSubs: [`+${B} lib`], refs: undefined },
  );
  t.same(parseGit(framed({ tools: '', repo: '', local: '', mods: '', subs: '', remote: ['', 128] }), 'fatal: no such repo\n').refs, {
    error: 'fatal: no such repo',
  });
});

const GITENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_CONFIG_NOSYSTEM: '1' };

t.test('for real with dash: clone, noop, a new commit, a tag, local changes, check mode', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-git-'));
  const env = { ...GITENV, HOME: dir };
  const sh = (script: string) => {
    const r = dash(script, { cwd: dir, env });
    if (r.rc !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  sh(
    'git init -q --bare -b main origin.git && git clone -q origin.git work 2>/dev/null && cd work && echo 1 > app.txt && git add app.txt && git commit -qm one && git tag -a v1 -m v1 && git push -q origin main v1',
  );
  const first = sh('git -C work rev-parse HEAD');
  const url = `file://${dir}/origin.git`;
  const dest = join(dir, 'checkout');
  const run = (given: Record<string, unknown> = {}, check = false) =>
    git.run(argsFor(git, { repo: url, dest, ...given }), fakeContext({ check, local: { cwd: dir, env } }));

  const checked = await run({}, true);
  t.equal(checked.changed, true);
  t.equal(checked.data?.after, first, 'check mode names the commit it would check out');
  t.notOk(existsSync(dest), 'and clones nothing');
  const cloned = await run();
  t.equal(cloned.changed, true, cloned.msg ?? '');
  t.same([cloned.data?.before, cloned.data?.after], [null, first]);
  t.equal(readFileSync(join(dest, 'app.txt'), 'utf8'), '1\n');
  const again = await run();
  t.equal(again.changed, false);
  t.same([again.data?.before, again.data?.after], [first, first]);

  sh('cd work && echo 2 > app.txt && git commit -qam two && git push -q origin main');
  const second = sh('git -C work rev-parse HEAD');
  const pulled = await run();
  t.equal(pulled.changed, true);
  t.same([pulled.data?.before, pulled.data?.after], [first, second]);
  t.equal(readFileSync(join(dest, 'app.txt'), 'utf8'), '2\n');

  const tagged = await run({ version: 'v1' });
  t.same([tagged.changed, tagged.data?.after], [true, first], 'the annotated tag checks out its commit');
  t.equal((await run({ version: 'v1' })).changed, false);

  writeFileSync(join(dest, 'app.txt'), 'mine\n');
  const refused = await run({ version: 'main' });
  t.equal(refused.failed, true);
  t.equal(refused.msg, `Local modifications exist in the destination: ${dest} (force=no).`);
  t.equal(readFileSync(join(dest, 'app.txt'), 'utf8'), 'mine\n', 'the change is kept');
  const forced = await run({ version: 'main', force: true });
  t.equal(forced.changed, true);
  t.equal(readFileSync(join(dest, 'app.txt'), 'utf8'), '2\n');
  t.equal(sh(`git -C ${dest} symbolic-ref --short HEAD`), 'main', 'on the branch, not detached');
  t.equal((await run({ version: 'main' })).changed, false);

  const shallow = await run({ dest: join(dir, 'shallow'), depth: 1, version: 'main', bare: true });
  t.equal(shallow.changed, true);
  t.equal(sh(`git -C ${join(dir, 'shallow')} rev-list --count main`), '1', 'depth 1');
  t.equal((await run({ dest: join(dir, 'shallow'), depth: 1, version: 'main', bare: true })).changed, false, 'a bare clone is idempotent');

  const missing = await run({ repo: `file://${dir}/none.git`, dest: join(dir, 'x') });
  t.equal(missing.failed, true);
  t.match(missing.msg, /Failed to read the refs of file:\/\/.*none\.git/);
  const probe = parseGit(dash(probeGit(argsFor(git, { repo: url, dest })), { cwd: dir, env }).stdout);
  t.equal(probe.repo, true);
  t.equal(probe.branch, 'main');
  t.equal(execFileSync('git', ['-C', dest, 'config', '--get', 'remote.origin.url'], { env }).toString().trim(), url);
});

t.test('for real with dash: submodules follow the superproject; a moved one needs force; an uninitialised one is updated', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-git-'));
  // git refuses file:// submodules unless told: the lab's repositories are local
  const env = { ...GITENV, HOME: dir, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'protocol.file.allow', GIT_CONFIG_VALUE_0: 'always' };
  const sh = (script: string) => {
    const r = dash(script, { cwd: dir, env });
    if (r.rc !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  sh(`git init -q --bare -b main lib.git && git clone -q lib.git lib 2>/dev/null && cd lib && echo 1 > lib.txt && git add . && git commit -qm l1 && git push -q origin main
cd ${dir} && git init -q --bare -b main app.git && git clone -q app.git app 2>/dev/null && cd app && git submodule -q add file://${dir}/lib.git lib && git commit -qm a1 && git push -q origin main`);
  const dest = join(dir, 'checkout');
  const run = () => git.run(argsFor(git, { repo: `file://${dir}/app.git`, dest }), fakeContext({ local: { cwd: dir, env } }));
  t.equal((await run()).changed, true);
  t.equal(readFileSync(join(dest, 'lib', 'lib.txt'), 'utf8'), '1\n', 'cloned with its submodule');
  t.equal((await run()).changed, false);
  sh(
    `cd lib && echo 2 > lib.txt && git commit -qam l2 && git push -q origin main && cd ../app && git -C lib pull -q origin main && git commit -qam a2 && git push -q origin main`,
  );
  t.equal((await run()).changed, true);
  t.equal(readFileSync(join(dest, 'lib', 'lib.txt'), 'utf8'), '2\n', 'the submodule moved with the superproject');
  sh(`git -C ${dest}/lib checkout -q HEAD~1`);
  const moved = await run();
  t.equal(moved.failed, true, 'a submodule off its recorded commit is a local modification, as in Ansible');
  const forced = await git.run(argsFor(git, { repo: `file://${dir}/app.git`, dest, force: true }), fakeContext({ local: { cwd: dir, env } }));
  t.equal(forced.changed, true);
  t.equal(forced.msg, 'local modifications reset, submodules updated');
  t.equal(readFileSync(join(dest, 'lib', 'lib.txt'), 'utf8'), '2\n');
  sh(`git -C ${dest} submodule deinit -q -f lib`);
  const stale = await run();
  t.equal(stale.changed, true, 'an uninitialised submodule is a change');
  t.equal(stale.msg, 'submodules updated');
  t.equal(readFileSync(join(dest, 'lib', 'lib.txt'), 'utf8'), '2\n');
  t.equal((await run()).changed, false);
});

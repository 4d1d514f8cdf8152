/**
 * `git`: a checkout of a repository at a version (branch, tag, commit or the remote's HEAD). One probe reads the
 * checkout (HEAD, branch, remote URL, local modifications, submodules) and the remote's refs (`git ls-remote`);
 * a pure plan clones, or fetches and switches; the result carries the commits before and after.
 */
import { sh, join, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult, Plan, Step, Vars } from '../types.js';
import { cmd, keyValues, section, sectionsOf } from '../system/probe.js';
import { headBranch, parseLsRemote, resolveVersion, sameCommit, type Refs, type Target } from './git-refs.js';

const unsupported = 'muster does not support it: leave it out';
const args: ArgSpecs = {
  repo: { type: 'str', required: true, aliases: ['name'] },
  dest: { type: 'path', required: true },
  version: { type: 'str', default: 'HEAD' },
  remote: { type: 'str', default: 'origin' },
  force: { type: 'bool', default: false },
  depth: { type: 'int' },
  update: { type: 'bool', default: true },
  clone: { type: 'bool', default: true },
  bare: { type: 'bool', default: false },
  single_branch: { type: 'bool', default: false },
  recursive: { type: 'bool', default: true },
  track_submodules: { type: 'bool', default: false },
  accept_hostkey: { type: 'bool', default: false },
  accept_newhostkey: { type: 'bool', default: false },
  key_file: { type: 'path' },
  ssh_opts: { type: 'str' },
  umask: { type: 'str' },
  executable: { type: 'path' },
  reference: { type: 'str' },
  refspec: { type: 'str' },
  verify_commit: { type: 'bool', default: false },
  gpg_allowlist: { type: 'list', elements: 'str', aliases: ['gpg_whitelist'], ignored: 'only used by verify_commit, which muster does not support' },
  archive: { type: 'path' },
  archive_prefix: { type: 'str' },
  separate_git_dir: { type: 'path' },
};

function validate(a: Args): string | undefined {
  for (const k of ['archive', 'archive_prefix', 'separate_git_dir']) if (a[k] !== undefined) return `${k}: ${unsupported}`;
  if (a.verify_commit === true) return `verify_commit: ${unsupported}`;
  if (a.accept_hostkey === true && a.accept_newhostkey === true) return 'accept_hostkey and accept_newhostkey are mutually exclusive';
  if (typeof a.depth === 'number' && a.depth < 1) return `depth must be 1 or more (got ${a.depth})`;
  if (a.umask !== undefined && !/^[0-7]{1,4}$/.test(String(a.umask))) return `umask must be octal, like 0022 (got ${a.umask})`;
  return undefined;
}

/** What the probe found. */
export interface GitState {
  missingGit: boolean;
  /** dest holds a repository (DEST/.git, or a bare one) */
  repo: boolean;
  head?: string;
  branch?: string;
  url?: string;
  /** `git status --porcelain` lines (tracked files only) */
  mods: string[];
  /** `git submodule status --recursive` lines that are not up to date (-, +, U) */
  staleSubs: string[];
  /** the remote's refs, or why they could not be read */
  refs: Refs | { error: string };
}

/** The environment git runs with: ssh options from the arguments, the umask. */
export function gitEnv(a: Args): Script {
  const ssh: (string | false)[] = ['ssh'];
  if (a.accept_hostkey === true) ssh.push('-o', 'StrictHostKeyChecking=no');
  if (a.accept_newhostkey === true) ssh.push('-o', 'StrictHostKeyChecking=accept-new');
  if (typeof a.key_file === 'string') ssh.push('-i', a.key_file, '-o', 'IdentitiesOnly=yes');
  // git hands GIT_SSH_COMMAND to a shell: ssh_opts is shell text by Ansible's definition.
  const value = `${cmd(ssh).text}${typeof a.ssh_opts === 'string' ? ` ${a.ssh_opts}` : ''}`;
  const umask = typeof a.umask === 'string' && sh`umask ${a.umask}`;
  return join([sh`GIT_SSH_COMMAND=${value}; GIT_TERMINAL_PROMPT=0; export GIT_SSH_COMMAND GIT_TERMINAL_PROMPT`, ...(umask ? [umask] : [])]);
}

const gitOf = (a: Args) => (typeof a.executable === 'string' ? a.executable : 'git');

/** The probe: the checkout's state and the remote's refs. */
export function probeGit(a: Args): Script {
  const git = gitOf(a);
  const dest = String(a.dest);
  const isRepo = a.bare === true ? sh`[ -f ${dest}/config ] && [ -e ${dest}/HEAD ]` : sh`[ -e ${dest}/.git ]`;
  const inRepo = (body: Script) => sh`if ${isRepo}; then ${body}; fi`;
  return join([
    gitEnv(a),
    section('tools', sh`command -v ${git} >/dev/null 2>&1 || echo missing; :`),
    section('repo', sh`if ${isRepo}; then echo yes; fi`),
    section(
      'local',
      inRepo(sh`echo "head=$(${cmd(git, '-C', dest, 'rev-parse', '--verify', '-q', 'HEAD')})"
echo "branch=$(${cmd(git, '-C', dest, 'symbolic-ref', '-q', '--short', 'HEAD')})"
echo "url=$(${cmd(git, '-C', dest, 'config', '--get', `remote.${a.remote}.url`)})"`),
    ),
    section('mods', a.bare === true ? sh`:` : inRepo(cmd(git, '-C', dest, 'status', '--porcelain', '--untracked-files=no'))),
    section('subs', a.bare === true ? sh`:` : inRepo(sh`[ -f ${dest}/.gitmodules ] && ${cmd(git, '-C', dest, 'submodule', 'status', '--recursive')}; :`)),
    section('remote', cmd(git, 'ls-remote', String(a.repo))),
  ]);
}

/** Pure: probe output -> state. */
export function parseGit(stdout: string, stderr = ''): GitState {
  const s = sectionsOf({ rc: 0, stdout, stderr });
  const local = keyValues(s.get('local')?.text ?? '');
  const remote = s.get('remote');
  const lines = (name: string) => (s.get(name)?.text ?? '').split('\n').filter((l) => l.trim());
  return {
    missingGit: (s.get('tools')?.text ?? '').includes('missing'),
    repo: (s.get('repo')?.text ?? '').trim() === 'yes',
    head: local.head || undefined,
    branch: local.branch || undefined,
    url: local.url || undefined,
    mods: lines('mods'),
    staleSubs: lines('subs').filter((l) => /^[-+U]/.test(l)),
    refs:
      remote && remote.rc === 0
        ? parseLsRemote(remote.text)
        : { error: stderr.trim().split('\n').slice(-3).join('\n') || `git ls-remote exited ${remote?.rc}` },
  };
}

/** A plan and the commit the checkout should end at (the `after` of check mode). */
export interface GitDecision {
  plan: Plan;
  target?: string;
}

/** Pure: what to do. */
export function planGit(a: Args, s: GitState): GitDecision {
  const fail = (msg: string, data?: Vars): GitDecision => ({ plan: { kind: 'fail', msg, data } });
  const problem = validate(a);
  if (problem) return fail(problem);
  if (s.missingGit) return fail(`${gitOf(a)} not found on the host: install git first (Debian: the git package)`);
  const dest = String(a.dest);
  const repo = String(a.repo);
  const version = String(a.version);
  const before = s.head ?? null;
  const data: Vars = { before, after: before, remote_url_changed: false };
  if (!s.repo && a.clone === false) return { plan: { kind: 'noop', reason: `${dest} is no repository and clone=no`, data } };
  if (s.repo && a.update === false) return { plan: { kind: 'noop', reason: `${dest} exists and update=no`, data } };
  if (s.repo && s.mods.length && a.force !== true) return fail(`Local modifications exist in the destination: ${dest} (force=no).`, data);
  if ('error' in s.refs) return fail(`Failed to read the refs of ${repo}: ${s.refs.error}`, data);
  const target = resolveVersion(version, s.refs);
  if (!target) return fail(`Failed to find version ${version} in ${repo}: it is no branch, tag or commit id there`, data);
  const git = (...w: (string | false | string[] | undefined)[]) => cmd(gitOf(a), '-C', dest, ...w);
  const env = gitEnv(a);
  const step = (c: Script): Step => ({ exec: join([env, c]) });
  const depth = typeof a.depth === 'number' && ['--depth', String(a.depth)];
  const subs = (remote: boolean) => step(git('submodule', 'update', '--init', '--recursive', remote && '--remote'));
  const recursive = a.recursive !== false && a.bare !== true;
  const after = target.sha;

  if (!s.repo) {
    const named = (target.kind === 'branch' || target.kind === 'tag') && (depth || a.single_branch === true);
    const clone = cmd(
      gitOf(a),
      'clone',
      a.bare === true && '--bare',
      depth,
      a.single_branch === true && '--single-branch',
      named && ['--branch', target.name],
      typeof a.reference === 'string' && ['--reference', a.reference],
      '--origin',
      String(a.remote),
      '--',
      repo,
      dest,
    );
    const steps: Step[] = [step(clone)];
    if (a.bare !== true) {
      if (target.kind === 'sha' && depth) steps.push(step(git('fetch', depth, String(a.remote), target.sha)));
      if (target.kind !== 'head' && !named) steps.push(step(switchTo(git, a, target)));
      if (recursive) steps.push(subs(a.track_submodules === true));
    }
    return { plan: { kind: 'change', steps, data: { ...data, after }, msg: `cloned ${repo} into ${dest}` }, target: after };
  }

  const steps: Step[] = [];
  if (s.mods.length) steps.push(step(git('reset', '--hard', 'HEAD')));
  const urlChanged = s.url !== repo;
  if (urlChanged) steps.push(step(s.url === undefined ? git('remote', 'add', String(a.remote), repo) : git('remote', 'set-url', String(a.remote), repo)));
  const atTarget = sameCommit(s.head, target.sha) && (target.kind !== 'branch' || s.branch === target.name || a.bare === true);
  if (!atTarget) {
    const refspecs = a.bare === true ? ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'] : [];
    const extra = typeof a.refspec === 'string' ? [a.refspec] : [];
    steps.push(step(git('fetch', depth, a.bare !== true && '--tags', String(a.remote), refspecs, extra)));
    if (target.kind === 'sha' && !advertised(s.refs as Refs, target.sha)) steps.push(step(git('fetch', depth, String(a.remote), target.sha)));
    if (a.bare !== true) steps.push(step(switchTo(git, a, target, s)));
  }
  if (recursive && (!atTarget || s.staleSubs.length)) steps.push(subs(a.track_submodules === true));
  const d = { ...data, after: atTarget ? before : after, remote_url_changed: urlChanged };
  if (!steps.length) return { plan: { kind: 'noop', reason: `${dest} is at ${version} (${before?.slice(0, 12)})`, data: d } };
  const why = [
    s.mods.length && 'local modifications reset',
    urlChanged && `remote ${a.remote} set to ${repo}`,
    !atTarget && `moved to ${version}`,
    s.staleSubs.length && 'submodules updated',
  ]
    .filter(Boolean)
    .join(', ');
  return { plan: { kind: 'change', steps, data: d, msg: why }, target: atTarget ? (before ?? undefined) : after };
}

function advertised(refs: Refs, sha: string): boolean {
  return [...refs.values()].some((v) => sameCommit(v, sha));
}

/** The checkout of a target: a branch is (re)set to the remote's and tracks it; a tag or commit is checked out detached. */
function switchTo(git: (...w: (string | false | string[] | undefined)[]) => Script, a: Args, t: Target, s?: GitState): Script {
  const remote = String(a.remote);
  const branch = t.kind === 'branch' ? t.name : t.kind === 'head' && s && !('error' in s.refs) ? headBranch(s.refs, s.branch) : undefined;
  if (branch) return git('checkout', '--force', '-B', branch, `${remote}/${branch}`);
  return git('checkout', '--force', '--detach', t.kind === 'tag' ? `refs/tags/${t.name}` : t.sha);
}

/** Runs git: probe, plan, apply, then read the commit the checkout ended at. */
export async function runGit(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const out = await ctx.exec(probeGit(a));
  const d = planGit(a, parseGit(out.stdout, out.stderr));
  const r = await apply(d.plan, ctx);
  if (d.plan.kind !== 'change' || r.failed || ctx.check) return r;
  const head = await ctx.exec(cmd(gitOf(a), '-C', String(a.dest), 'rev-parse', 'HEAD'));
  return { ...r, data: { ...r.data, after: head.rc === 0 ? head.stdout.trim() : (d.target ?? null) } };
}

/** The `git` module. */
export const git: Module = { name: 'git', args, checkMode: true, validate, run: runGit };

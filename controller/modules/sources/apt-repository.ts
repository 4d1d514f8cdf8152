/**
 * `apt_repository`: a one-line APT source (`deb [opts] URL suite comps`, or `ppa:owner/name` on Ubuntu) present in
 * (or absent from) the .list files, then `apt-get update`. A source enabled in any .list file counts as present; one
 * commented out is enabled where it is. When the update fails, the files are put back as they were.
 */
import { sh, join, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Diff, Module, ModuleContext, ModuleResult, Plan, Step, Vars } from '../types.js';
import { cmd, keyValues, missingTools, section, sectionsOf, withSbin } from '../system/probe.js';
import { replaceFile } from '../system/replace.js';
import { addSource, listPath, normalSource, removeSource, type FileEdit } from './apt-lines.js';

const args: ArgSpecs = {
  repo: { type: 'str', required: true },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  filename: { type: 'str' },
  mode: { type: 'mode' },
  update_cache: { type: 'bool', default: true, aliases: ['update-cache'] },
  update_cache_retries: { type: 'int', default: 5 },
  update_cache_retry_max_delay: { type: 'int', default: 12 },
  validate_certs: { type: 'bool', default: true },
  codename: { type: 'str' },
  install_python_apt: { type: 'bool', default: true, ignored: 'muster needs no Python on the hosts' },
};

const DIR = '/etc/apt/sources.list.d';
const PPA = /^ppa:([^/\s]+)\/([^/\s]+)$/;

function validate(a: Args): string | undefined {
  const repo = String(a.repo).trim();
  if (!PPA.test(repo) && normalSource(repo) === undefined) {
    return `repo must be a one-line source like "deb [signed-by=/path] http://host/debian suite main" or ppa:owner/name (got "${repo}")`;
  }
  if (typeof a.update_cache_retries === 'number' && a.update_cache_retries < 0) return 'update_cache_retries must be 0 or more';
  return undefined;
}

/** What the probe found. */
export interface RepoListState {
  /** ID and VERSION_CODENAME of /etc/os-release */
  osId: string;
  codename: string;
  /** every .list file (sources.list, sources.list.d/*.list, and a `filename` outside it): path -> text */
  files: Map<string, string>;
  /** path -> mode as stat prints it */
  modes: Map<string, string>;
  /** key files that exist (a PPA's) */
  keys: string[];
  missing: string[];
}

/** Pure: a PPA's owner and name, or undefined. */
export function ppaOf(repo: string): { owner: string; name: string } | undefined {
  const m = PPA.exec(repo.trim());
  return m ? { owner: m[1], name: m[2] } : undefined;
}

/** Where a PPA's signing key is kept. */
export function ppaKeyPath(ppa: { owner: string; name: string }): string {
  return `/etc/apt/trusted.gpg.d/${ppa.owner}-ubuntu-${ppa.name}.gpg`;
}

/** The probe: the OS, every .list file with its mode, and the PPA's key file. */
export function probeRepoList(a: Args): Script {
  const filename = typeof a.filename === 'string' ? a.filename : undefined;
  const outside = filename?.includes('/') ? listPath('', filename) : undefined;
  const ppa = ppaOf(String(a.repo));
  return withSbin(
    section('os', sh`( . /etc/os-release 2>/dev/null; echo "id=$ID"; echo "codename=$VERSION_CODENAME" )`),
    section('tools', missingTools(['apt-get'])),
    section('keys', ppa ? sh`[ -e ${ppaKeyPath(ppa)} ] && echo ${ppaKeyPath(ppa)}; :` : sh`:`),
    sh`for f in /etc/apt/sources.list ${DIR}/*.list ${outside ?? []}; do
[ -f "$f" ] || continue
echo "@@muster:begin file:$f"; cat "$f"; echo "@@muster:end $?"
echo "@@muster:begin mode:$f"; stat -c %a "$f"; echo "@@muster:end $?"
done`,
  );
}

/** Pure: probe output -> state. */
export function parseRepoList(stdout: string): RepoListState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const os = keyValues(s.get('os')?.text ?? '');
  const files = new Map<string, string>();
  const modes = new Map<string, string>();
  for (const [name, sec] of s) {
    if (name.startsWith('file:') && sec.rc === 0) files.set(name.slice(5), sec.text);
    if (name.startsWith('mode:') && sec.rc === 0) modes.set(name.slice(5), sec.text.trim());
  }
  const list = (name: string) => (s.get(name)?.text ?? '').split(/\s+/).filter(Boolean);
  return { osId: os.id ?? '', codename: os.codename ?? '', files, modes, keys: list('keys'), missing: list('tools') };
}

/** Pure: the source line a repo argument stands for (a PPA expands with the codename), or a reason it cannot. */
export function sourceOf(a: Args, s: RepoListState): { source: string; ppa?: { owner: string; name: string } } | { fail: string } {
  const repo = String(a.repo).trim();
  const ppa = ppaOf(repo);
  if (!ppa) return { source: normalSource(repo) as string };
  if (s.osId !== 'ubuntu') {
    return {
      fail: `${repo}: PPAs are built for Ubuntu only and this host is ${s.osId || 'not Ubuntu'}; give the repository as a "deb URL suite components" line instead`,
    };
  }
  const codename = typeof a.codename === 'string' && a.codename ? a.codename : s.codename;
  if (!codename) return { fail: `${repo}: no codename in /etc/os-release; give codename:` };
  return { source: `deb https://ppa.launchpadcontent.net/${ppa.owner}/${ppa.name}/ubuntu ${codename} main`, ppa };
}

/** Pure: the file a new source goes to (a PPA's name is built from `ppa:owner/name_codename`, as Ansible does). */
function targetOf(a: Args, source: string, s: RepoListState): string {
  const filename = typeof a.filename === 'string' ? a.filename : undefined;
  const ppa = ppaOf(String(a.repo));
  if (ppa && !filename) {
    const codename = typeof a.codename === 'string' && a.codename ? a.codename : s.codename;
    const name = `ppa:${ppa.owner}/${ppa.name}_${codename}`.replace(/[^a-zA-Z0-9]+/g, '_');
    return `${DIR}/${name}.list`;
  }
  return listPath(source, filename);
}

const sameMode = (a: string | undefined, b: string) => a !== undefined && Number.parseInt(a, 8) === Number.parseInt(b, 8);

/** The script that fetches a PPA's signing key from Launchpad and the Ubuntu keyserver, dearmored into `key`. */
export function ppaKeyScript(ppa: { owner: string; name: string }, validateCerts: boolean): Script {
  const insecure = !validateCerts && '-k';
  const api = `https://launchpad.net/api/1.0/~${ppa.owner}/+archive/${ppa.name}`;
  return sh`set -e; k=${ppaKeyPath(ppa)}; d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fpr=$(${cmd('curl', '-fsSL', insecure, api)} | sed -n 's/.*"signing_key_fingerprint": *"\\([0-9A-Fa-f]*\\)".*/\\1/p')
[ -n "$fpr" ] || { echo ${`no signing key fingerprint in ${api}`} >&2; exit 1; }
${cmd('curl', '-fsSL', insecure, '-o', sh`"$d/key"`)} "https://keyserver.ubuntu.com/pks/lookup?op=get&search=0x$fpr"
GNUPGHOME="$d" gpg --batch --dearmor < "$d/key" > "$d/key.gpg"; chmod 0644 "$d/key.gpg"; mv -f "$d/key.gpg" "$k"`;
}

/** Pure: what to do about the .list files. */
export function planRepoList(a: Args, s: RepoListState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const src = sourceOf(a, s);
  if ('fail' in src) return { kind: 'fail', msg: src.fail };
  const present = a.state !== 'absent';
  const target = targetOf(a, src.source, s);
  const edits = repoEdits(a, s);
  const mode = typeof a.mode === 'string' ? a.mode : undefined;
  const fixMode = present && mode !== undefined && s.files.has(target) && !sameMode(s.modes.get(target), mode);
  const fetchKey = present && src.ppa !== undefined && !s.keys.includes(ppaKeyPath(src.ppa));
  const data: Vars = {
    repo: String(a.repo),
    state: a.state,
    sources_added: edits.filter((e) => e.before === undefined).map((e) => e.path),
    sources_removed: edits.filter((e) => e.after === undefined).map((e) => e.path),
  };
  if (!edits.length && !fixMode && !fetchKey) {
    return {
      kind: 'noop',
      reason: present ? `${src.source} is already in ${whereIs(s.files, src.source) ?? target}` : `${src.source} is in no .list file`,
      data,
    };
  }
  const steps: Step[] = editSteps(edits, mode);
  if (fixMode && mode) steps.push({ exec: sh`chmod ${mode} ${target}` });
  if (fetchKey && src.ppa) steps.unshift({ exec: withSbin(ppaKeyScript(src.ppa, a.validate_certs !== false)) });
  const diff: Diff[] = edits.map((e) => ({ path: e.path, before: e.before ?? '', after: e.after ?? '' }));
  return { kind: 'change', steps, diff, data };
}

/** Pure: the file edits that make the source present or absent (none when the repo argument is unusable). */
export function repoEdits(a: Args, s: RepoListState): FileEdit[] {
  const src = sourceOf(a, s);
  if ('fail' in src) return [];
  if (a.state === 'absent') return removeSource(s.files, src.source);
  return addSource(s.files, src.source, targetOf(a, src.source, s));
}

/** The steps that carry out file edits (a new file gets `mode`, 0644 by default). */
export function editSteps(edits: FileEdit[], mode?: string): Step[] {
  return edits.map((e) => {
    if (e.after === undefined) return { exec: sh`rm -f ${e.path}` };
    const write = replaceFile(e.path, e.before === undefined ? (mode ?? '0644') : undefined);
    return { exec: mode && e.before === undefined ? join([write, sh`chmod ${mode} ${e.path}`]) : write, stdin: e.after };
  });
}

function whereIs(files: Map<string, string>, source: string): string | undefined {
  return [...files].find(([, text]) => removeSource(new Map([['x', text]]), source).length)?.[0];
}

/** `apt-get update`, tried again after 1, 2, 4... seconds (at most `maxDelay`) up to `retries` more times. */
export function updateScript(retries: number, maxDelay: number): Script {
  return withSbin(sh`i=0; d=1
until LC_ALL=C apt-get -q update; do
  i=$((i + 1)); [ "$i" -le ${retries} ] || exit 1
  sleep "$d"; d=$((d * 2)); [ "$d" -le ${maxDelay} ] || d=${maxDelay}
done`);
}

/** Runs apt_repository: probe, edit the files, update the cache; a failed update puts the files back. */
export async function runRepoList(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const state = parseRepoList((await ctx.exec(probeRepoList(a))).stdout);
  const plan = planRepoList(a, state);
  const r = await apply(plan, ctx);
  if (plan.kind !== 'change' || r.failed || ctx.check || a.update_cache === false) return r;
  if (state.missing.includes('apt-get'))
    return { ...r, failed: true, msg: 'apt-get not found on the host: update_cache needs it (or set update_cache: false)' };
  const up = await ctx.exec(updateScript(Number(a.update_cache_retries ?? 5), Number(a.update_cache_retry_max_delay ?? 12)));
  if (up.rc === 0) return r;
  const why = (up.stderr.trim() || up.stdout.trim()).split('\n').slice(-3).join('\n');
  const back = repoEdits(a, state).map((e) => ({ path: e.path, before: e.after, after: e.before }));
  await apply({ kind: 'change', steps: editSteps(back) }, ctx);
  return { ...r, failed: true, msg: `Failed to update apt cache (the .list files were put back as they were): ${why}`, data: { ...r.data, rc: up.rc } };
}

/** The `apt_repository` module. */
export const aptRepository: Module = { name: 'apt_repository', args, checkMode: true, validate, run: runRepoList };

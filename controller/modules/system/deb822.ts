/**
 * `deb822_repository`: an APT source in /etc/apt/sources.list.d/NAME.sources, optionally with its signing key
 * downloaded to /etc/apt/keyrings. The key is fetched and compared on the host (curl or wget); a host with
 * neither gets the key fetched by the controller and sent over stdin.
 */
import { sh, join, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult, Plan } from '../types.js';
import { keyPath, modeText, renderSources, signedByKind, slugOf, sourcesPath } from './deb822-format.js';
import { section, sectionsOf } from './probe.js';
import { replaceFile } from './replace.js';

const list = { type: 'list', elements: 'str' } as const;
const args: ArgSpecs = {
  name: { type: 'str', required: true },
  uris: list,
  suites: list,
  components: list,
  types: { type: 'list', elements: 'str', default: ['deb'] },
  architectures: list,
  languages: list,
  targets: list,
  signed_by: { type: 'str' },
  enabled: { type: 'bool' },
  trusted: { type: 'bool' },
  allow_downgrade_to_insecure: { type: 'bool' },
  allow_insecure: { type: 'bool' },
  allow_weak: { type: 'bool' },
  by_hash: { type: 'bool' },
  check_date: { type: 'bool' },
  check_valid_until: { type: 'bool' },
  pdiffs: { type: 'bool' },
  date_max_future: { type: 'int' },
  inrelease_path: { type: 'str' },
  install_python_debian: { type: 'bool', default: true },
  mode: { type: 'mode', default: '0644' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
};

function validate(a: Args): string | undefined {
  const types = Array.isArray(a.types) ? a.types : [];
  const bad = types.find((t) => t !== 'deb' && t !== 'deb-src');
  if (bad !== undefined) return `types may only hold deb and deb-src (got ${bad})`;
  if (a.mode !== undefined && modeText(a.mode, '') === '') return `mode must be octal, like 0644 (got ${a.mode})`;
  if (a.state === 'absent') return undefined;
  const empty = ['uris', 'suites'].filter((k) => !Array.isArray(a[k]) || (a[k] as unknown[]).length === 0);
  return empty.length ? `${empty.join(' and ')} must be given for state=present (apt cannot use a source without them)` : undefined;
}

/** What the probe found about the files. */
export interface RepoState {
  /** the .sources file's text, undefined when absent */
  content?: string;
  /** its mode as stat prints it */
  mode?: string;
  /** key files that exist (absent state) */
  keys: string[];
}

/** The probe: the .sources file, its mode, and which key files exist. */
export function probeRepo(name: string): Script {
  const dest = sourcesPath(name);
  return join([
    section('content', sh`cat ${dest} 2>/dev/null`),
    section('mode', sh`stat -c %a ${dest} 2>/dev/null`),
    section('keys', sh`for k in ${[keyPath(name, 'asc'), keyPath(name, 'gpg')]}; do [ -e "$k" ] && echo "$k"; done; :`),
  ]);
}

/** Pure: probe output -> state. */
export function parseRepo(stdout: string): RepoState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const content = s.get('content');
  return {
    content: content && content.rc === 0 ? content.text : undefined,
    mode: (s.get('mode')?.text ?? '').trim() || undefined,
    keys: (s.get('keys')?.text ?? '').split('\n').filter(Boolean),
  };
}

/** Pure: the plan for the .sources file (and, when absent, the key files); `signedBy.changed` says a key was (or would be) replaced. */
export function planRepo(a: Args, s: RepoState, signedBy: { value?: string; file?: string; changed: boolean }): Plan {
  const name = String(a.name);
  const dest = sourcesPath(name);
  if (a.state === 'absent') {
    const data = { repo: null, dest, key_filename: s.keys[0] ?? null };
    const gone = [...(s.content !== undefined ? [dest] : []), ...s.keys];
    if (!gone.length) return { kind: 'noop', reason: `${dest} is absent`, data };
    return { kind: 'change', steps: [{ exec: sh`rm -f ${gone}` }], data };
  }
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const repo = renderSources(a, signedBy.value);
  const mode = modeText(a.mode);
  const data = { repo, dest, key_filename: signedBy.file ?? null };
  const sameMode = s.mode !== undefined && Number.parseInt(s.mode, 8) === Number.parseInt(mode, 8);
  if (s.content === repo && sameMode) {
    if (signedBy.changed) return { kind: 'change', steps: [], data, msg: 'signing key updated' };
    return { kind: 'noop', reason: `${dest} is up to date`, data };
  }
  const write = join([replaceFile(dest, mode), sh`chmod ${mode} ${dest}`]);
  return { kind: 'change', steps: [{ exec: write, stdin: repo }], diff: [{ path: dest, before: s.content ?? '', after: repo }], data };
}

const NOFETCH = '@@muster:nofetch';

/** The key script: download (or read stdin), pick .asc/.gpg, compare with the installed key, install unless checking. */
export function keyScript(name: string, source: { url: string } | 'stdin', check: boolean): Script {
  const fetch =
    source === 'stdin'
      ? sh`cat > "$t"`
      : sh`if command -v curl >/dev/null 2>&1; then curl -fsSL ${source.url} -o "$t"
elif command -v wget >/dev/null 2>&1; then wget -q -O "$t" ${source.url}
else rm -f "$t"; echo ${NOFETCH}; exit 0; fi`;
  const slug = slugOf(name);
  const install = check ? sh`rm -f "$t"` : sh`mkdir -p /etc/apt/keyrings; chmod 0755 /etc/apt/keyrings; chmod 0644 "$t"; mv -f "$t" "$k"`;
  return sh`set -e; t=$(mktemp); trap 'rm -f "$t"' EXIT
${fetch}
if grep -q 'BEGIN PGP PUBLIC KEY BLOCK' "$t"; then ext=asc; else ext=gpg; fi
k=/etc/apt/keyrings/${slug}."$ext"; echo "key=$k"
if [ -f "$k" ] && cmp -s "$t" "$k"; then rm -f "$t"; echo same; else echo differs; ${install}; fi`;
}

/** Pure: what the key script said: the key file and whether it changed, or that the host could not download. */
export function parseKeyScript(stdout: string): { nofetch: true } | { nofetch: false; file: string; changed: boolean } {
  if (stdout.includes(NOFETCH)) return { nofetch: true };
  const file = /^key=(.*)$/m.exec(stdout)?.[1] ?? '';
  return { nofetch: false, file, changed: /^differs$/m.test(stdout) };
}

/** Downloads the key on the host (or through the controller when the host has no downloader). */
async function installKey(name: string, url: string, ctx: ModuleContext): Promise<{ file: string; changed: boolean } | string> {
  let r = await ctx.exec(keyScript(name, { url }, ctx.check));
  let parsed = parseKeyScript(r.stdout);
  if (r.rc === 0 && parsed.nofetch) {
    let body: Buffer;
    try {
      const res = await fetch(url);
      if (!res.ok) return `Could not fetch signed_by key: HTTP ${res.status} from ${url}`;
      body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      return `Could not fetch signed_by key: the host has neither curl nor wget, and the controller could not download ${url} (${(e as Error).message})`;
    }
    r = await ctx.exec(keyScript(name, 'stdin', ctx.check), { stdin: body });
    parsed = parseKeyScript(r.stdout);
  }
  if (r.rc !== 0 || parsed.nofetch) return `Could not fetch signed_by key: ${r.stderr.trim() || `exit code ${r.rc}`}`;
  return { file: parsed.file, changed: parsed.changed };
}

/** Runs deb822_repository: the key first (its file name goes into the source), then the .sources file. */
export async function runRepo(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const problem = validate(a);
  if (problem) return { changed: false, failed: true, msg: problem };
  const name = String(a.name);
  let signedBy: { value?: string; file?: string; changed: boolean } = { changed: false };
  if (a.state !== 'absent' && typeof a.signed_by === 'string' && a.signed_by.trim()) {
    if (signedByKind(a.signed_by) === 'url') {
      const key = await installKey(name, a.signed_by.trim(), ctx);
      if (typeof key === 'string') return { changed: false, failed: true, msg: key };
      signedBy = { value: key.file, file: key.file, changed: key.changed };
    } else signedBy = { value: a.signed_by, changed: false };
  }
  const state = parseRepo((await ctx.exec(probeRepo(name))).stdout);
  const r = await apply(planRepo(a, state, signedBy), ctx);
  // A key replaced on its own is a change even when the .sources file already matched.
  return signedBy.changed && !r.failed ? { ...r, changed: true } : r;
}

/** The `deb822_repository` module. */
export const deb822Repository: Module = { name: 'deb822_repository', args, checkMode: true, validate, run: runRepo };

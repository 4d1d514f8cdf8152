/**
 * `apt_key`: an APT signing key present or absent. Modern Debian has no apt-key: keys are kept as files in
 * /etc/apt/trusted.gpg.d/ (or `keyring`), dearmored with gpg when armored, and listed with
 * `gpg --show-keys --with-colons`. Round trips: the installed keys; when the key must be read, one script that
 * stages it in a temp directory on the host (from data, a host file, a URL or an HKP key server); then the install.
 */
import { sh, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult, Plan, Vars } from '../types.js';
import { cmd, missingTools, plainText, section, sectionsOf, withSbin } from '../system/probe.js';
import { hasId, hkpUrl, normalId, parseColons, type PgpKey } from './gpg.js';

const args: ArgSpecs = {
  id: { type: 'str' },
  url: { type: 'str' },
  data: { type: 'str' },
  file: { type: 'path' },
  keyring: { type: 'path' },
  keyserver: { type: 'str' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  validate_certs: { type: 'bool', default: true },
};

const DIR = '/etc/apt/trusted.gpg.d';

function validate(a: Args): string | undefined {
  const sources = ['url', 'data', 'file', 'keyserver'].filter((k) => a[k] !== undefined && a[k] !== '');
  if (sources.length > 1) return `give only one of url, data, file and keyserver (got ${sources.join(' and ')})`;
  if (a.id !== undefined && normalId(String(a.id)) === undefined) return `id must be a key id or fingerprint of 8 to 40 hex digits (got ${a.id})`;
  if (a.state === 'absent' && a.id === undefined) return 'id is required to remove a key (state=absent)';
  if (a.keyserver !== undefined && a.id === undefined) return 'id is required with keyserver (it names the key to fetch)';
  if (a.state !== 'absent' && !sources.length && a.id === undefined) return 'give the key with url, data, file or keyserver';
  return undefined;
}

/** Installed keys: each key file's keys, in the order found. */
export interface KeyringState {
  files: Map<string, PgpKey[]>;
  missing: string[];
}

/** The probe: gpg's presence and the keys of each file apt reads (or of `keyring` only). */
export function probeKeyring(a: Args): Script {
  const where = typeof a.keyring === 'string' ? sh`${a.keyring}` : sh`/etc/apt/trusted.gpg ${DIR}/*.gpg ${DIR}/*.asc`;
  return withSbin(
    section('tools', missingTools(['gpg'])),
    sh`g=$(mktemp -d); for f in ${where}; do
[ -f "$f" ] || continue
echo "@@muster:begin keys:$f"; GNUPGHOME="$g" gpg --batch --show-keys --with-colons "$f" 2>/dev/null; echo "@@muster:end $?"
done; rm -rf "$g"`,
  );
}

/** Pure: probe output -> state. */
export function parseKeyring(stdout: string): KeyringState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const files = new Map<string, PgpKey[]>();
  for (const [name, sec] of s) if (name.startsWith('keys:')) files.set(name.slice(5), parseColons(sec.text));
  return { files, missing: (s.get('tools')?.text ?? '').split(/\s+/).filter(Boolean) };
}

/** Pure: the files holding a key with this id. */
function holders(s: KeyringState, id: string): string[] {
  return [...s.files].filter(([, keys]) => keys.some((k) => hasId(k, id))).map(([f]) => f);
}

/** Ansible's return values for a key. */
function keyData(fpr: string | undefined, id: string | undefined, path?: string): Vars {
  return { fp: fpr ?? id ?? null, id: id ?? fpr ?? null, key_id: fpr ? fpr.slice(-16) : null, short_id: fpr ? fpr.slice(-8) : null, keyring: path ?? null };
}

/** What the first look decided: a plan already, or the key must be read (staged) first. */
export type FirstLook = { plan: Plan } | { stage: true };

/** Pure: the decision from the installed keys alone (absent, or present with an id that is there). */
export function planKnown(a: Args, s: KeyringState): FirstLook {
  const problem = validate(a);
  if (problem) return { plan: { kind: 'fail', msg: problem } };
  if (s.missing.includes('gpg')) return { plan: { kind: 'fail', msg: 'gpg not found on the host: install the "gpg" package first' } };
  const id = a.id === undefined ? undefined : normalId(String(a.id));
  if (a.state === 'absent') {
    const files = holders(s, id as string);
    const fpr = files.length ? s.files.get(files[0])?.find((k) => hasId(k, id as string))?.fpr : undefined;
    if (!files.length) return { plan: { kind: 'noop', reason: `key ${id} is in no keyring`, data: keyData(undefined, id) } };
    return { plan: { kind: 'change', steps: files.map((f) => removeStep(f, s.files.get(f) ?? [], id as string)), data: keyData(fpr, id, files[0]) } };
  }
  if (id !== undefined) {
    const files = holders(s, id);
    if (files.length) {
      const fpr = s.files.get(files[0])?.find((k) => hasId(k, id))?.fpr;
      return { plan: { kind: 'noop', reason: `key ${id} is already in ${files[0]}`, data: keyData(fpr, id, files[0]) } };
    }
  }
  if (!['url', 'data', 'file', 'keyserver'].some((k) => a[k] !== undefined)) {
    return { plan: { kind: 'fail', msg: `key ${id} is not installed: give url, data, file or keyserver to install it` } };
  }
  return { stage: true };
}

/** A file whose keys all match goes; a keyring holding other keys too is rewritten without them (through a temp GnuPG home). */
function removeStep(file: string, keys: PgpKey[], id: string) {
  if (keys.every((k) => hasId(k, id))) return { exec: sh`rm -f ${file}` };
  const gone = keys.filter((k) => hasId(k, id)).map((k) => k.fpr);
  const armor = file.endsWith('.asc') && '--armor';
  return {
    exec: sh`set -e; g=$(mktemp -d); trap 'rm -rf "$g"' EXIT; export GNUPGHOME="$g"
gpg --batch -q --import ${file}
${cmd('gpg', '--batch', '--yes', '--delete-keys', gone)}
${cmd('gpg', '--batch', armor, '--export')} > "$g/out"; cat "$g/out" > ${file}`,
  };
}

const NOFETCH = '@@muster:nofetch';

/** The staging script: the key into a temp directory on the host, dearmored, listed; prints the directory. */
export function stageScript(a: Args, source: 'stdin' | 'host'): Script {
  const insecure = a.validate_certs === false;
  const id = a.id === undefined ? undefined : normalId(String(a.id));
  let fetch: Script;
  if (source === 'stdin' || a.data !== undefined) fetch = sh`cat > "$d/in"`;
  else if (typeof a.file === 'string') fetch = sh`cat ${a.file} > "$d/in"`;
  else {
    const url = typeof a.keyserver === 'string' ? hkpUrl(a.keyserver, id as string) : String(a.url);
    fetch = sh`if command -v curl >/dev/null 2>&1; then ${cmd('curl', '-fsSL', insecure && '-k', url)} > "$d/in"
elif command -v wget >/dev/null 2>&1; then ${cmd('wget', '-q', insecure && '--no-check-certificate', '-O', '-', url)} > "$d/in"
else echo ${NOFETCH}; exit 0; fi`;
  }
  return withSbin(sh`set -e; d=$(mktemp -d); echo "dir=$d"; export GNUPGHOME="$d"
${fetch}
if grep -q 'BEGIN PGP PUBLIC KEY BLOCK' "$d/in"; then gpg --batch --dearmor < "$d/in" > "$d/key"; else cp "$d/in" "$d/key"; fi
echo "@@muster:begin keys"; gpg --batch --show-keys --with-colons "$d/key"; echo "@@muster:end $?"`);
}

/** What staging found: the temp directory and the key's keys, or that the host could not download. */
export type Staged = { nofetch: true; dir?: string } | { nofetch: false; dir: string; keys: PgpKey[]; ok: boolean };

/** Pure: staging output -> what it found. */
export function parseStaged(stdout: string): Staged {
  const dir = /^dir=(.*)$/m.exec(stdout)?.[1];
  if (stdout.includes(NOFETCH)) return { nofetch: true, dir };
  const keys = sectionsOf({ rc: 0, stdout, stderr: '' }).get('keys');
  return { nofetch: false, dir: dir ?? '', keys: parseColons(keys?.text ?? ''), ok: keys !== undefined && keys.rc === 0 };
}

/** Pure: the file a key goes to: `keyring`, else trusted.gpg.d/KEYID.gpg. */
export function destOf(a: Args, fpr: string): string {
  return typeof a.keyring === 'string' ? a.keyring : `${DIR}/${fpr.slice(-16)}.gpg`;
}

/** Pure: the decision once the key is staged. */
export function planStaged(a: Args, s: KeyringState, staged: { dir: string; keys: PgpKey[] }): Plan {
  const id = a.id === undefined ? undefined : normalId(String(a.id));
  if (!staged.keys.length) return { kind: 'fail', msg: `no OpenPGP public key in what ${from(a)} gave` };
  const key = id ? staged.keys.find((k) => hasId(k, id)) : staged.keys[0];
  if (!key) return { kind: 'fail', msg: `the key from ${from(a)} has fingerprint ${staged.keys.map((k) => k.fpr).join(', ')}, not id ${id}` };
  const missingKeys = staged.keys.filter((k) => !holders(s, k.fpr).length);
  const dest = destOf(a, key.fpr);
  const data = keyData(key.fpr, id ?? key.fpr.slice(-16), dest);
  if (!missingKeys.length) return { kind: 'noop', reason: `key ${key.fpr} is already in ${holders(s, key.fpr)[0]}`, data };
  const exists = s.files.has(dest);
  if (exists && dest.endsWith('.asc')) return { kind: 'fail', msg: `${dest} is an armored key file: give keyring a .gpg path to add keys to it` };
  // A binary keyring is a sequence of keys: another key is appended.
  const install = exists
    ? sh`cat ${staged.dir}/key >> ${dest}`
    : dest.endsWith('.asc')
      ? sh`install -D -m 0644 ${staged.dir}/in ${dest}`
      : sh`install -D -m 0644 ${staged.dir}/key ${dest}`;
  return { kind: 'change', steps: [{ exec: install }], data, msg: `key ${key.fpr} added to ${dest}` };
}

function from(a: Args): string {
  if (a.data !== undefined) return 'data';
  if (typeof a.file === 'string') return a.file;
  if (typeof a.keyserver === 'string') return `key server ${a.keyserver}`;
  return String(a.url);
}

/** Runs apt_key: the installed keys, the key staged when needed (the controller downloads when the host cannot), the install. */
export async function runAptKey(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const known = parseKeyring((await ctx.exec(probeKeyring(a))).stdout);
  const first = planKnown(a, known);
  if ('plan' in first) return apply(first.plan, ctx);
  let stdin: string | Buffer | undefined = a.data !== undefined ? plainText(a.data) : undefined;
  let r = await ctx.exec(stageScript(a, 'host'), { stdin });
  let staged = parseStaged(r.stdout);
  if (r.rc === 0 && staged.nofetch) {
    const url = typeof a.keyserver === 'string' ? hkpUrl(a.keyserver, normalId(String(a.id)) as string) : String(a.url);
    if (staged.dir) await ctx.exec(sh`rm -rf ${staged.dir}`);
    try {
      const res = await fetch(url);
      if (!res.ok) return { changed: false, failed: true, msg: `Failed to download the key: HTTP ${res.status} from ${url}` };
      stdin = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      return {
        changed: false,
        failed: true,
        msg: `Failed to download the key: the host has neither curl nor wget, and the controller could not get ${url} (${(e as Error).message})`,
      };
    }
    r = await ctx.exec(stageScript(a, 'stdin'), { stdin });
    staged = parseStaged(r.stdout);
  }
  try {
    if (r.rc !== 0 || staged.nofetch || !staged.ok) {
      const why = (r.stderr.trim() || `exit code ${r.rc}`).split('\n').slice(-3).join('\n');
      return { changed: false, failed: true, msg: `Failed to read the key from ${from(a)}: ${why}` };
    }
    return await apply(planStaged(a, known, staged), ctx);
  } finally {
    if (staged.dir) await ctx.exec(sh`rm -rf ${staged.dir}`);
  }
}

/** The `apt_key` module. */
export const aptKey: Module = { name: 'apt_key', args, checkMode: true, validate, run: runAptKey };

/**
 * deb822 .sources files as Ansible's deb822_repository writes them: fields in the order of the argument
 * names, booleans as yes/no, lists space-separated, a multi-line value (an inline key) indented on its own lines.
 * Matching its bytes means converting a playbook from Ansible leaves existing files untouched.
 */
import type { Args } from '../types.js';

/** Arguments that are fields of the file, in the (sorted) order Ansible writes them. */
export const FIELDS = [
  'allow_downgrade_to_insecure',
  'allow_insecure',
  'allow_weak',
  'architectures',
  'by_hash',
  'check_date',
  'check_valid_until',
  'components',
  'date_max_future',
  'enabled',
  'inrelease_path',
  'languages',
  'name',
  'pdiffs',
  'signed_by',
  'suites',
  'targets',
  'trusted',
  'types',
  'uris',
] as const;

/** The file-name slug of a repository name (lowercase, `_` and spaces to `-`, nothing else but [a-z0-9-]). */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/[^a-z0-9-]+/g, '');
}

/** The .sources path for a repository name. */
export function sourcesPath(name: string): string {
  return `/etc/apt/sources.list.d/${slugOf(name)}.sources`;
}

/** Where a downloaded key goes: .asc when armored, .gpg when binary. */
export function keyPath(name: string, ext: 'asc' | 'gpg'): string {
  return `/etc/apt/keyrings/${slugOf(name)}.${ext}`;
}

/** How `signed_by` is meant: a URL to download, or a value written as is (a path, or the key's text). */
export function signedByKind(v: string): 'url' | 'inline' {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v.trim()) ? 'url' : 'inline';
}

function fieldName(key: string): string {
  if (key === 'name') return 'X-Repolib-Name';
  if (key === 'uris') return 'URIs';
  return key
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('-');
}

function fieldValue(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(String).join(' ');
  return String(v);
}

function multiline(v: string): string {
  const lines = v
    .trim()
    .split(/\r?\n/)
    .map((l) => `    ${l.trim() || '.'}`);
  return `\n${lines.join('\n')}`;
}

/** Pure: the .sources text for the arguments, with `signedBy` the value to write (a key path or key text). */
export function renderSources(a: Args, signedBy: string | undefined): string {
  let out = '';
  for (const key of FIELDS) {
    const raw = key === 'signed_by' ? signedBy : key === 'types' ? (a.types ?? ['deb']) : a[key];
    const v = fieldValue(raw);
    if (v === undefined) continue;
    const value = v.includes('\n') ? multiline(v) : v;
    out += value.startsWith('\n') ? `${fieldName(key)}:${value}\n` : `${fieldName(key)}: ${value}\n`;
  }
  return out;
}

/** A mode argument as octal text (YAML 1.1 reads 0644 as the number 420). */
export function modeText(v: unknown, fallback = '0644'): string {
  if (typeof v === 'number') return `0${v.toString(8)}`;
  if (typeof v === 'string' && /^[0-7]{3,4}$/.test(v)) return v.padStart(4, '0');
  return fallback;
}

/**
 * What apt's probe reads, and its parsers: installed packages (dpkg-query), candidate versions
 * (apt-cache policy), the cache's age, a .deb's identity, and how many packages an upgrade would touch.
 */
import { sh, join, type Script } from '../../command.js';
import type { Args } from '../types.js';
import { missingTools, section, sectionsOf, withSbin, words } from './probe.js';

/** A package as named in `name`: `pkg`, `pkg:arch`, `pkg=version`, `pkg:arch=version*`. */
export interface PackageSpec {
  /** as written */
  spec: string;
  name: string;
  arch?: string;
  version?: string;
}

/** One dpkg-query row. */
export interface DpkgRow {
  name: string;
  arch: string;
  /** the three status words: want, error flag, state (e.g. install ok installed) */
  status: string;
  version: string;
}

/** Installed and candidate version from apt-cache policy ('(none)' becomes undefined). */
export interface Policy {
  installed?: string;
  candidate?: string;
}

/** Everything one apt probe can read. */
export interface AptState {
  missing: string[];
  /** mtime (epoch s) of the last successful update, when known */
  stamp?: number;
  /** the host's clock (epoch s) */
  now?: number;
  rows: DpkgRow[];
  policy: Map<string, Policy>;
  /** the .deb's package and version, and that package's installed version */
  deb?: { name: string; version: string; installed?: string };
  /** the .deb file is missing or unreadable */
  debMissing?: boolean;
  /** packages `apt-get -s upgrade/dist-upgrade` would install or upgrade */
  upgrades?: number;
  /** packages `apt-get -s autoremove` would remove */
  removable?: number;
}

/** Parses `pkg[:arch][=version]`. */
export function parseSpec(spec: string): PackageSpec {
  const eq = spec.indexOf('=');
  const head = eq < 0 ? spec : spec.slice(0, eq);
  const version = eq < 0 ? undefined : spec.slice(eq + 1);
  const colon = head.indexOf(':');
  return { spec, name: colon < 0 ? head : head.slice(0, colon), arch: colon < 0 ? undefined : head.slice(colon + 1), version };
}

/** The package names (with arch) a probe asks about. */
export function specsOf(a: Args): PackageSpec[] {
  return (Array.isArray(a.name) ? a.name : []).map((n) => parseSpec(String(n).trim())).filter((s) => s.name !== '');
}

const ENV = sh`LC_ALL=C; export LC_ALL`;
const FORMAT = '${Package}\\t${Architecture}\\t${Status}\\t${Version}\\n';

/** Whether the candidates must be read (state=latest). */
const wantsPolicy = (a: Args) => a.state === 'latest';

/** The upgrade mode: no, safe or dist (Ansible's yes/full/dist spelled either way). */
export function upgradeMode(v: unknown): 'no' | 'safe' | 'dist' {
  const s = String(v ?? 'no').toLowerCase();
  if (['yes', 'true', 'safe'].includes(s)) return 'safe';
  if (['full', 'dist'].includes(s)) return 'dist';
  return 'no';
}

/** The probe script; `after` is true for the re-read after a cache update (tools and age already known). */
export function probeApt(a: Args, after = false): Script {
  const specs = specsOf(a);
  const names = specs.map((s) => (s.arch ? `${s.name}:${s.arch}` : s.name));
  const parts: Script[] = [ENV];
  if (!after) {
    parts.push(section('tools', missingTools(['apt-get', 'apt-cache', 'dpkg-query'])));
    parts.push(section('stamp', sh`stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null`));
    parts.push(section('now', sh`date +%s`));
  }
  if (names.length) parts.push(section('dpkg', sh`dpkg-query -W -f ${FORMAT} ${names} 2>/dev/null`));
  if (names.length && wantsPolicy(a)) {
    const release = typeof a.default_release === 'string' && a.default_release ? ['-o', `APT::Default-Release=${a.default_release}`] : [];
    parts.push(section('policy', sh`apt-cache ${release} policy ${names} 2>/dev/null`));
  }
  if (typeof a.deb === 'string' && a.deb) {
    parts.push(
      section(
        'deb',
        sh`if p=$(dpkg-deb -f ${a.deb} Package) && v=$(dpkg-deb -f ${a.deb} Version); then
printf '%s\\t%s\\t' "$p" "$v"; dpkg-query -W -f '\${Status}\\t\${Version}' "$p" 2>/dev/null; echo
else false; fi`,
      ),
    );
  }
  const mode = upgradeMode(a.upgrade);
  if (mode !== 'no') {
    const verb = mode === 'dist' ? 'dist-upgrade' : 'upgrade';
    parts.push(section('upgrades', sh`apt-get -s -q -o Debug::NoLocking=1 ${verb} 2>/dev/null | grep -c '^Inst '`));
  }
  if (a.autoremove === true && !names.length) {
    parts.push(section('removable', sh`apt-get -s -q -o Debug::NoLocking=1 autoremove 2>/dev/null | grep -c '^Remv '`));
  }
  return withSbin(join(parts));
}

/** Pure: dpkg-query rows. */
export function parseRows(text: string): DpkgRow[] {
  return text
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length >= 4 && f[0])
    .map(([name, arch, status, version]) => ({ name, arch, status, version }));
}

/** Pure: apt-cache policy blocks, by package name (an `:arch` suffix kept as printed). */
export function parsePolicy(text: string): Map<string, Policy> {
  const out = new Map<string, Policy>();
  let cur: Policy | undefined;
  const val = (s: string) => (s === '(none)' ? undefined : s);
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) out.set(head[1], (cur = {}));
    const m = /^\s+(Installed|Candidate):\s*(\S+)/.exec(line);
    if (m && cur) {
      if (m[1] === 'Installed') cur.installed = val(m[2]);
      else cur.candidate = val(m[2]);
    }
  }
  return out;
}

const num = (t: string | undefined): number | undefined => {
  const n = Number((t ?? '').trim());
  return (t ?? '').trim() !== '' && Number.isFinite(n) ? n : undefined;
};

/** Pure: probe output -> state. */
export function parseApt(stdout: string): AptState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const deb = s.get('deb');
  let parsedDeb: AptState['deb'];
  if (deb && deb.rc === 0) {
    const [name, version, status, installed] = deb.text.replace(/\n$/, '').split('\t');
    const isIn = status !== undefined && isInstalledStatus(status);
    parsedDeb = { name, version, installed: isIn ? installed : undefined };
  }
  return {
    missing: words(s.get('tools')),
    stamp: num(s.get('stamp')?.text),
    now: num(s.get('now')?.text),
    rows: parseRows(s.get('dpkg')?.text ?? ''),
    policy: parsePolicy(s.get('policy')?.text ?? ''),
    deb: parsedDeb,
    debMissing: deb !== undefined && deb.rc !== 0,
    upgrades: num(s.get('upgrades')?.text),
    removable: num(s.get('removable')?.text),
  };
}

/** Whether a dpkg status means the package is installed (configured, or only waiting for triggers). */
export function isInstalledStatus(status: string): boolean {
  const state = status.trim().split(/\s+/)[2] ?? '';
  return ['installed', 'triggers-awaited', 'triggers-pending'].includes(state);
}

/** Operating system facts: kernel (uname), distribution (os-release, debian_version), package manager. */
import type { Vars } from '../modules/types.js';
import { keyValues, lines, type Sections } from './sections.js';

// os-release ID -> the distribution name Ansible reports (Raspberry Pi OS 32-bit says "raspbian"; Ansible calls it Debian).
const DISTRIBUTIONS: Record<string, string> = {
  debian: 'Debian',
  raspbian: 'Debian',
  ubuntu: 'Ubuntu',
  linuxmint: 'Linux Mint',
  pop: 'Pop!_OS',
  kali: 'Kali',
  devuan: 'Devuan',
  neon: 'KDE neon',
  alpine: 'Alpine',
  fedora: 'Fedora',
  centos: 'CentOS',
  rhel: 'RedHat',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  arch: 'Archlinux',
  manjaro: 'Manjaro',
  gentoo: 'Gentoo',
  sles: 'SLES',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
};

const FAMILIES: Record<string, string[]> = {
  Debian: ['Debian', 'Ubuntu', 'Linux Mint', 'Pop!_OS', 'Kali', 'Devuan', 'KDE neon'],
  RedHat: ['RedHat', 'Fedora', 'CentOS', 'Rocky', 'AlmaLinux', 'OracleLinux', 'Amazon'],
  Suse: ['SLES', 'openSUSE Leap', 'openSUSE Tumbleweed'],
  Archlinux: ['Archlinux', 'Manjaro'],
  Gentoo: ['Gentoo'],
  Alpine: ['Alpine'],
};

const PKG_MGRS: Record<string, string> = { 'apt-get': 'apt', dnf: 'dnf', yum: 'yum', zypper: 'zypper', apk: 'apk', pacman: 'pacman' };

/** Parses os-release text (shell-style `KEY=value`, values optionally quoted). */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of keyValues(text)) {
    const m = /^"(.*)"$/.exec(v) ?? /^'(.*)'$/.exec(v);
    out.set(k, m ? m[1].replace(/\\(["$`\\])/g, '$1') : v);
  }
  return out;
}

/** Kernel and distribution facts. */
export function osFacts(s: Sections): Vars {
  const uname = s('uname')
    .split('\n')
    .map((l) => l.trim());
  const [system, kernel, kernelVersion, machine] = [uname[0] || 'Linux', uname[2] ?? '', uname[3] ?? '', uname[4] ?? ''];
  const rel = parseOsRelease(s('os_release'));
  const id = rel.get('ID') ?? '';
  const distribution = DISTRIBUTIONS[id] ?? rel.get('NAME') ?? (system || 'NA');
  const isDebian = id === 'debian' || id === 'raspbian';
  const debianVersion = s('debian_version').trim();
  // Debian's point release lives in /etc/debian_version ("12.11"); os-release only says "12".
  const version = (isDebian && /^\d+(\.\d+)*$/.test(debianVersion) ? debianVersion : rel.get('VERSION_ID')) ?? 'NA';
  const release =
    rel.get('VERSION_CODENAME') ||
    rel.get('UBUNTU_CODENAME') ||
    /\(([^)]+)\)/.exec(rel.get('VERSION') ?? '')?.[1] ||
    (isDebian ? /^([a-z]+)\/sid$/.exec(debianVersion)?.[1] : undefined) ||
    'NA';
  const family = Object.entries(FAMILIES).find(([, names]) => names.includes(distribution))?.[0] ?? distribution;
  const pkg = lines(s('pkg_mgr'))[0];
  return {
    system,
    kernel,
    kernel_version: kernelVersion,
    architecture: machine,
    machine,
    distribution,
    distribution_version: version,
    distribution_major_version: version === 'NA' ? 'NA' : version.split('.')[0],
    distribution_minor_version: /^\d+\.(\d+)/.exec(version)?.[1] ?? 'NA',
    distribution_release: release,
    os_family: family,
    dpkg_architecture: lines(s('dpkg_architecture'))[0] ?? null,
    pkg_mgr: pkg ? (PKG_MGRS[pkg] ?? pkg) : 'unknown',
  };
}

/** hostname, fqdn, domain from the kernel's node name and what the resolver says about it. */
export function nameFacts(s: Sections): Vars {
  const nodename = s('uname').split('\n')[1]?.trim() ?? '';
  const answer = lines(s('fqdn'))[0] ?? '';
  // `getent hosts` prints "ADDRESS NAME ALIASES"; `hostname -f` prints the name alone.
  const words = answer.split(/\s+/).filter(Boolean);
  const candidates = words.length > 1 && /^[0-9a-f.:]+$/i.test(words[0]) ? words.slice(1) : words;
  const fqdn = candidates.find((w) => w.includes('.')) ?? candidates[0] ?? nodename;
  const hostname = nodename.split('.')[0];
  const dot = fqdn.indexOf('.');
  return { hostname, nodename, fqdn, domain: dot > 0 ? fqdn.slice(dot + 1) : '' };
}

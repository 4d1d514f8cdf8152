/**
 * apt's decisions, all pure: whether the cache is stale, which named packages need installing or removing,
 * and the apt-get command lines that do it (non-interactive, keeping changed config files by default).
 */
import { sh, type Script } from '../../command.js';
import type { Args, Plan, Step, Vars } from '../types.js';
import { isInstalledStatus, specsOf, upgradeMode, type AptState, type DpkgRow, type PackageSpec } from './apt-state.js';
import { compareDebVersions } from './apt-version.js';
import { cmd, withSbin, type Word } from './probe.js';

/** Pure: whether the cache must be updated (update_cache, or cache_valid_time alone, and the cache is older than allowed). */
export function cacheNeedsUpdate(a: Args, s: Pick<AptState, 'stamp' | 'now'>): boolean {
  const valid = typeof a.cache_valid_time === 'number' ? a.cache_valid_time : 0;
  if (a.update_cache !== true && valid <= 0) return false;
  if (valid > 0 && s.stamp !== undefined && s.now !== undefined) return s.stamp + valid < s.now;
  return true;
}

/** Pure: whether a version matches a wanted one (`*` and `?` glob, as Ansible's fnmatch). */
export function versionMatches(have: string, want: string): boolean {
  const re = new RegExp(
    `^${want
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(have);
}

function rowFor(spec: PackageSpec, rows: DpkgRow[], purge: boolean): DpkgRow | undefined {
  return rows.find(
    (r) =>
      r.name === spec.name &&
      (!spec.arch || r.arch === spec.arch || r.arch === 'all') &&
      (isInstalledStatus(r.status) || (purge && /config-files/.test(r.status))),
  );
}

/** Pure: the specs that need an install (present/latest) or a removal (absent). */
export function packagesToChange(a: Args, s: AptState): { install: string[]; remove: string[] } {
  const install: string[] = [];
  const remove: string[] = [];
  for (const spec of specsOf(a)) {
    const row = rowFor(spec, s.rows, a.state === 'absent' && a.purge === true);
    if (a.state === 'absent') {
      if (row && (!spec.version || versionMatches(row.version, spec.version))) remove.push(spec.arch ? `${spec.name}:${spec.arch}` : spec.name);
      continue;
    }
    if (!row) {
      if (a.only_upgrade !== true) install.push(spec.spec);
    } else if (spec.version) {
      if (!versionMatches(row.version, spec.version)) install.push(spec.spec);
    } else if (a.state === 'latest') {
      const p = s.policy.get(spec.arch ? `${spec.name}:${spec.arch}` : spec.name) ?? s.policy.get(spec.name);
      // an older candidate (a pin, a downgraded repository) is not an upgrade: apt would not install it
      if (p?.candidate && compareDebVersions(p.candidate, row.version) > 0) install.push(spec.spec);
    }
  }
  return { install, remove };
}

/** apt-get with the environment and options every call shares. */
export function aptGet(a: Args, ...words: Word[]): Script {
  const dpkg = String(a.dpkg_options ?? 'force-confdef,force-confold')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => ['-o', `Dpkg::Options::=--${o}`]);
  const recommends = typeof a.install_recommends === 'boolean' && ['-o', `APT::Install-Recommends=${a.install_recommends ? 'yes' : 'no'}`];
  const lock = typeof a.lock_timeout === 'number' && ['-o', `DPkg::Lock::Timeout=${a.lock_timeout}`];
  const release = typeof a.default_release === 'string' && a.default_release !== '' && ['-t', a.default_release];
  const line = cmd('apt-get', '-y', '-q', dpkg, lock, recommends, release, ...words);
  return withSbin(sh`DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LC_ALL=C ${line}`);
}

/** The cache update command. */
export function updateCommand(a: Args): Script {
  const lock = typeof a.lock_timeout === 'number' && ['-o', `DPkg::Lock::Timeout=${a.lock_timeout}`];
  return withSbin(sh`LC_ALL=C ${cmd('apt-get', '-q', lock, 'update')}`);
}

/** Load-time and run-time checks of the combination of arguments. */
export function aptProblem(a: Args): string | undefined {
  if (a.state === 'build-dep' || a.state === 'fixed') return `state=${a.state} is not supported by muster's apt module`;
  if (a.deb && a.state !== undefined && a.state !== 'present') return 'deb only supports state=present';
  if (a.state === 'latest' && specsOf(a).some((s) => s.version)) return 'version number inconsistent with state=latest';
  if (specsOf(a).some((s) => s.name === '*')) return 'name "*" is not supported: use upgrade: dist to upgrade every package';
  return undefined;
}

/** Pure: what apt must do once the cache is fresh. `cache` carries cache_updated/cache_update_time into the result. */
export function planApt(a: Args, s: AptState, cache: Vars): Plan {
  const problem = aptProblem(a);
  if (problem) return { kind: 'fail', msg: problem, data: cache };
  const tools = ['apt-get', 'dpkg-query'].filter((t) => s.missing.includes(t));
  if (tools.length) return { kind: 'fail', msg: `${tools.join(', ')} not found: this host does not use apt (a Debian-family system is needed)`, data: cache };
  const steps: Step[] = [];
  const allow = [a.allow_downgrade === true && '--allow-downgrades', a.allow_unauthenticated === true && '--allow-unauthenticated'];
  const autoremove = a.autoremove === true && '--auto-remove';
  const mode = upgradeMode(a.upgrade);
  if (mode !== 'no' && (s.upgrades ?? 1) > 0) {
    const verb = mode === 'dist' ? ['dist-upgrade'] : ['upgrade', '--with-new-pkgs'];
    steps.push({ exec: aptGet(a, allow, autoremove, ...verb), capture: true });
  }
  if (typeof a.deb === 'string' && a.deb) {
    if (s.debMissing || !s.deb) return { kind: 'fail', msg: `cannot read the package file ${a.deb} on the host`, data: cache };
    if (s.deb.installed !== s.deb.version) {
      const path = a.deb.startsWith('/') || a.deb.startsWith('./') ? a.deb : `./${a.deb}`;
      steps.push({ exec: aptGet(a, allow, 'install', path), capture: true });
    }
  }
  const { install, remove } = packagesToChange(a, s);
  if (install.length) steps.push({ exec: aptGet(a, allow, a.only_upgrade === true && '--only-upgrade', autoremove, 'install', install), capture: true });
  if (remove.length) steps.push({ exec: aptGet(a, a.purge === true && '--purge', autoremove, 'remove', remove), capture: true });
  if (a.autoremove === true && !specsOf(a).length && (s.removable ?? 0) > 0) {
    steps.push({ exec: aptGet(a, a.purge === true && '--purge', 'autoremove'), capture: true });
  }
  if (!steps.length) return { kind: 'noop', reason: noopReason(a), data: cache };
  const what = [install.length && `install ${install.join(', ')}`, remove.length && `remove ${remove.join(', ')}`].filter(Boolean).join('; ');
  return { kind: 'change', steps, data: cache, msg: what || undefined };
}

function noopReason(a: Args): string {
  const names = specsOf(a).map((s) => s.spec);
  if (!names.length) return a.update_cache === true || a.cache_valid_time ? 'cache is up to date' : 'nothing to do';
  const state = a.state === 'absent' ? 'absent' : a.state === 'latest' ? 'at the latest version' : 'installed';
  return `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} ${state}`;
}

/**
 * `apt`: Debian packages installed, at the latest version, or removed; the cache refreshed when stale.
 * Round trips: one probe; when the cache must be updated, the update and (for latest/upgrade) a re-read of the
 * candidates; then one apt-get per kind of change.
 */
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult, Vars } from '../types.js';
import { aptProblem, cacheNeedsUpdate, planApt, updateCommand } from './apt-plan.js';
import { parseApt, probeApt, specsOf, upgradeMode, type AptState } from './apt-state.js';

/** apt's arguments (also used by `package` to fill in defaults when it hands over). */
export const aptArgs: ArgSpecs = {
  name: { type: 'list', elements: 'str', aliases: ['package', 'pkg'] },
  state: { type: 'str', choices: ['absent', 'build-dep', 'latest', 'present', 'fixed'], default: 'present' },
  update_cache: { type: 'bool', default: false, aliases: ['update-cache'] },
  cache_valid_time: { type: 'int', default: 0 },
  purge: { type: 'bool', default: false },
  autoremove: { type: 'bool', default: false },
  install_recommends: { type: 'bool', aliases: ['install-recommends'] },
  force_apt_get: { type: 'bool', default: false },
  deb: { type: 'path' },
  upgrade: { type: 'raw', default: 'no' },
  default_release: { type: 'str', aliases: ['default-release'] },
  dpkg_options: { type: 'str', default: 'force-confdef,force-confold' },
  allow_downgrade: { type: 'bool', default: false, aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'] },
  allow_unauthenticated: { type: 'bool', default: false, aliases: ['allow-unauthenticated'] },
  only_upgrade: { type: 'bool', default: false },
  lock_timeout: { type: 'int', default: 60 },
  autoclean: { type: 'bool', ignored: 'the package cache is left as apt keeps it (run apt-get autoclean with command: if it matters)' },
  clean: { type: 'bool', ignored: 'the package cache is left as apt keeps it (run apt-get clean with command: if it matters)' },
  policy_rc_d: { type: 'int', ignored: 'services start as their packages decide; stop them in a later task if needed' },
  fail_on_autoremove: { type: 'bool', ignored: 'apt-get decides what autoremove may remove' },
};

function validate(a: Args): string | undefined {
  const up = String(a.upgrade ?? 'no').toLowerCase();
  if (!['no', 'yes', 'safe', 'full', 'dist', 'true', 'false'].includes(up)) return `upgrade must be one of no, yes, safe, full, dist (got ${a.upgrade})`;
  return aptProblem(a);
}

/** Whether the state must be read again after a cache update (candidates and upgrade counts depend on it). */
function rereadAfterUpdate(a: Args): boolean {
  return a.state === 'latest' || upgradeMode(a.upgrade) !== 'no' || a.autoremove === true;
}

/** Only the cache was asked for: the update itself is the change. */
function cacheOnly(a: Args): boolean {
  return !specsOf(a).length && upgradeMode(a.upgrade) === 'no' && !a.deb && a.autoremove !== true;
}

/** Runs apt: probe, refresh the cache if needed, re-read, then apply the plan. */
export async function runApt(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const problem = validate(a);
  if (problem) return { changed: false, failed: true, msg: problem };
  let state: AptState = parseApt((await ctx.exec(probeApt(a))).stdout);
  const cache: Vars = { cache_updated: false, cache_update_time: state.stamp ?? 0 };
  if (cacheNeedsUpdate(a, state) && !state.missing.includes('apt-get')) {
    Object.assign(cache, { cache_updated: true, cache_update_time: state.now ?? 0 });
    if (!ctx.check) {
      const r = await ctx.exec(updateCommand(a));
      if (r.rc !== 0) {
        const why = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join('\n');
        return { changed: false, failed: true, msg: `Failed to update apt cache: ${why}`, data: { ...cache, cache_updated: false, rc: r.rc } };
      }
      if (rereadAfterUpdate(a)) {
        const again = parseApt((await ctx.exec(probeApt(a, true))).stdout);
        state = { ...again, missing: state.missing, stamp: state.now, now: state.now };
      }
    }
  }
  const plan = planApt(a, state, cache);
  if (plan.kind === 'noop' && cache.cache_updated === true && cacheOnly(a)) return { changed: true, msg: 'cache updated', data: cache };
  return apply(plan, ctx);
}

/** The `apt` module. */
export const apt: Module = { name: 'apt', args: aptArgs, checkMode: true, validate, run: runApt };

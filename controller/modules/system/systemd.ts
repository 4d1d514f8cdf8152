/** `systemd` (and its long name `systemd_service`): a unit's run state, enablement and mask, via systemctl. */
import { sh, join, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult } from '../types.js';
import { parseUnit, planUnit, unitProbe } from './units.js';

/** The systemd module's arguments (service passes the systemd-only ones through). */
export const SYSTEMD_ARGS: ArgSpecs = {
  name: { type: 'str', aliases: ['service', 'unit'] },
  state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
  enabled: { type: 'bool' },
  masked: { type: 'bool' },
  force: { type: 'bool', default: false },
  daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
  daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
  scope: { type: 'str', choices: ['system', 'user', 'global'], default: 'system' },
  no_block: { type: 'bool', default: false },
};

/** Cross-argument checks (Ansible's required_one_of / required_by), and the one scope muster supports. */
export function validateSystemd(a: Args): string | undefined {
  if (a.scope !== undefined && a.scope !== 'system') return `scope=${a.scope} is not supported by muster: only system units are managed`;
  const wants = ['state', 'enabled', 'masked'].filter((k) => a[k] !== undefined && a[k] !== null);
  if (wants.length && (a.name === undefined || a.name === '')) return `name is required with ${wants.join(', ')}`;
  if (!wants.length && a.daemon_reload !== true && a.daemon_reexec !== true) {
    return 'one of the following is required: state, enabled, masked, daemon_reload, daemon_reexec';
  }
  return undefined;
}

/** The probe for a unit; the daemon reload/reexec run first (never in check mode), so the unit is read fresh. */
export function systemdProbe(a: Args, check: boolean): Script {
  const first = [
    a.daemon_reexec === true && !check ? sh`systemctl daemon-reexec || exit 90` : undefined,
    a.daemon_reload === true && !check ? sh`systemctl daemon-reload || exit 91` : undefined,
  ].filter((s) => s !== undefined);
  return join([...first, a.name ? unitProbe(String(a.name)) : sh`:`]);
}

/** Runs systemd-style management: shared by `systemd`, `systemd_service` and `service` on systemd hosts. */
export async function runSystemd(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const problem = validateSystemd(a);
  if (problem) return { changed: false, failed: true, msg: problem };
  const out = await ctx.exec(systemdProbe(a, ctx.check));
  if (out.rc === 90 || out.rc === 91) {
    const what = out.rc === 90 ? 'daemon-reexec' : 'daemon-reload';
    return { changed: false, failed: true, msg: `systemctl ${what} failed: ${out.stderr.trim()}` };
  }
  if (!a.name) return { changed: false, data: { name: null } };
  return apply(planUnit(a, parseUnit(out.stdout), ctx.host), ctx);
}

/** The `systemd` module. */
export const systemd: Module = { name: 'systemd', args: SYSTEMD_ARGS, checkMode: true, validate: validateSystemd, run: runSystemd };

/** The same module under its fully spelled name. */
export const systemdService: Module = { ...systemd, name: 'systemd_service' };

/**
 * A play's `hosts:` written as a template (`{{ target | default('web') }}`) is rendered before the run and the
 * listing, as Ansible does: with the play's own variables and the extra vars, never a host's (no host is
 * chosen yet), so an undefined variable there is an error.
 */
import type { Vars } from '../modules/types.js';
import type { Play } from '../playbook/types.js';
import { isTemplated, renderString } from '../template/index.js';

/** The play's `hosts:` rendered (a list joined by commas); an unnamed play, named after it, takes the rendered name too. */
export function renderPlayHosts(play: Play, extraVars: Vars): Play {
  if (!isTemplated(play.hosts)) return play;
  const vars = { ...play.roleDefaults, ...play.vars, ...play.varsFiles, ...play.roleVars, ...extraVars };
  const v = renderString(play.hosts, vars, { pos: play.pos });
  const hosts = Array.isArray(v) ? v.map(String).join(',') : String(v);
  return { ...play, hosts, name: play.name === play.hosts ? hosts : play.name };
}

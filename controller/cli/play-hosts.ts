/**
 * A play's `hosts:` written as a template (`{{ target | default('web') }}`) is rendered before the run and the
 * listing, as Ansible does: with the play's own variables and the extra vars, never a host's (no host is
 * chosen yet), so an undefined variable there is an error.
 */
import { pyRepr } from '../expr/pystr.js';
import type { Vars } from '../modules/types.js';
import type { Play } from '../playbook/types.js';
import { isTemplated, renderString } from '../template/index.js';

/**
 * The play's `hosts:` rendered (a list joined by commas; a YAML list item by item); an unnamed play, named
 * after it, takes the rendered name too. A template that renders to a list gives one pattern per item.
 */
export function renderPlayHosts(play: Play, extraVars: Vars): Play {
  if (!isTemplated(play.hosts)) return play;
  const vars = { ...play.roleDefaults, ...play.vars, ...play.varsFiles, ...play.roleVars, ...extraVars };
  const render = (text: string): string[] | string => {
    if (!isTemplated(text)) return text;
    const v = renderString(text, vars, { pos: play.pos });
    return Array.isArray(v) ? v.map(String) : String(v);
  };
  const rendered = play.hostList ? play.hostList.flatMap(render) : render(play.hosts);
  const hosts = Array.isArray(rendered) ? rendered.join(',') : rendered;
  const hostList = Array.isArray(rendered) ? rendered : undefined;
  // an unnamed play takes its hosts: as text, so a single template that rendered to a list shows as Python's list
  const name = !play.hostList && hostList ? pyRepr(hostList) : hosts;
  return { ...play, hosts, hostList, name: play.name === play.hosts ? name : play.name };
}

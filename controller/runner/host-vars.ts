/** What a task sees of its host: every precedence layer merged with the magic names, and become. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Secret } from '../command.js';
import { toBool } from '../../shared/boolean.js';
import { groupsVar, hostOf } from '../inventory/index.js';
import type { Vars } from '../modules/types.js';
import { controllerInfoOnce } from './controller-info.js';
import type { PlayRun } from './play.js';
import { renderString } from '../template/index.js';
import { mergeVars } from './precedence.js';
import type { Scope } from './scope.js';
import type { HostState } from './state.js';

/** Variables for a host inside a scope: every precedence layer merged, magic names on top. */
export function hostVars(pr: PlayRun, s: HostState, scope: Scope): Vars {
  const inv = pr.deps.inventory;
  const entry = hostOf(inv, s.name);
  const inventoryVars = entry.vars;
  return mergeVars({
    roleDefaults: pr.play.roleDefaults,
    inventory: inventoryVars,
    facts: s.facts,
    playVars: pr.play.vars,
    varsFiles: pr.play.varsFiles,
    roleVars: pr.play.roleVars,
    scoped: scope.hostLayers ? [...scope.vars, ...scope.hostLayers.map((l) => l[s.name] ?? {})] : scope.vars,
    included: s.includedVars,
    hostVars: s.hostVars,
    roleParams: scope.roleParams,
    includeParams: scope.includeParams,
    extraVars: pr.opts.extraVars,
    magic: {
      inventory_hostname: s.name,
      inventory_hostname_short: s.name.split('.')[0],
      group_names: entry.groups.filter((g) => g !== 'all'),
      groups: groupsVar(inv),
      hostvars: hostvarsOf(pr),
      ansible_check_mode: pr.opts.check,
      ansible_diff_mode: pr.opts.diff,
      ansible_play_hosts: pr.playHosts.filter((h) => !pr.hosts.get(h)?.failed && !pr.hosts.get(h)?.unreachable),
      ansible_play_hosts_all: pr.playHosts,
      play_hosts: pr.playHosts,
      playbook_dir: pr.play.dir,
      ansible_play_name: pr.play.name,
      ansible_verbosity: pr.opts.verbosity,
      ansible_version: ANSIBLE_VERSION,
      ansible_run_tags: pr.opts.tags.length ? pr.opts.tags : ['all'],
      ansible_skip_tags: pr.opts.skipTags,
      ...inventoryPlace(pr.deps.inventory.source),
      muster_controller: controllerInfoOnce(),
      ...pr.play.roleNames,
      ...scope.roleMagic,
    },
  });
}

/**
 * The Ansible release whose playbook language muster follows: roles test `ansible_version.full` before
 * using a feature, and muster answers as the ansible-core its compatibility is measured against.
 */
export const ANSIBLE_VERSION = Object.freeze({ string: '2.14.0', full: '2.14.0', major: 2, minor: 14, revision: 0 });

// inventory_file and inventory_dir, when the inventory is a file or directory (not a host list)
function inventoryPlace(source: string): Vars {
  if (!source || (source.includes(',') && !existsSync(source))) return {};
  const file = resolve(source);
  return { inventory_file: file, inventory_dir: statSync(file, { throwIfNoEntry: false })?.isDirectory() ? file : dirname(file) };
}

/** `hostvars`: each host's inventory vars, facts and set_facts, computed on access. */
function hostvarsOf(pr: PlayRun): Vars {
  const out: Vars = {};
  for (const [name, entry] of pr.deps.inventory.hosts) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        const s = pr.hosts.get(name);
        return { ...entry.vars, ...(s?.facts ?? {}), ...(s?.includedVars ?? {}), ...(s?.hostVars ?? {}), inventory_hostname: name };
      },
    });
  }
  return out;
}

/** Become for a host: the scope's keyword, else ansible_become; the password from its vars, else -K. */
export function becomeFor(scope: Scope, vars: Vars, pr: PlayRun): { user: string; password?: Secret } | undefined {
  const flag = scope.becomeFlag;
  // a templated become (become: "{{ k3s_become }}") is rendered with the host's variables
  const on =
    typeof flag === 'string' ? toBool(renderString(flag, vars, { host: String(vars.inventory_hostname ?? '') })) : (flag ?? toBool(vars.ansible_become));
  if (!on) return undefined;
  const user = String(scope.becomeUser ?? vars.ansible_become_user ?? 'root');
  const pw = vars.ansible_become_password ?? vars.ansible_become_pass;
  const password = pw !== undefined && pw !== null ? new Secret(String(pw)) : pr.opts.becomePassword;
  if (password) pr.secrets.add(password);
  return { user, password };
}

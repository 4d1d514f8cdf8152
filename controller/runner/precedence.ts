/**
 * Variable precedence, in one place. Lowest first; a later layer replaces a whole top-level name. The
 * numbers in brackets are those of Ansible's variable precedence list:
 *
 *  1. role defaults (roles/NAME/defaults/main.yml) [2]
 *  2. inventory: group vars by depth then name, then host vars; the exact order of inline vars,
 *     group_vars/ and host_vars/ (beside the inventory, then beside the playbook) is in inventory/merge.ts [3-10]
 *  3. facts (ansible_facts and the ansible_* names) [11]
 *  4. play vars [12]
 *  5. play vars_files [14]
 *  6. role vars (roles/NAME/vars/main.yml, and a roles: entry's vars:) [15]
 *  7. block vars, outer to inner, then task vars (and the loop variable) [16, 17]
 *  8. include_vars results [18]
 *  9. set_fact and register results [19]
 * 10. role parameters (`roles: [{role: x, foo: 1}]`, a dependency's too), outer role to inner [20]
 * 11. include parameters (include_role's vars:) [21]
 * 12. extra vars (-e) [22]
 *
 * Magic variables (inventory_hostname, groups, hostvars, role_name, ...) are set last and cannot be overridden.
 */
import type { Vars } from '../modules/types.js';

export interface Layers {
  roleDefaults: Vars;
  inventory: Vars;
  facts: Vars;
  playVars: Vars;
  varsFiles: Vars;
  roleVars: Vars;
  scoped: Vars[]; // block vars outer to inner, then task vars
  included?: Vars; // include_vars
  hostVars: Vars; // set_fact + register
  roleParams?: Vars[]; // outer to inner
  includeParams?: Vars[]; // outer to inner
  extraVars: Vars;
  magic: Vars;
}

/** Merges the layers in precedence order into the variables a task sees. */
export function mergeVars(l: Layers): Vars {
  return Object.assign(
    {},
    l.roleDefaults,
    l.inventory,
    l.facts,
    l.playVars,
    l.varsFiles,
    l.roleVars,
    ...l.scoped,
    l.included ?? {},
    l.hostVars,
    ...(l.roleParams ?? []),
    ...(l.includeParams ?? []),
    l.extraVars,
    l.magic,
  );
}

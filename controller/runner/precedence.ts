/**
 * Variable precedence, in one place. Lowest first; a later layer replaces a whole top-level name:
 *
 *  1. role defaults (roles/NAME/defaults/main.yml)
 *  2. inventory: group vars by depth then name, then host vars; the exact order of inline vars,
 *     group_vars/ and host_vars/ (beside the inventory, then beside the playbook) is in inventory/merge.ts
 *  3. facts (ansible_facts and the ansible_* names)
 *  4. play vars
 *  5. play vars_files
 *  6. role vars (roles/NAME/vars/main.yml)
 *  7. block vars, outer to inner, then task vars (and the loop variable)
 *  8. include_vars results
 *  9. set_fact and register results
 * 10. extra vars (-e)
 *
 * Magic variables (inventory_hostname, groups, hostvars, ...) are set last and cannot be overridden.
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
    l.extraVars,
    l.magic,
  );
}

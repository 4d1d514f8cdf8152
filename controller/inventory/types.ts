/** The loaded inventory: hosts, groups and their variables, as Ansible's YAML inventory describes them. */
import type { Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';

/** One host: its merged inventory variables and every group it belongs to. */
export interface InventoryHost {
  name: string;
  /** inventory-level variables, merged (group vars < host vars; see merge.ts for the order) */
  vars: Vars;
  /** every group the host is in, ancestors and `all` included, sorted by name ([] for the implicit localhost) */
  groups: string[];
}

/** One group as written: its direct hosts and child groups, and its own variables. */
export interface InventoryGroup {
  name: string;
  /** direct members, in inventory order (hosts of child groups are not repeated here) */
  hosts: string[];
  /** direct child groups, in the order they were declared */
  children: string[];
  /** the group's own variables: inline `vars:` then group_vars/ files (inventory side, then playbook side) */
  vars: Vars;
  /** where the group is first declared */
  pos?: Pos;
}

/** group_vars/ and host_vars/ read from one directory (beside the inventory, or beside the playbook). */
export interface VarsLayer {
  dir: string;
  groups: Map<string, Vars>;
  hosts: Map<string, Vars>;
}

/** The unmerged variable sources, kept so that another vars layer can be added and merged again. */
export interface VarsSources {
  /** inline `vars:` of each group (ansible_group_priority included) */
  groups: Map<string, Vars>;
  /** inline variables of each host (from every place the host is listed, later ones winning) */
  hosts: Map<string, Vars>;
  /** group_vars/host_vars layers, lowest first: the inventory's directory, then the playbook's */
  layers: VarsLayer[];
}

/** A whole inventory. Maps iterate in inventory order (hosts: first appearance in the file). */
export interface Inventory {
  /** the -i argument as given (a path or a comma-separated host list) */
  source: string;
  hosts: Map<string, InventoryHost>;
  /** `all` first, then `ungrouped`, then the other groups in order of first appearance */
  groups: Map<string, InventoryGroup>;
  /** things Ansible would warn about (unknown keys, vars files for unknown groups); callers print them */
  warnings: string[];
  /** set by loadInventory; an inventory built by hand has none and is taken as inline vars only */
  sources?: VarsSources;
}

/**
 * What a role puts in its tasks' variables besides defaults and vars: its parameters (precedence 20),
 * include_role's vars (21), and the magic names role_name, role_path and their kin, as Ansible 2.14 sets them.
 */
import type { Vars } from '../modules/types.js';
import type { TaskNode } from './types.js';

/** A collection role's name: namespace.collection.role. */
export const FQCN = /^([\w-]+)\.([\w-]+)\.([\w-]+)$/;

/**
 * Marks a node (and what it holds) as the role's: the role's parameters go under those the node already has
 * (a dependency's, or an included role's, are more specific), and the role's magic names go where no inner
 * role set them.
 */
export function inRoleOf(node: TaskNode, params: Vars, magic: Vars): TaskNode {
  const marked = { ...node, roleParams: { ...params, ...node.roleParams }, roleMagic: node.roleMagic ?? magic };
  if (marked.kind === 'task') return marked;
  const sub = (nodes: TaskNode[]) => nodes.map((n) => inRoleOf(n, params, magic));
  return { ...marked, block: sub(marked.block), rescue: sub(marked.rescue), always: sub(marked.always) };
}

/** include_role's vars on the included role's node (they outrank role parameters). */
export function withIncludeParams(node: TaskNode, params: Vars | undefined): TaskNode {
  return params && Object.keys(params).length ? { ...node, includeParams: { ...params, ...node.includeParams } } : node;
}

/** A role as its magic names show it: its name as written (`ns.coll.role` or a directory name) and its directory. */
export interface RoleRef {
  name: string;
  path: string;
}

/**
 * role_name, role_path and their kin for a role's tasks; a role imported or included from another role's
 * task file also gets that role as ansible_parent_role_names and _paths (one level: muster does not keep
 * the chain of includes above it).
 */
export function roleMagic(role: RoleRef, parent: RoleRef | undefined): Vars {
  const fq = FQCN.exec(role.name);
  const out: Vars = {
    role_name: fq ? fq[3] : role.name,
    role_path: role.path,
    ansible_role_name: role.name,
    ansible_collection_name: fq ? `${fq[1]}.${fq[2]}` : null,
  };
  if (parent) {
    out.ansible_parent_role_names = [parent.name];
    out.ansible_parent_role_paths = [parent.path];
  }
  return out;
}

/** The play-wide names of its roles: ansible_play_role_names (and role_names), ansible_role_names, ansible_dependent_role_names. */
export function roleNames(roles: { played: string[]; dependent: string[] }): Vars {
  const all = [...new Set([...roles.dependent, ...roles.played])];
  return { ansible_play_role_names: roles.played, role_names: roles.played, ansible_role_names: all, ansible_dependent_role_names: roles.dependent };
}

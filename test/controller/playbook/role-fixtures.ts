/** Role trees for the loader tests of roles: a role with one task, a site.yml naming roles, and what loads. */
import type { Task, TaskNode } from '../../../controller/playbook/types.js';

/** Every task of a tree that runs, flattened (blocks are the entries' keywords; list-only repeats are left out). */
export function flat(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => (n.kind === 'block' ? (n.listOnly ? [] : [...flat(n.block), ...flat(n.rescue), ...flat(n.always)]) : [n]));
}
export const names = (nodes: TaskNode[]) => flat(nodes).map((n) => `${n.role ?? ''} : ${n.name}`);
/** A role directory with one debug task, NAME task, and optionally a meta/main.yml. */
export const role = (name: string, meta?: string, extra: Record<string, unknown> = {}) => ({
  tasks: { 'main.yml': `- name: ${name} task\n  debug: msg=hi\n` },
  ...(meta === undefined ? {} : { meta: { 'main.yml': meta } }),
  ...extra,
});
/** A site.yml with one play naming ROLES. */
export const site = (roles: string) => ({ 'site.yml': `- hosts: all\n  roles: ${roles}\n` });

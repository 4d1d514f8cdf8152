/**
 * `module_defaults` on a play or a roles entry: arguments each task of a module gets unless it sets them
 * itself. Keys are module names (short or FQCN) or `group/NAME`, Ansible's action groups; muster knows
 * the `docker` group (every docker_* module). Defaults of modules or groups muster does not have are
 * ignored: no task can use them. Merged at load time; values are rendered per host like the task's own.
 */
import { setPos } from '../../shared/yaml.js';
import { checkArgNames } from '../modules/args.js';
import type { Module, Vars } from '../modules/types.js';
import { at, describe, isMapping, isTemplated, schemaError, type Mapping } from './fields.js';
import type { LoaderEnv } from './scope.js';
import type { TaskNode } from './types.js';

/** Action groups muster knows: which modules a `group/NAME` stands for. */
const GROUPS: Record<string, (module: string) => boolean> = {
  docker: (m) => m.startsWith('docker_'),
  'community.docker.docker': (m) => m.startsWith('docker_'),
};

/** Reads `module_defaults` (a mapping, or a list of mappings merged in order) of `obj`. */
export function moduleDefaults(obj: Mapping, key = 'module_defaults'): Record<string, Vars> {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  if (isTemplated(v))
    return schemaError('templated module_defaults are not supported yet', obj, key, 'write module_defaults as a mapping of module names to arguments');
  const parts = Array.isArray(v) ? v : [v];
  const out: Record<string, Vars> = {};
  parts.forEach((part, i) => {
    if (!isMapping(part))
      schemaError(
        `module_defaults must map module names to arguments, got ${describe(part)}`,
        Array.isArray(v) ? v : obj,
        Array.isArray(v) ? i : key,
        'write module_defaults: {apt: {update_cache: true}}',
      );
    for (const [name, args] of Object.entries(part as Mapping)) {
      if (!isMapping(args))
        schemaError(`module_defaults for ${name} must be a mapping of arguments, got ${describe(args)}`, part, name, `write ${name}: {ARG: VALUE}`);
      out[name] = { ...(out[name] ?? {}), ...(args as Vars) };
    }
  });
  return out;
}

/** The defaults that apply to a module (canonical name): its groups' first, then its own entries. */
export function defaultsFor(module: string, defaults: Record<string, Vars>, env: Pick<LoaderEnv, 'canonical'>): Vars {
  const fromGroups: Vars = {};
  const own: Vars = {};
  for (const [name, args] of Object.entries(defaults)) {
    if (name.startsWith('group/')) {
      if (GROUPS[name.slice('group/'.length)]?.(module)) Object.assign(fromGroups, args);
    } else if (env.canonical(name) === module) Object.assign(own, args);
  }
  return { ...fromGroups, ...own };
}

/** Tasks (and blocks, recursively) with the defaults merged under their arguments; names checked against each module. */
export function applyModuleDefaults<T extends TaskNode>(nodes: T[], defaults: Record<string, Vars>, env: Pick<LoaderEnv, 'canonical' | 'module'>): T[] {
  if (Object.keys(defaults).length === 0) return nodes;
  return nodes.map((node): T => {
    if (node.kind === 'block') {
      const sub = (ns: TaskNode[]) => applyModuleDefaults(ns, defaults, env);
      const include = node.include && { ...node.include, expand: (rel: string) => sub(node.include!.expand(rel)) };
      return { ...node, block: sub(node.block), rescue: sub(node.rescue), always: sub(node.always), ...(include ? { include } : {}) };
    }
    const add = defaultsFor(node.module, defaults, env);
    const module = env.module(node.module);
    if (!module || Object.keys(add).length === 0) return node;
    checkArgNames(module, add, { pos: node.pos, task: node.name });
    const set = new Set(Object.keys(node.args).map((k) => canonicalName(module, k)));
    const missing = Object.fromEntries(Object.entries(add).filter(([k]) => !set.has(canonicalName(module, k))));
    if (Object.keys(missing).length === 0) return node;
    const args = setPos({ ...missing, ...node.args }, at(node.args) ?? node.pos);
    return { ...node, args };
  });
}

/** An argument's own name when `name` is one of its aliases. */
function canonicalName(module: Module, name: string): string {
  if (name in module.args) return name;
  return Object.entries(module.args).find(([, spec]) => spec.aliases?.includes(name))?.[0] ?? name;
}

/**
 * Ansible modules muster does not implement: a playbook naming one still loads (and --syntax-check warns);
 * the task fails only on a host that reaches it. Names come from ansible-names.ts (generated).
 */
import { MusterError } from '../../shared/errors.js';
import { BUILTIN, ROUTED } from './ansible-names.js';
import type { Module } from './types.js';

let routes: Map<string, string> | undefined;
let builtin: Set<string> | undefined;

// short name -> fully qualified name, built on first use
function tables(): { builtin: Set<string>; routes: Map<string, string> } {
  if (!builtin || !routes) {
    builtin = new Set(BUILTIN.split(' '));
    routes = new Map();
    for (const [collection, names] of Object.entries(ROUTED)) {
      for (const entry of names.split(' ')) {
        const [old, renamed] = entry.split('=');
        routes.set(old, `${collection}.${renamed ?? old}`);
      }
    }
  }
  return { builtin, routes };
}

const FQCN = /^[a-z0-9_]+\.[a-z0-9_]+\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;

/**
 * The fully qualified name of an Ansible module as written (`dnf`, `k8s`, `community.general.zfs`), or
 * undefined when Ansible would not know it either. Any `namespace.collection.module` counts, except in
 * ansible.builtin/ansible.legacy, whose names are known (the bare names, redirects included).
 */
export function ansibleModule(written: string): string | undefined {
  const { builtin, routes } = tables();
  // ansible.builtin.NAME and ansible.legacy.NAME resolve as the bare NAME does, redirects to collections included
  const core = /^ansible\.(?:builtin|legacy)\.(.+)$/.exec(written);
  if (core) return builtin.has(core[1]) ? `ansible.builtin.${core[1]}` : routes.get(core[1]);
  if (FQCN.test(written)) return written;
  if (builtin.has(written)) return `ansible.builtin.${written}`;
  return routes.get(written);
}

/** What to say when a host reaches a task whose module muster lacks. */
export function notImplementedError(written: string, where: { host?: string; task?: string }): MusterError {
  const fqcn = ansibleModule(written) ?? written;
  return new MusterError('E_MODULE', `module ${written}${fqcn !== written ? ` (${fqcn})` : ''} is not implemented by muster`, {
    ...where,
    hint: 'guard the task with when: so that muster hosts skip it, or do the same with a module muster has (docs/modules.md lists them)',
  });
}

/** The loader's stand-in for such a module: any arguments, checked by nobody; the runner refuses to run it. */
export function notImplementedModule(written: string): Module {
  return {
    name: written,
    // k=v words are arguments; free words are kept as text (Ansible's modules decide what they mean)
    args: { _raw_params: { type: 'raw' } },
    freeArgs: true,
    local: true,
    checkMode: true,
    async run() {
      throw notImplementedError(written, {});
    },
  };
}

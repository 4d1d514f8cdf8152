/** Every module muster knows, by short name, and the collection prefixes that may stand before it. */
import { modules as commands } from './commands/index.js';
import { modules as control } from './control/index.js';
import { modules as docker } from './docker/index.js';
import { modules as files } from './files/index.js';
import { modules as fleet } from './fleet/index.js';
import { modules as security } from './security/index.js';
import { modules as sources } from './sources/index.js';
import { modules as system } from './system/index.js';
import type { Module } from './types.js';

const registry = new Map<string, Module>([...commands, ...files, ...system, ...sources, ...security, ...docker, ...control, ...fleet].map((m) => [m.name, m]));

const prefixes = ['ansible.builtin.', 'ansible.legacy.', 'community.general.', 'ansible.posix.', 'community.docker.', 'community.crypto.'];

/** Short module name for a name as written (`ansible.builtin.copy` -> `copy`), or undefined if unknown. */
export function canonicalModuleName(written: string): string | undefined {
  const short = prefixes.reduce((n, p) => (n.startsWith(p) ? n.slice(p.length) : n), written);
  return registry.has(short) ? short : undefined;
}

/** The module for a canonical name. */
export function getModule(name: string): Module | undefined {
  return registry.get(name);
}

/** All module names, for "did you mean" hints and the docs page. */
export function moduleNames(): string[] {
  return [...registry.keys()].sort();
}

/** Every registered module (the docs page lists them). */
export const allModules = (): Module[] => [...registry.values()];

/** Loading playbooks against muster's module registry (the loader itself takes its lookups as arguments). */
import { canonicalModuleName, getModule, moduleNames } from '../modules/index.js';
import { loadPlaybookWith, type LoadOptions } from './loader.js';
import type { Playbook } from './types.js';

export { parseKv } from './kv.js';
export type { LoadOptions } from './loader.js';

/** Loads and checks a playbook and everything it imports. Throws MusterError with file:line:col. */
export function loadPlaybook(path: string, opts: LoadOptions = {}): Playbook {
  return loadPlaybookWith(path, {
    ...opts,
    modules: opts.modules ?? getModule,
    canonical: opts.canonical ?? canonicalModuleName,
    moduleNames: opts.moduleNames ?? moduleNames,
  });
}

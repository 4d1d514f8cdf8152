/** setup (and gather_facts): gathers the host's facts in one round trip. */
import { asAnsibleVars } from '../../facts/index.js';
import type { Args, ModuleResult, Vars } from '../types.js';
import type { ControlModule } from './spec.js';

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`);
}

/** Pure: the facts whose names (with or without the `ansible_` prefix) match one of the glob patterns. */
export function filterFacts(facts: Vars, patterns: string[]): Vars {
  if (patterns.length === 0) return facts;
  const res = patterns.map(globToRegExp);
  return Object.fromEntries(Object.entries(facts).filter(([name]) => res.some((re) => re.test(name) || re.test(`ansible_${name}`))));
}

/** Pure: the setup result from gathered facts (as ctx.gatherFacts returns them) and the filter argument. */
export function setupResult(gathered: Vars, args: Args): ModuleResult {
  const all = (gathered.ansible_facts ?? {}) as Vars;
  const patterns = Array.isArray(args.filter) ? args.filter.map(String) : [];
  const kept = filterFacts(all, patterns);
  return { changed: false, facts: asAnsibleVars(kept), data: { ansible_facts: kept } };
}

/** The setup module. */
export const setup: ControlModule = {
  name: 'setup',
  summary: 'Gathers facts (OS, CPU, memory, network, mounts, cgroups, Pi model) in one round trip; `filter` keeps matching names.',
  args: {
    filter: { type: 'list', elements: 'str', default: [] },
    // every fact costs about the same single round trip, so subsets are accepted and all facts gathered
    gather_subset: { type: 'list', elements: 'str', default: ['all'] },
    gather_timeout: { type: 'int', default: 10 },
    fact_path: { type: 'path' },
  },
  checkMode: true,
  async run(args, ctx) {
    return setupResult(await ctx.gatherFacts(), args);
  },
};

/** ansible.builtin.gather_facts: the same as setup. */
export const gatherFacts: ControlModule = {
  ...setup,
  name: 'gather_facts',
  summary: "The same as setup (Ansible's gather_facts action); `parallel` is accepted.",
  args: { ...setup.args, parallel: { type: 'bool' } },
};

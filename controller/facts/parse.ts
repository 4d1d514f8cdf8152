/** Turns the facts script's output into Ansible-shaped facts. Pure. */
import type { Vars } from '../modules/types.js';
import { cgroupFacts } from './cgroups.js';
import { cpuFacts, memoryFacts, uptimeFacts } from './hardware.js';
import { mountFacts } from './mounts.js';
import { localFacts } from './local.js';
import { networkFacts } from './network.js';
import { dmiFacts, dnsFacts, envFacts, lsbFacts, pythonFacts, securityFacts, sshHostKeyFacts } from './platform.js';
import { nameFacts, osFacts } from './os.js';
import { splitSections } from './sections.js';
import { cmdlineFacts, dateTimeFacts, piModelFacts, serviceMgr, userFacts, virtualizationFacts } from './system.js';

/** The facts by their short names (`distribution`, `memtotal_mb`...). */
export function factsFromOutput(out: string): Vars {
  const s = splitSections(out);
  const os = osFacts(s);
  return {
    ...nameFacts(s),
    ...os,
    ...cpuFacts(s),
    ...memoryFacts(s),
    ...uptimeFacts(s),
    ...networkFacts(s),
    ...mountFacts(s),
    service_mgr: serviceMgr(s),
    ...virtualizationFacts(s),
    ...userFacts(s),
    ...dateTimeFacts(s),
    ...cmdlineFacts(s),
    ...piModelFacts(s),
    ...cgroupFacts(s),
    ...dnsFacts(s),
    ...envFacts(s),
    ...securityFacts(s, String(os.machine)),
    ...lsbFacts(s),
    ...pythonFacts(s),
    ...sshHostKeyFacts(s),
    ...dmiFacts(s),
    ...localFacts(s('local')),
    gather_subset: ['all'],
    module_setup: true,
  };
}

/** `{ ansible_facts: {name: value}, ansible_<name>: value }`, as Ansible exposes gathered facts. */
export function parseFacts(out: string): Vars {
  return asAnsibleVars(factsFromOutput(out));
}

/** Wraps short-named facts the way Ansible exposes them: under `ansible_facts` and as `ansible_<name>`. */
export function asAnsibleVars(facts: Vars): Vars {
  const vars: Vars = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) vars[`ansible_${k}`] = v;
  return vars;
}

/** `group`: a local group exists (with a given gid) or not, through getent/groupadd/groupmod/groupdel. */
import { sh } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule } from '../types.js';
import { missingToolsMsg, parseGroup, type GroupEntry } from './accounts.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words } from './probe.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  gid: { type: 'int' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  system: { type: 'bool', default: false },
  non_unique: { type: 'bool', default: false },
  force: { type: 'bool', default: false },
};

/** What the probe found. */
export interface GroupState {
  missing: string[];
  group?: GroupEntry;
}

/** Pure: what to do about the group. */
export function planGroup(a: Args, s: GroupState): Plan {
  const name = String(a.name);
  const gid = typeof a.gid === 'number' ? a.gid : undefined;
  const data = { name, state: a.state, system: a.system, gid: gid ?? s.group?.gid };
  const need = (tool: string): Plan | undefined => (s.missing.includes(tool) ? { kind: 'fail', msg: missingToolsMsg([tool]) } : undefined);
  if (a.state === 'absent') {
    if (!s.group) return { kind: 'noop', reason: `group ${name} is absent`, data };
    return need('groupdel') ?? { kind: 'change', steps: [{ exec: withSbin(cmd('groupdel', a.force === true && '-f', name)) }], data };
  }
  const unique = a.non_unique ? '-o' : false;
  if (!s.group) {
    const add = cmd('groupadd', gid !== undefined && ['-g', gid, unique], a.system === true && '-r', name);
    return need('groupadd') ?? { kind: 'change', steps: [{ exec: withSbin(add) }], data };
  }
  if (gid !== undefined && gid !== s.group.gid) {
    return need('groupmod') ?? { kind: 'change', steps: [{ exec: withSbin(cmd('groupmod', '-g', gid, unique, name)) }], data };
  }
  return { kind: 'noop', reason: `group ${name} exists${gid === undefined ? '' : ` with gid ${gid}`}`, data };
}

const groupPlanned: PlannedModule<GroupState> = {
  name: 'group',
  args,
  checkMode: true,
  probe: (a) => withSbin(section('tools', missingTools(['getent', 'groupadd', 'groupmod', 'groupdel'])), section('group', sh`getent group ${String(a.name)}`)),
  parse(out) {
    const s = sectionsOf(out);
    const missing = words(s.get('tools'));
    if (missing.includes('getent')) return { missing };
    return { missing, group: parseGroup(s.get('group')?.text ?? '') };
  },
  plan(a, s) {
    if (s.missing.includes('getent')) return { kind: 'fail', msg: missingToolsMsg(['getent']) };
    return planGroup(a, s);
  },
};

/** The `group` module. */
export const group = planned(groupPlanned);

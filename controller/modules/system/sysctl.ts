/** `sysctl`: a kernel parameter set in a sysctl file (edited here, in TypeScript) and, if asked, in the running kernel. */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { missingTools, section, sectionsOf, withSbin, words, cmd } from './probe.js';
import { replaceFile } from './replace.js';
import { fileValue, sameValue, setSysctl, sysctlValue } from './sysctl-file.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true, aliases: ['key'] },
  value: { type: 'str', aliases: ['val'] },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  reload: { type: 'bool', default: true },
  sysctl_file: { type: 'path', default: '/etc/sysctl.conf' },
  sysctl_set: { type: 'bool', default: false },
  ignoreerrors: { type: 'bool', default: false },
};

/** What the probe found. */
export interface SysctlState {
  missing: string[];
  /** the file's text ('' when it does not exist) */
  file: string;
  /** the running value (when sysctl_set asked for it) */
  live?: string;
}

function validate(a: Args): string | undefined {
  if (a.state !== 'absent' && (a.value === undefined || a.value === null)) return 'value is required when state is present';
  return undefined;
}

/** The probe: sysctl's presence, the file, and the live value when it matters. */
export function probeSysctl(a: Args): Script {
  const name = String(a.name).trim();
  const parts = [section('tools', missingTools(['sysctl'])), section('file', sh`cat ${String(a.sysctl_file)} 2>/dev/null`)];
  if (a.sysctl_set === true && a.state !== 'absent') parts.push(section('live', sh`sysctl -e -n ${name} 2>/dev/null`));
  return withSbin(...parts);
}

/** Pure: probe output -> state. */
export function parseSysctl(stdout: string): SysctlState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const live = s.get('live');
  return { missing: words(s.get('tools')), file: s.get('file')?.text ?? '', live: live ? live.text.trim() : undefined };
}

/** Pure: what to do. */
export function planSysctl(a: Args, s: SysctlState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const name = String(a.name).trim();
  const file = String(a.sysctl_file);
  const present = a.state !== 'absent';
  const value = present ? sysctlValue(a.value) : undefined;
  const current = fileValue(s.file, name);
  const write = present ? !sameValue(current, value as string) : current !== undefined;
  const setLive = present && a.sysctl_set === true && !sameValue(s.live, value as string);
  const data = { name, value: value ?? null, state: a.state, sysctl_file: file };
  if (!write && !setLive) {
    return { kind: 'noop', reason: present ? `${name} is already ${value}` : `${name} is not set in ${file}`, data };
  }
  const reload = write && a.reload !== false;
  if ((setLive || reload) && s.missing.includes('sysctl')) return { kind: 'fail', msg: 'sysctl not found on the host (Debian: the "procps" package)' };
  const steps: Step[] = [];
  if (setLive) steps.push({ exec: withSbin(cmd('sysctl', '-w', `${name}=${value}`)) });
  const after = write ? setSysctl(s.file, name, value) : s.file;
  if (write) steps.push({ exec: replaceFile(file, '0644'), stdin: after });
  if (reload) steps.push({ exec: withSbin(cmd('sysctl', a.ignoreerrors === true && '-e', '-p', file)) });
  const diff = write ? [{ path: file, before: s.file, after }] : undefined;
  return { kind: 'change', steps, diff, data };
}

const sysctlPlanned: PlannedModule<SysctlState> = {
  name: 'sysctl',
  args,
  checkMode: true,
  validate,
  probe: probeSysctl,
  parse: (out) => parseSysctl(out.stdout),
  plan: planSysctl,
};

/** The `sysctl` module. */
export const sysctl = planned(sysctlPlanned);

/** `pam_limits`: one limit in /etc/security/limits.conf (or `dest`), edited here in TypeScript. */
import { join, sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { backupPath, backupStep, fileSection, fileText, stampSection } from './config-files.js';
import { checkLimitValue, LIMIT_ITEMS, setLimit, type WantedLimit } from './limits-file.js';
import { section, sectionsOf } from './probe.js';
import { replaceFile } from './replace.js';

const args: ArgSpecs = {
  domain: { type: 'str', required: true },
  limit_type: { type: 'str', required: true, choices: ['hard', 'soft', '-'] },
  limit_item: { type: 'str', required: true, choices: LIMIT_ITEMS },
  value: { type: 'str', required: true },
  use_max: { type: 'bool', default: false },
  use_min: { type: 'bool', default: false },
  backup: { type: 'bool', default: false },
  dest: { type: 'path', default: '/etc/security/limits.conf' },
  comment: { type: 'str', default: '' },
};

/** What the probe found. */
export interface LimitsState {
  /** the file's text; undefined when it does not exist */
  file?: string;
  /** the file's directory exists */
  dir: boolean;
  stamp: string;
}

function validate(a: Args): string | undefined {
  if (a.use_max === true && a.use_min === true) return 'use_max and use_min are mutually exclusive: give one of them';
  return checkLimitValue(String(a.limit_item), String(a.value).trim());
}

const dirOf = (path: string) => path.slice(0, Math.max(path.lastIndexOf('/'), 1));

/** The probe: the file, whether its directory exists, and a backup stamp. */
export function probeLimits(a: Args): Script {
  const dest = String(a.dest);
  return join([fileSection('file', dest), section('dir', sh`[ -d ${dirOf(dest)} ] && echo yes`), stampSection()]);
}

/** Pure: probe output -> state. */
export function parseLimits(stdout: string): LimitsState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return { file: fileText(s.get('file'), 'the limits file'), dir: s.get('dir')?.text.trim() === 'yes', stamp: s.get('stamp')?.text ?? '' };
}

/** Pure: what to do. */
export function planLimits(a: Args, s: LimitsState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const dest = String(a.dest);
  if (s.file === undefined && !s.dir) return { kind: 'fail', msg: `directory ${dirOf(dest)} does not exist: create it first, or give another dest` };
  const w: WantedLimit = {
    domain: String(a.domain).trim(),
    type: String(a.limit_type),
    item: String(a.limit_item),
    value: String(a.value).trim(),
    useMax: a.use_max === true,
    useMin: a.use_min === true,
    comment: String(a.comment ?? ''),
  };
  const before = s.file ?? '';
  const { text: after, found } = setLimit(before, w);
  const what = `${w.domain} ${w.type} ${w.item}`;
  const data: Record<string, unknown> = { dest };
  if (after === before && s.file !== undefined) return { kind: 'noop', reason: `${what} is already ${found[found.length - 1]} in ${dest}`, data };
  const steps: Step[] = [];
  if (a.backup === true && s.file !== undefined) {
    data.backup_file = backupPath(dest, s.stamp);
    steps.push(backupStep(dest, data.backup_file as string));
  }
  steps.push({ exec: replaceFile(dest, '0644'), stdin: after });
  return { kind: 'change', steps, diff: [{ path: dest, before, after }], data };
}

const limitsPlanned: PlannedModule<LimitsState> = {
  name: 'pam_limits',
  args,
  checkMode: true,
  validate,
  probe: probeLimits,
  parse: (out) => parseLimits(out.stdout),
  plan: planLimits,
};

/** The `pam_limits` module. */
export const pamLimits = planned(limitsPlanned);

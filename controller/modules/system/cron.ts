/**
 * `cron`: a job (or a variable) in a user's crontab or in a cron file under /etc/cron.d, under the
 * `#Ansible: NAME` marker Ansible writes, so crontabs made by Ansible are taken over unchanged. The edit is
 * done here (crontab.ts); the host only reads and installs the text.
 */
import { join, sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { fileSection, fileText, stampSection } from './config-files.js';
import { crontabLines, envLine, envNames, jobLine, jobNames, removeEnv, removeJob, renderCrontab, setEnv, setJob, type CronEdit } from './crontab.js';
import { missingTools, section, sectionsOf, withSbin, words } from './probe.js';
import { replaceFile } from './replace.js';

const SPECIAL = ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'];

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  user: { type: 'str' },
  job: { type: 'str', aliases: ['value'] },
  cron_file: { type: 'path' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  backup: { type: 'bool', default: false },
  minute: { type: 'str', default: '*' },
  hour: { type: 'str', default: '*' },
  day: { type: 'str', default: '*', aliases: ['dom'] },
  month: { type: 'str', default: '*' },
  weekday: { type: 'str', default: '*', aliases: ['dow'] },
  special_time: { type: 'str', choices: SPECIAL },
  disabled: { type: 'bool', default: false },
  env: { type: 'bool', default: false },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
};

/** What the probe found. */
export interface CronState {
  missing: string[];
  /** the crontab's or cron file's text; undefined when there is none */
  text?: string;
  /** `crontab -l` failed for another reason than "no crontab" */
  error?: string;
  stamp: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The cron file's path: relative names live in /etc/cron.d. */
export function cronFilePath(a: Args): string | undefined {
  const f = str(a.cron_file);
  return f === undefined ? undefined : f.startsWith('/') ? f : `/etc/cron.d/${f}`;
}

function validate(a: Args): string | undefined {
  const times = [a.minute, a.hour, a.day, a.month, a.weekday];
  if (a.special_time !== undefined && times.some((t) => t !== undefined && t !== '*')) return 'You must specify time and date fields or special time.';
  if (a.insertafter !== undefined && a.insertbefore !== undefined) return 'insertafter and insertbefore are mutually exclusive: give one of them';
  if (cronFilePath(a) === '/etc/crontab') return 'Will not manage /etc/crontab via cron_file: give a file under /etc/cron.d';
  if (a.env === true && /\s/.test(String(a.name))) return `Invalid name for environment variable: "${a.name}"`;
  if (a.state === 'absent') return undefined;
  if (cronFilePath(a) !== undefined && str(a.user) === undefined) return 'To use cron_file=... parameter you must specify user=... as well';
  if (a.job === undefined) return "You must specify 'job' to install a new cron job or variable";
  if ((a.insertafter !== undefined || a.insertbefore !== undefined) && a.env !== true) return 'insertafter and insertbefore are valid only with env=yes';
  return undefined;
}

/** `crontab [-u USER] ARGS`: -u only for another user than the login (as Ansible, so non-root users work). */
function crontabCmd(user: string | undefined, rest: Script): Script {
  if (user === undefined) return sh`crontab ${rest}`;
  return sh`if [ ${user} = "$(id -un)" ]; then crontab ${rest}; else crontab -u ${user} ${rest}; fi`;
}

/** The probe: the cron file, or `crontab -l` (rc 1 with "no crontab" means empty), plus a backup stamp. */
export function probeCron(a: Args): Script {
  const file = cronFilePath(a);
  if (file !== undefined) return join([fileSection('text', file), stampSection()]);
  const list = crontabCmd(str(a.user), sh`-l`);
  return withSbin(
    section('tools', missingTools(['crontab'])),
    section('text', sh`out=$(${list} 2>&1); rc=$?; printf '%s' "$out"; [ -z "$out" ] || echo; (exit $rc)`),
    stampSection(),
  );
}

/** Pure: probe output -> state. */
export function parseCron(stdout: string): CronState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const text = s.get('text');
  const stamp = s.get('stamp')?.text ?? '';
  const missing = words(s.get('tools'));
  // a cron file (no tools section): missing is empty, unreadable throws
  if (!s.has('tools')) return { missing, text: fileText(text, 'the cron file'), stamp };
  if (text === undefined || text.rc === 0) return { missing, text: text?.text, stamp };
  // crontab -l: rc 1 and "no crontab for USER" is an empty crontab
  if (/no crontab for/i.test(text.text)) return { missing, stamp };
  return { missing, stamp, error: text.text.trim() || `crontab -l failed with exit code ${text.rc}` };
}

/** Pure: the edit the arguments ask for. */
function edit(a: Args, lines: string[], file: string | undefined): CronEdit | string {
  const name = String(a.name);
  const present = a.state !== 'absent';
  if (a.env === true) {
    if (!present) return removeEnv(lines, name);
    const where = { after: str(a.insertafter), before: str(a.insertbefore) };
    return setEnv(lines, name, envLine(name, String(a.job)), where) ?? `Variable named '${where.after ?? where.before}' not found.`;
  }
  if (!present) return removeJob(lines, name);
  const line = jobLine({
    minute: String(a.minute),
    hour: String(a.hour),
    day: String(a.day),
    month: String(a.month),
    weekday: String(a.weekday),
    job: String(a.job),
    special: str(a.special_time),
    disabled: a.disabled === true,
    user: file !== undefined ? String(a.user ?? 'root') : undefined,
  });
  return setJob(lines, name, line);
}

/** Pure: what to do. */
export function planCron(a: Args, s: CronState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const file = cronFilePath(a);
  const user = str(a.user);
  if (file === undefined && s.missing.includes('crontab')) return { kind: 'fail', msg: 'crontab not found on the host (Debian: the "cron" package)' };
  if (s.error !== undefined) return { kind: 'fail', msg: `Unable to read crontab: ${s.error}` };
  const before = s.text ?? '';
  const lines = crontabLines(before);
  const e = edit(a, lines, file);
  if (typeof e === 'string') return { kind: 'fail', msg: e };
  const after = renderCrontab(e.lines);
  const where = file ?? (user === undefined ? 'crontab' : `crontab for user "${user}"`);
  const data: Record<string, unknown> = { jobs: jobNames(e.lines), envs: envNames(e.lines), ...(file !== undefined ? { cron_file: str(a.cron_file) } : {}) };
  const unterminated = before !== '' && !before.endsWith('\n');
  const what = a.env === true ? `variable ${a.name}` : `job "${a.name}"`;
  if (!e.changed && !unterminated) {
    return { kind: 'noop', reason: a.state === 'absent' ? `${what} is not in ${where}` : `${what} is already in ${where} as asked`, data };
  }
  const steps: Step[] = [];
  if (a.backup === true) {
    data.backup_file = `/tmp/crontab.${s.stamp}`;
    steps.push({ exec: sh`umask 077; cat > ${data.backup_file as string}`, stdin: before });
  }
  // A cron file left with nothing in it goes, as Ansible removes it.
  const removeFile = file !== undefined && a.state === 'absent' && after.trim() === '';
  if (removeFile) steps.push({ exec: sh`rm -f ${file}` });
  else if (file !== undefined) steps.push({ exec: replaceFile(file, '0644'), stdin: after });
  else steps.push({ exec: withSbin(crontabCmd(user, sh`-`)), stdin: after });
  return { kind: 'change', steps, diff: [{ path: file ?? where, before, after: removeFile ? '' : after }], data };
}

const cronPlanned: PlannedModule<CronState> = {
  name: 'cron',
  args,
  checkMode: true,
  validate,
  probe: probeCron,
  parse: (out) => parseCron(out.stdout),
  plan: planCron,
};

/** The `cron` module. */
export const cron = planned(cronPlanned);

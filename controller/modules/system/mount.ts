/**
 * `mount`: a mount point in fstab (edited here, fstab.ts) and in the kernel's mount table, with
 * ansible.posix's states: present/absent/absent_from_fstab edit fstab, mounted also mounts (or remounts
 * after an fstab change), unmounted/remounted act on the mount only, ephemeral mounts without fstab.
 */
import { join, sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { backupPath, backupStep, fileSection, fileText, stampSection } from './config-files.js';
import { hasOptions, parseMountinfo, removeEntry, setEntry, type FstabEntry, type Mounted } from './fstab.js';
import { section, sectionsOf, withSbin, cmd } from './probe.js';
import { replaceFile } from './replace.js';

const STATES = ['mounted', 'unmounted', 'present', 'absent', 'absent_from_fstab', 'remounted', 'ephemeral'];

const args: ArgSpecs = {
  path: { type: 'path', required: true, aliases: ['name'] },
  src: { type: 'path' },
  fstype: { type: 'str' },
  opts: { type: 'str' },
  opts_no_log: { type: 'bool', default: false, ignored: 'options are shown in the fstab diff; leave --diff off to keep them out of the output' },
  dump: { type: 'str', default: '0' },
  passno: { type: 'str', default: '0' },
  state: { type: 'str', required: true, choices: STATES },
  fstab: { type: 'str' },
  boot: { type: 'bool', default: true },
  backup: { type: 'bool', default: false },
};

/** What the probe found. */
export interface MountState {
  /** fstab's text; undefined when the file does not exist */
  fstab?: string;
  /** mount point -> what is mounted there */
  mounts: Map<string, Mounted>;
  /** the mount point exists (as a directory or file) */
  exists: boolean;
  stamp: string;
}

function validate(a: Args): string | undefined {
  if (['mounted', 'present', 'ephemeral'].includes(String(a.state)) && (a.src === undefined || a.fstype === undefined)) {
    return `state is ${a.state} but all of the following are missing: ${['src', 'fstype'].filter((k) => a[k] === undefined).join(', ')}`;
  }
  return undefined;
}

const fstabOf = (a: Args) => (typeof a.fstab === 'string' && a.fstab ? a.fstab : '/etc/fstab');
const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** The probe: fstab, the mount table, whether the mount point exists, and a backup stamp. */
export function probeMount(a: Args): Script {
  return join([
    fileSection('fstab', fstabOf(a)),
    section('mountinfo', sh`cat /proc/self/mountinfo`),
    section('exists', sh`[ -e ${trimSlash(String(a.path))} ] && echo yes`),
    stampSection(),
  ]);
}

/** Pure: probe output -> state. */
export function parseMount(stdout: string): MountState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return {
    fstab: fileText(s.get('fstab'), 'fstab'),
    mounts: parseMountinfo(s.get('mountinfo')?.text ?? ''),
    exists: s.get('exists')?.text.trim() === 'yes',
    stamp: s.get('stamp')?.text ?? '',
  };
}

/** The entry the arguments describe; `noauto` joins the options when boot is false (a given noauto wins). */
export function wantedEntry(a: Args): FstabEntry {
  const opts = String(a.opts ?? 'defaults').split(',');
  if (a.boot === false && !opts.includes('noauto')) opts.push('noauto');
  return {
    src: String(a.src),
    path: trimSlash(String(a.path)),
    fstype: String(a.fstype),
    opts: opts.join(','),
    dump: String(a.dump ?? '0'),
    passno: String(a.passno ?? '0'),
  };
}

/** `-T FILE` for mount when fstab is not the system one. */
function fstabFlag(fstab: string): (string | false)[] {
  return fstab === '/etc/fstab' ? [false] : ['-T', fstab];
}

/** mount PATH from fstab; on failure the old fstab text (stdin) goes back, as Ansible undoes a broken entry. */
function mountFromFstab(path: string, fstab: string, restore: boolean): Step {
  const m = cmd('mount', ...fstabFlag(fstab), path);
  if (!restore) return { exec: withSbin(m) };
  return { exec: withSbin(sh`if ! err=$(${m} 2>&1); then cat > ${fstab}; printf '%s\\n' "$err" >&2; exit 1; fi`) };
}

/** Remount (with new options for remounted/ephemeral), falling back to umount + mount when remount fails. */
function remount(a: Args, fstab: string): Script {
  const e = a.src !== undefined && a.fstype !== undefined ? wantedEntry(a) : undefined;
  const opts = a.opts !== undefined && a.opts !== 'defaults' ? `remount,${a.opts}` : 'remount';
  const ephemeral = a.state === 'ephemeral' && e !== undefined;
  const extra = ephemeral ? ['-t', e.fstype, ...(e.opts !== 'defaults' ? ['-o', e.opts] : []), e.src] : fstabFlag(fstab);
  const path = trimSlash(String(a.path));
  const again = ephemeral
    ? cmd('mount', '-t', e.fstype, ...(e.opts !== 'defaults' ? ['-o', e.opts] : []), e.src, path)
    : cmd('mount', ...fstabFlag(fstab), path);
  const fallback = a.state === 'remounted' && opts !== 'remount' ? sh`false` : sh`umount ${path} && ${again}`;
  return withSbin(sh`${cmd('mount', '-o', opts, ...extra, path)} || { ${fallback}; }`);
}

/** Pure: what to do. */
export function planMount(a: Args, s: MountState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const state = String(a.state);
  const path = trimSlash(String(a.path));
  const fstab = fstabOf(a);
  const before = s.fstab ?? '';
  const mounted = s.mounts.get(path);
  const e = a.src !== undefined && a.fstype !== undefined ? wantedEntry(a) : undefined;
  const data: Record<string, unknown> = {
    name: path,
    fstab,
    boot: a.boot !== false ? 'yes' : 'no',
    ...(e ? { src: e.src, fstype: e.fstype, opts: e.opts, dump: e.dump, passno: e.passno } : {}),
  };
  const steps: Step[] = [];
  const writeFstab = (after: string) => {
    if (a.backup === true && s.fstab !== undefined) {
      data.backup_file = backupPath(fstab, s.stamp);
      steps.push(backupStep(fstab, data.backup_file as string));
    }
    if (s.fstab === undefined) steps.push({ exec: sh`mkdir -p "$(dirname ${fstab})"` });
    steps.push({ exec: replaceFile(fstab, '0644'), stdin: after });
  };
  const change = (after?: string, msg?: string): Plan => ({
    kind: 'change',
    steps,
    diff: after !== undefined ? [{ path: fstab, before, after }] : undefined,
    data,
    msg,
  });

  if (state === 'present' || state === 'absent' || state === 'absent_from_fstab') {
    const after = state === 'present' && e ? setEntry(before, e) : removeEntry(before, path, a.src as string | undefined);
    if (after === before && s.fstab !== undefined) {
      return { kind: 'noop', reason: state === 'present' ? `${path} is already in ${fstab} as asked` : `${path} is not in ${fstab}`, data };
    }
    if (after === before && state !== 'present') return { kind: 'noop', reason: `${path} is not in ${fstab} (no such file)`, data };
    writeFstab(after);
    // as Ansible: absent unmounts and removes the mount point only when fstab had the entry
    if (state === 'absent') {
      if (mounted) steps.push({ exec: withSbin(cmd('umount', path)) });
      if (s.exists) steps.push({ exec: sh`rmdir ${path}` });
    }
    return change(after);
  }
  if (state === 'unmounted') {
    if (!mounted) return { kind: 'noop', reason: `${path} is not mounted`, data };
    steps.push({ exec: withSbin(cmd('umount', path)) });
    return change();
  }
  if (state === 'remounted') {
    steps.push({ exec: remount(a, fstab) });
    return change(undefined, `${path} remounted`);
  }
  if (!e) return { kind: 'fail', msg: 'src and fstype are required' };
  if (state === 'ephemeral') {
    if (mounted && mounted.src !== e.src && mounted.src !== e.src.replace(/\/+$/, '')) {
      return {
        kind: 'fail',
        msg: `Ephemeral mount point is already mounted with a different source (${mounted.src}) than the specified one: unmount it first (state: unmounted), or use another path.`,
      };
    }
    if (mounted && hasOptions(mounted, e.opts)) return { kind: 'noop', reason: `${path} is already mounted from ${e.src} with ${e.opts}`, data };
    if (!s.exists) steps.push({ exec: sh`mkdir -p ${path}` });
    if (mounted) steps.push({ exec: remount(a, fstab) });
    else steps.push({ exec: withSbin(cmd('mount', '-t', e.fstype, ...(e.opts !== 'defaults' ? ['-o', e.opts] : []), e.src, path)) });
    return change();
  }
  // mounted
  const after = setEntry(before, e);
  const edited = after !== before || s.fstab === undefined;
  if (!edited && mounted) return { kind: 'noop', reason: `${path} is mounted and in ${fstab} as asked`, data };
  if (!s.exists) steps.push({ exec: sh`mkdir -p ${path}` });
  if (edited) writeFstab(after);
  if (mounted) steps.push({ exec: remount(a, fstab) });
  else steps.push({ ...mountFromFstab(path, fstab, edited), ...(edited ? { stdin: before } : {}) });
  return change(edited ? after : undefined);
}

const mountPlanned: PlannedModule<MountState> = {
  name: 'mount',
  args,
  checkMode: true,
  validate,
  probe: probeMount,
  parse: (out) => parseMount(out.stdout),
  plan: planMount,
};

/** The `mount` module. */
export const mount = planned(mountPlanned);

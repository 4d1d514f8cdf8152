/**
 * `modprobe`: a kernel module loaded (or unloaded) now and, with `persistent`, at boot through
 * /etc/modules-load.d/NAME.conf and its parameters through /etc/modprobe.d/NAME.conf. A module counts as
 * loaded when /proc/modules lists it or /sys/module has it (which also covers modules built into the kernel).
 */
import { join, sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { confDirFiles, confDirSection, linesOf, textOf } from './config-files.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words } from './probe.js';
import { replaceFile } from './replace.js';

const LOAD_DIR = '/etc/modules-load.d';
const OPTIONS_DIR = '/etc/modprobe.d';

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  params: { type: 'str', default: '' },
  persistent: { type: 'str', choices: ['disabled', 'absent', 'present'], default: 'disabled' },
};

/** What the probe found. */
export interface ModprobeState {
  missing: string[];
  /** the module is loaded (or built in) */
  loaded: boolean;
  /** /etc/modules-load.d/*.conf by path */
  loadFiles: Map<string, string>;
  /** /etc/modprobe.d/*.conf by path */
  optionFiles: Map<string, string>;
}

/** Module names treat `-` and `_` alike; the kernel shows `_`. */
export const kernelName = (name: string) => name.replace(/-/g, '_');

/** The probe: modprobe's presence, whether the module is loaded, and the persistence files when they matter. */
export function probeModprobe(a: Args): Script {
  const k = kernelName(String(a.name).trim());
  const parts = [
    section('tools', missingTools(['modprobe'])),
    section('loaded', sh`if grep -q ${`^${k} `} /proc/modules 2>/dev/null || [ -d ${`/sys/module/${k}`} ]; then echo yes; fi`),
  ];
  if (a.persistent !== 'disabled') parts.push(confDirSection('load', LOAD_DIR), confDirSection('options', OPTIONS_DIR));
  return withSbin(...parts);
}

/** Pure: probe output -> state. */
export function parseModprobe(stdout: string): ModprobeState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return {
    missing: words(s.get('tools')),
    loaded: s.get('loaded')?.text.trim() === 'yes',
    loadFiles: confDirFiles(s.get('load')),
    optionFiles: confDirFiles(s.get('options')),
  };
}

/** A modules-load.d line naming the module (`-` and `_` alike). */
const loadsIt = (name: string) => (line: string) => kernelName(line.trim()) === kernelName(name);
/** A modprobe.d `options NAME ...` line for the module. */
const optionsOf = (name: string) => (line: string) => {
  const f = line.trim().split(/\s+/);
  return f[0] === 'options' && kernelName(f[1] ?? '') === kernelName(name);
};
/** The same, commented out. */
const commented = (test: (l: string) => boolean) => (line: string) => /^\s*#/.test(line) && test(line.replace(/^\s*#+\s*/, ''));

/** Pure: the file edits persistence asks for, by path (new text). */
export function persistEdits(name: string, params: string, persistent: string, s: ModprobeState): Map<string, string> {
  const edits = new Map<string, string>();
  if (persistent === 'present') {
    const loads = [...s.loadFiles.values()].some((t) => linesOf(t).some(loadsIt(name)));
    if (!loads) edits.set(`${LOAD_DIR}/${name}.conf`, enable(s.loadFiles.get(`${LOAD_DIR}/${name}.conf`) ?? '', loadsIt(name), name));
    const want = `options ${name} ${params}`;
    const has = [...s.optionFiles.values()].some((t) => linesOf(t).some((l) => l.trim().split(/\s+/).join(' ') === want));
    if (params && !has) edits.set(`${OPTIONS_DIR}/${name}.conf`, setOptions(s.optionFiles.get(`${OPTIONS_DIR}/${name}.conf`) ?? '', name, want));
  } else if (persistent === 'absent') {
    for (const [path, text] of s.loadFiles) {
      const after = textOf(linesOf(text).map((l) => (loadsIt(name)(l) ? `#${l}` : l)));
      if (after !== text) edits.set(path, after);
    }
    for (const [path, text] of s.optionFiles) {
      const after = textOf(linesOf(text).map((l) => (optionsOf(name)(l) ? `#${l}` : l)));
      if (after !== text) edits.set(path, after);
    }
  }
  return edits;
}

/** The file with a commented-out line for the module turned back on, or the line appended. */
function enable(text: string, test: (l: string) => boolean, line: string): string {
  const lines = linesOf(text);
  const i = lines.findIndex(commented(test));
  if (i >= 0) lines[i] = line;
  else lines.push(line);
  return textOf(lines);
}

/** The file with the module's options line (live or commented) replaced, or appended. */
function setOptions(text: string, name: string, want: string): string {
  const lines = linesOf(text).filter((l) => !optionsOf(name)(l) && !commented(optionsOf(name))(l));
  return textOf([...lines, want]);
}

/** Pure: what to do. */
export function planModprobe(a: Args, s: ModprobeState): Plan {
  const name = String(a.name).trim();
  const params = String(a.params ?? '').trim();
  const present = a.state !== 'absent';
  const data = { name, params, state: a.state };
  const load = present && !s.loaded;
  const unload = !present && s.loaded;
  const edits = persistEdits(name, params, String(a.persistent), s);
  if (!load && !unload && edits.size === 0) {
    const persisted = a.persistent === 'disabled' ? '' : `; ${a.persistent === 'present' ? 'loaded at boot' : 'not loaded at boot'} as asked`;
    return { kind: 'noop', reason: `module ${name} is ${present ? 'loaded' : 'not loaded'}${persisted}`, data };
  }
  if ((load || unload) && s.missing.includes('modprobe')) return { kind: 'fail', msg: 'modprobe not found on the host (Debian: the "kmod" package)' };
  const steps: Step[] = [];
  if (load) steps.push({ exec: withSbin(cmd('modprobe', name, params ? params.split(/\s+/) : [])) });
  if (unload) steps.push({ exec: withSbin(cmd('modprobe', '-r', name)) });
  const diff = [];
  for (const [path, after] of edits) {
    const before = (path.startsWith(LOAD_DIR) ? s.loadFiles : s.optionFiles).get(path) ?? '';
    steps.push({ exec: join([sh`mkdir -p ${path.slice(0, path.lastIndexOf('/'))}`, replaceFile(path, '0644')]), stdin: after });
    diff.push({ path, before, after });
  }
  return { kind: 'change', steps, diff: diff.length ? diff : undefined, data };
}

const modprobePlanned: PlannedModule<ModprobeState> = {
  name: 'modprobe',
  args,
  checkMode: true,
  probe: probeModprobe,
  parse: (out) => parseModprobe(out.stdout),
  plan: planModprobe,
};

/** The `modprobe` module. */
export const modprobe = planned(modprobePlanned);

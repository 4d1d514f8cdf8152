/**
 * `pip`: Python packages installed (at a version, the latest, reinstalled) or removed, system-wide or in a virtualenv
 * created on demand. Named requirements are checked against `pip list --format=json` (an old pip's `pip freeze`)
 * before anything runs; what pip alone can resolve (requirements files, paths, URLs, editable installs, latest) runs and is judged by `pip freeze`
 * before and after.
 */
import { sh, type Script } from '../../command.js';
import { splitWords } from '../commands/words.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult, Plan, Step, Vars } from '../types.js';
import { cmd, section, sectionsOf, withSbin } from '../system/probe.js';
import { normalName, parseRequirement, satisfies, type Requirement } from './pip-version.js';

const args: ArgSpecs = {
  name: { type: 'list', elements: 'str' },
  version: { type: 'str' },
  requirements: { type: 'str' },
  virtualenv: { type: 'path' },
  virtualenv_site_packages: { type: 'bool', default: false },
  virtualenv_command: { type: 'path', default: 'virtualenv' },
  virtualenv_python: { type: 'str' },
  state: { type: 'str', choices: ['present', 'absent', 'latest', 'forcereinstall'], default: 'present' },
  extra_args: { type: 'str' },
  editable: { type: 'bool', default: false },
  chdir: { type: 'path' },
  executable: { type: 'path' },
  umask: { type: 'str' },
  break_system_packages: { type: 'bool', default: false },
};

const names = (a: Args): string[] => (Array.isArray(a.name) ? a.name.map(String) : []);

function validate(a: Args): string | undefined {
  if (!names(a).length && a.requirements === undefined) return 'one of name or requirements is required';
  if (a.executable !== undefined && a.virtualenv !== undefined) return 'executable and virtualenv are mutually exclusive';
  if (a.version !== undefined) {
    if (names(a).length !== 1) return 'version needs exactly one name';
    const r = parseRequirement(names(a)[0]);
    if ('error' in r || r.opaque || r.specs.length) return 'the version argument conflicts with a version specifier given with the name: use one of them';
  }
  if (a.umask !== undefined && !/^[0-7]{1,4}$/.test(String(a.umask))) return `umask must be octal, like 0022 (got ${a.umask})`;
  const extra = typeof a.extra_args === 'string' ? splitWords(a.extra_args) : undefined;
  if (extra && !extra.ok) return `extra_args: ${extra.error}`;
  for (const n of names(a)) {
    const r = parseRequirement(n);
    if ('error' in r) return r.error;
  }
  return undefined;
}

/** What the probe found. */
export interface PipState {
  /** chdir could not be entered */
  noChdir: boolean;
  /** the virtualenv's python exists */
  venv: boolean;
  /** the pip command found ('' when none) */
  pip: string;
  /** installed distributions: normal name -> version (undefined when pip list failed) */
  installed?: Map<string, string>;
  /** the first word of virtualenv_command is on PATH */
  venvCommand: boolean;
  /** python3 can make a venv (Debian: python3-venv) */
  pythonVenv: boolean;
}

/** The pip candidates, best first: executable, the virtualenv's pip, pip3, pip. */
function pipCandidates(a: Args): string[] {
  if (typeof a.executable === 'string') return [a.executable];
  if (typeof a.virtualenv === 'string') return [`${a.virtualenv}/bin/pip`];
  return ['pip3', 'pip'];
}

const firstWord = (a: Args) => {
  const w = splitWords(String(a.virtualenv_command ?? 'virtualenv'));
  return w.ok && w.words.length ? w.words[0] : 'virtualenv';
};

/** The probe: chdir, the virtualenv, the pip to use, what it lists, and whether a virtualenv can be made. */
export function probePip(a: Args): Script {
  const parts: Script[] = [];
  if (typeof a.chdir === 'string') parts.push(section('chdir', sh`cd ${a.chdir}`));
  const venv = typeof a.virtualenv === 'string' ? a.virtualenv : '';
  parts.push(
    section('venv', venv ? sh`test -x ${venv}/bin/python && echo yes; :` : sh`:`),
    section('pip', sh`p=; for c in ${pipCandidates(a)}; do command -v "$c" >/dev/null 2>&1 && { p=$c; break; }; done; echo "$p"`),
    section('list', sh`[ -n "$p" ] && "$p" list --format=json --disable-pip-version-check 2>/dev/null`),
    // pip before 9 has no JSON listing: its freeze says the same in name==version lines
    section('freeze', sh`[ -n "$p" ] && ! "$p" list --format=json --disable-pip-version-check >/dev/null 2>&1 && "$p" freeze --all 2>/dev/null`),
    section('tools', sh`command -v ${firstWord(a)} >/dev/null 2>&1 && echo command; python3 -c 'import venv, ensurepip' >/dev/null 2>&1 && echo venv; :`),
  );
  return withSbin(...parts);
}

/** Pure: probe output -> state. */
export function parsePip(stdout: string): PipState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const list = s.get('list');
  let installed: Map<string, string> | undefined;
  if (list && list.rc === 0) {
    try {
      const rows = JSON.parse(list.text) as { name: string; version: string }[];
      installed = new Map(rows.map((r) => [normalName(r.name), r.version]));
    } catch {
      installed = undefined;
    }
  }
  const freeze = s.get('freeze');
  if (!installed && freeze && freeze.rc === 0) installed = parseFreeze(freeze.text);
  const tools = (s.get('tools')?.text ?? '').split('\n');
  return {
    noChdir: (s.get('chdir')?.rc ?? 0) !== 0,
    venv: (s.get('venv')?.text ?? '').trim() === 'yes',
    pip: (s.get('pip')?.text ?? '').trim(),
    installed,
    venvCommand: tools.includes('command'),
    pythonVenv: tools.includes('venv'),
  };
}

/** Pure: `pip freeze` lines (`name==version`; editable and URL lines are left out) -> normal name -> version. */
export function parseFreeze(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$/.exec(line.trim());
    if (m) out.set(normalName(m[1]), m[2]);
  }
  return out;
}

/** A plan, and whether pip's effect is only known afterwards (then `pip freeze` is compared before and after). */
export interface PipDecision {
  plan: Plan;
  compare: boolean;
}

const CHANGED = '@@muster:pip-changed';

/** The command that makes the virtualenv (python3 -m venv when the default `virtualenv` is not installed). */
function venvStep(a: Args, s: PipState): Step | string {
  const venv = String(a.virtualenv);
  const given = splitWords(String(a.virtualenv_command));
  let words = given.ok ? given.words : ['virtualenv'];
  const site = a.virtualenv_site_packages === true && '--system-site-packages';
  const py = typeof a.virtualenv_python === 'string' ? a.virtualenv_python : undefined;
  const isVenvModule = words.includes('venv') && words.includes('-m');
  if (!s.venvCommand) {
    if (a.virtualenv_command !== 'virtualenv' || !s.pythonVenv) {
      return `cannot create the virtualenv ${venv}: ${words[0]} is not installed${a.virtualenv_command === 'virtualenv' ? ' and python3 has no venv module (Debian: install python3-venv, or virtualenv)' : ''}`;
    }
    words = [py ?? 'python3', '-m', 'venv'];
  } else if (isVenvModule && py) words = [py, ...words.slice(1)];
  const pyFlag = !isVenvModule && words[0] !== (py ?? 'python3') && py && ['-p', py];
  return { exec: prefix(a, cmd(words, site, pyFlag, venv)) };
}

/** `cd chdir &&` and `umask` in front of a command. */
function prefix(a: Args, c: Script): Script {
  const cd = typeof a.chdir === 'string' ? sh`cd ${a.chdir} && ` : sh``;
  const um = typeof a.umask === 'string' ? sh`umask ${a.umask} && ` : sh``;
  return sh`${cd}${um}${c}`;
}

/** Pure: what to do. */
export function planPip(a: Args, s: PipState): PipDecision {
  const fail = (msg: string): PipDecision => ({ plan: { kind: 'fail', msg }, compare: false });
  const problem = validate(a);
  if (problem) return fail(problem);
  if (s.noChdir) return fail(`chdir ${a.chdir} does not exist on the host`);
  const state = String(a.state);
  const venv = typeof a.virtualenv === 'string' ? a.virtualenv : undefined;
  const reqs = names(a).map((n) => parseRequirement(n) as Requirement);
  if (a.version !== undefined && reqs[0] && !reqs[0].opaque)
    reqs[0] = { ...reqs[0], text: `${reqs[0].text}==${a.version}`, specs: [['==', String(a.version)]] };
  const data: Vars = { name: names(a), version: a.version ?? null, requirements: a.requirements ?? null, virtualenv: venv ?? null, state };
  const extra = typeof a.extra_args === 'string' ? (splitWords(a.extra_args) as { words: string[] }).words : [];
  const bsp = a.break_system_packages === true && '--break-system-packages';

  if (state === 'absent') {
    if (venv && !s.venv) return { plan: { kind: 'noop', reason: `virtualenv ${venv} does not exist: nothing is installed there`, data }, compare: false };
    if (!s.pip) return fail(pipMissing(a));
    if (reqs.some((r) => r.opaque)) return fail('state=absent needs package names, not paths or URLs');
    if (a.requirements !== undefined && !reqs.length) {
      return { plan: change(a, [cmd(s.pip, 'uninstall', '-y', bsp, extra, '-r', String(a.requirements))], data), compare: true };
    }
    const there = reqs.filter((r) => !r.opaque && s.installed?.has(r.name)).map((r) => (r.opaque ? r.text : r.name));
    if (!there.length) return { plan: { kind: 'noop', reason: `${names(a).join(', ')} not installed`, data }, compare: false };
    return { plan: change(a, [cmd(s.pip, 'uninstall', '-y', bsp, extra, there)], data), compare: false };
  }

  const steps: Step[] = [];
  let pip = s.pip;
  if (venv && !s.venv) {
    const step = venvStep(a, s);
    if (typeof step === 'string') return fail(step);
    steps.push(step);
    pip = `${venv}/bin/pip`;
  }
  if (!pip) return fail(pipMissing(a));
  const opaque = a.requirements !== undefined || a.editable === true || reqs.some((r) => r.opaque) || state === 'latest';
  const unmet = reqs.filter((r) => r.opaque || !met(r, s.installed));
  if (state === 'present' && !opaque && !unmet.length && !steps.length && s.installed) {
    return { plan: { kind: 'noop', reason: `${reqs.map((r) => r.text).join(', ')} ${reqs.length > 1 ? 'are' : 'is'} installed`, data }, compare: false };
  }
  const words = reqs.flatMap((r) => (a.editable === true ? ['-e', r.text] : [r.text]));
  const flags = [state === 'latest' && '-U', state === 'forcereinstall' && ['-U', '--force-reinstall'], bsp];
  const install = cmd(pip, 'install', '--disable-pip-version-check', flags, extra, words, a.requirements !== undefined && ['-r', String(a.requirements)]);
  const compare = opaque && state !== 'forcereinstall' && !steps.length;
  const main = compare ? frozen(pip, install) : install;
  return { plan: { kind: 'change', steps: [...steps, { exec: prefix(a, main), capture: true }], data: { ...data, cmd: install.shown } }, compare };
}

function met(r: Requirement, installed: Map<string, string> | undefined): boolean {
  if (r.opaque) return false;
  const v = installed?.get(r.name);
  return v !== undefined && r.specs.every((sp) => satisfies(v, sp));
}

function change(a: Args, cmds: Script[], data: Vars): Plan {
  return { kind: 'change', steps: cmds.map((c) => ({ exec: prefix(a, c), capture: true })), data: { ...data, cmd: cmds.map((c) => c.shown).join('; ') } };
}

/** The install wrapped so that it prints CHANGED when `pip freeze` differs afterwards; it keeps pip's exit code. */
function frozen(pip: string, install: Script): Script {
  const freeze = cmd(pip, 'freeze', '--all', '--disable-pip-version-check');
  return sh`b=$(${freeze} 2>/dev/null); ${install}; rc=$?; [ "$b" = "$(${freeze} 2>/dev/null)" ] || echo ${CHANGED}; exit $rc`;
}

function pipMissing(a: Args): string {
  if (typeof a.executable === 'string') return `pip executable ${a.executable} not found on the host`;
  return 'pip not found on the host: install it first (Debian: the python3-pip package), or give executable:';
}

/** Turns pip's PEP 668 refusal into advice. */
function explain(r: ModuleResult): ModuleResult {
  const err = String(r.data?.stderr ?? '') + String(r.data?.stdout ?? '');
  if (!r.failed || !err.includes('externally-managed-environment')) return r;
  return {
    ...r,
    msg: 'pip refused to install into the system Python, which Debian marks as externally managed (PEP 668): give virtualenv: to install into a virtual environment, install the Debian package (python3-NAME) with apt, or set break_system_packages: true if you mean it',
  };
}

/** Runs pip: probe, plan, apply; an install judged by `pip freeze` is a change only when the freeze changed. */
export async function runPip(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const d = planPip(a, parsePip((await ctx.exec(probePip(a))).stdout));
  if (d.plan.kind === 'change' && d.compare && ctx.check) {
    return { changed: true, msg: 'pip may change packages (it only tells by running)', data: d.plan.data };
  }
  const r = explain(await apply(d.plan, ctx));
  if (!d.compare || r.failed || r.data === undefined) return r;
  const stdout = String(r.data.stdout ?? '');
  const changed = stdout.includes(CHANGED);
  return { ...r, changed, msg: changed ? r.msg : 'pip changed nothing', data: { ...r.data, stdout: stdout.replace(`${CHANGED}\n`, '') } };
}

/** The `pip` module. */
export const pip: Module = { name: 'pip', args, checkMode: true, validate, run: runPip };

/** `package`: the generic package module; hands over to `apt` on Debian-family hosts and says so clearly elsewhere. */
import { sh, type Script } from '../../command.js';
import { MusterError } from '../../../shared/errors.js';
import { normalizeArgs } from '../args.js';
import type { Args, ArgSpecs, Module, Vars } from '../types.js';
import { apt, runApt } from './apt.js';
import { section, sectionsOf, withSbin } from './probe.js';

const args: ArgSpecs = {
  name: { type: 'list', elements: 'str', required: true },
  state: { type: 'str', required: true, choices: ['present', 'absent', 'latest'] },
  use: { type: 'str', default: 'auto' },
};

/** The package manager facts already name, if they were gathered. */
export function managerFromFacts(vars: Vars): string | undefined {
  const facts = (vars.ansible_facts ?? {}) as Vars;
  const m = vars.ansible_pkg_mgr ?? facts.pkg_mgr;
  return typeof m === 'string' && m !== 'unknown' ? m : undefined;
}

const MANAGERS: [tool: string, name: string][] = [
  ['apt-get', 'apt'],
  ['dnf', 'dnf'],
  ['yum', 'yum'],
  ['zypper', 'zypper'],
  ['apk', 'apk'],
  ['pacman', 'pacman'],
];

/** The probe for hosts without facts: the first known package manager on PATH, and the os-release family. */
export function probeManager(): Script {
  const tools = MANAGERS.map(([t]) => t);
  return withSbin(
    section('manager', sh`for m in ${tools}; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done`),
    section('family', sh`( . /etc/os-release 2>/dev/null; echo "\${ID_LIKE:-$ID}" )`),
  );
}

/** Pure: the manager a probe found (Ansible's pkg_mgr name) and the family it reported. */
export function parseManager(stdout: string): { manager?: string; family: string } {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const tool = (s.get('manager')?.text ?? '').trim();
  return { manager: MANAGERS.find(([t]) => t === tool)?.[1], family: (s.get('family')?.text ?? '').trim() || 'unknown' };
}

/**
 * The arguments apt runs with: name, state and every argument `package` does not know itself (as Ansible's
 * package action hands them on, e.g. allow_downgrade), normalised by apt's own spec with its defaults.
 * A message when apt rejects one (enablerepo is yum's): Ansible fails such a task when it runs, not at load.
 */
export function aptArgsFrom(a: Args): Args | string {
  const handed: Args = { name: a.name, state: a.state };
  for (const [k, v] of Object.entries(a)) if (!(k in args)) handed[k] = v;
  try {
    return normalizeArgs(apt, handed, { task: 'package' });
  } catch (e) {
    if (e instanceof MusterError) return `package: ${e.message} (package hands it to apt on this host)`;
    throw e;
  }
}

/** The `package` module. */
export const pkg: Module = {
  name: 'package',
  args,
  // Arguments of the package manager's own module (enablerepo, allow_downgrade...) are handed on to it.
  freeArgs: true,
  checkMode: true,
  async run(a, ctx) {
    let manager = a.use !== 'auto' && typeof a.use === 'string' ? a.use : managerFromFacts(ctx.vars);
    let family = String(ctx.vars.ansible_os_family ?? (ctx.vars.ansible_facts as Vars | undefined)?.os_family ?? 'unknown');
    if (!manager) {
      const found = parseManager((await ctx.exec(probeManager())).stdout);
      manager = found.manager;
      family = found.family;
    }
    if (manager === 'apt') {
      const handed = aptArgsFrom(a);
      return typeof handed === 'string' ? { changed: false, failed: true, msg: handed } : runApt(handed, ctx);
    }
    return {
      changed: false,
      failed: true,
      msg: `package: ${manager ? `the ${manager} package manager` : 'no known package manager'} (os family: ${family}) is not supported by muster: only apt on Debian-family hosts`,
    };
  },
};

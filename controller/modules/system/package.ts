/** `package`: the generic package module; hands over to `apt` on Debian-family hosts and says so clearly elsewhere. */
import { sh, type Script } from '../../command.js';
import type { Args, ArgSpecs, Module, Vars } from '../types.js';
import { aptArgs, runApt } from './apt.js';
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

/** Fills in apt's defaults for arguments `package` does not know. */
export function aptArgsFrom(a: Args): Args {
  const out: Args = {};
  for (const [k, spec] of Object.entries(aptArgs)) if (spec.default !== undefined) out[k] = spec.default;
  return { ...out, name: a.name, state: a.state };
}

/** The `package` module. */
export const pkg: Module = {
  name: 'package',
  args,
  checkMode: true,
  async run(a, ctx) {
    let manager = a.use !== 'auto' && typeof a.use === 'string' ? a.use : managerFromFacts(ctx.vars);
    let family = String(ctx.vars.ansible_os_family ?? (ctx.vars.ansible_facts as Vars | undefined)?.os_family ?? 'unknown');
    if (!manager) {
      const found = parseManager((await ctx.exec(probeManager())).stdout);
      manager = found.manager;
      family = found.family;
    }
    if (manager === 'apt') return runApt(aptArgsFrom(a), ctx);
    return {
      changed: false,
      failed: true,
      msg: `package: ${manager ? `the ${manager} package manager` : 'no known package manager'} (os family: ${family}) is not supported by muster: only apt on Debian-family hosts`,
    };
  },
};

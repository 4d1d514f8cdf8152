/**
 * `hostname`: the permanent (/etc/hostname) and running hostname. With systemd, hostnamectl sets both;
 * otherwise the file is written and `hostname NAME` sets the kernel's. A container without CAP_SYS_ADMIN
 * cannot set the kernel hostname: the file still changes and the result says so instead of failing.
 */
import { sh, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, ModuleResult, Plan, Vars } from '../types.js';
import { section, sectionsOf, withSbin } from './probe.js';

const SUPPORTED = ['systemd', 'debian', 'alpine', 'generic'];
const ANSIBLE = [...SUPPORTED, 'freebsd', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris'];

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  use: { type: 'str', choices: ANSIBLE },
};

/** What the probe found. */
export interface HostnameState {
  /** first line of /etc/hostname ('' when missing) */
  permanent: string;
  /** the running (kernel) hostname */
  current: string;
  /** systemd runs and hostnamectl exists */
  systemd: boolean;
}

const KERNEL_FAILED = '@@muster:kernel-failed';

function validate(a: Args): string | undefined {
  if (typeof a.use === 'string' && !SUPPORTED.includes(a.use)) {
    return `use=${a.use} is not supported by muster's hostname module (supported: ${SUPPORTED.join(', ')})`;
  }
  return undefined;
}

/** The probe: /etc/hostname, the running name, and whether hostnamectl can be used. */
export function probeHostname(): Script {
  return withSbin(
    section('etc', sh`cat /etc/hostname 2>/dev/null`),
    section('kernel', sh`hostname 2>/dev/null || uname -n`),
    section('systemd', sh`[ -d /run/systemd/system ] && command -v hostnamectl >/dev/null 2>&1 && echo yes`),
  );
}

/** Pure: probe output -> state. */
export function parseHostname(stdout: string): HostnameState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const first = (name: string) => (s.get(name)?.text ?? '').split('\n')[0].trim();
  return { permanent: first('etc'), current: first('kernel'), systemd: first('systemd') === 'yes' };
}

/** Ansible's hostname facts for a name. */
export function hostnameFacts(name: string): Vars {
  const dot = name.indexOf('.');
  return {
    ansible_hostname: dot < 0 ? name : name.slice(0, dot),
    ansible_nodename: name,
    ansible_fqdn: name,
    ansible_domain: dot < 0 ? '' : name.slice(dot + 1),
  };
}

/** Pure: what to do. */
export function planHostname(a: Args, s: HostnameState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const name = String(a.name).trim();
  const data = { name, ansible_facts: hostnameFacts(name) };
  if (s.permanent === name && s.current === name) return { kind: 'noop', reason: `hostname is already ${name}`, data };
  const use = typeof a.use === 'string' ? a.use : s.systemd ? 'systemd' : 'generic';
  const diff = [{ path: '/etc/hostname', before: s.permanent ? `${s.permanent}\n` : '', after: `${name}\n` }];
  // Written in place, not renamed over: in a container /etc/hostname is a bind mount that cannot be replaced.
  const kernel = use === 'alpine' ? sh`hostname -F /etc/hostname` : sh`hostname ${name}`;
  const inPlace = [sh`printf '%s\\n' ${name} > /etc/hostname`, sh`err=$(${kernel} 2>&1) || printf '%s %s\\n' ${KERNEL_FAILED} "$err"`];
  // hostnamectl renames a new file over /etc/hostname, which fails (EBUSY) on that bind mount: fall back to in place
  const script = use === 'systemd' ? withSbin(sh`hostnamectl set-hostname ${name} 2>/dev/null && exit 0`, ...inPlace) : withSbin(...inPlace);
  return { kind: 'change', steps: [{ exec: script, capture: true }], diff, data };
}

/** Pure: turns a kernel-hostname refusal reported by the apply script into a warning on a changed result. */
export function settle(r: ModuleResult, name: string): ModuleResult {
  const data = { ...r.data };
  const out = typeof data.stdout === 'string' ? data.stdout : '';
  for (const k of ['rc', 'stdout', 'stderr']) delete data[k];
  const i = out.indexOf(KERNEL_FAILED);
  if (r.failed || i < 0) return { ...r, data };
  const why = out.slice(i + KERNEL_FAILED.length).trim();
  const warning =
    `/etc/hostname now says ${name}, but the running hostname could not be set (${why || 'permission denied'}); ` +
    'a container needs CAP_SYS_ADMIN for that, otherwise the name applies at the next boot';
  return { ...r, msg: warning, data: { ...data, warnings: [warning] } };
}

/** The `hostname` module. */
export const hostname: Module = {
  name: 'hostname',
  args,
  checkMode: true,
  validate,
  async run(a, ctx) {
    const state = parseHostname((await ctx.exec(probeHostname())).stdout);
    const plan = planHostname(a, state);
    const r = settle(await apply(plan, ctx), String(a.name).trim());
    return r.failed ? r : { ...r, facts: hostnameFacts(String(a.name).trim()) };
  },
};

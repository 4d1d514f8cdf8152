/**
 * `service`: like `systemd` on hosts where systemd runs; elsewhere the SysV init script in /etc/init.d and
 * update-rc.d's runlevel links. One probe finds out which, and reads the state either way. As in Ansible,
 * systemd's own arguments (daemon_reload, masked...) pass through to the systemd module, so
 * `service: daemon_reload=true` alone reloads systemd; on a host without systemd they fail the task.
 */
import { sh, join, type Script } from '../../command.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, Plan } from '../types.js';
import { runSystemd, SYSTEMD_ARGS } from './systemd.js';
import { planUnit, parseUnit, unitProbe } from './units.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words, type Word } from './probe.js';

/** systemd's arguments that mean nothing to an init script */
const SYSTEMD_ONLY = ['masked', 'daemon_reload', 'daemon_reexec', 'no_block', 'scope', 'force'] as const;

const args: ArgSpecs = {
  name: { type: 'str' },
  state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
  enabled: { type: 'bool' },
  arguments: { type: 'str', aliases: ['args'], default: '' },
  sleep: { type: 'int' },
  use: { type: 'str', default: 'auto', choices: ['auto', 'systemd', 'sysvinit'] },
  ...Object.fromEntries(SYSTEMD_ONLY.map((k) => [k, { ...SYSTEMD_ARGS[k], default: undefined }])),
};

/** The systemd-only arguments given a value that asks for something. */
function systemdAsked(a: Args): string[] {
  return SYSTEMD_ONLY.filter((k) => a[k] !== undefined && a[k] !== null && a[k] !== false && !(k === 'scope' && a[k] === 'system'));
}

function validate(a: Args): string | undefined {
  const daemonOnly = a.daemon_reload === true || a.daemon_reexec === true;
  if (a.state === undefined && a.enabled === undefined && a.masked === undefined && !daemonOnly) {
    return 'one of the following is required: state, enabled (or, on systemd hosts, masked, daemon_reload, daemon_reexec)';
  }
  if ((a.name === undefined || a.name === '') && !(daemonOnly && a.state === undefined && a.enabled === undefined && a.masked === undefined)) {
    return 'missing required arguments: name';
  }
  if (a.use === 'sysvinit' && systemdAsked(a).length) return `${systemdAsked(a).join(', ')}: systemd's arguments, but use=sysvinit`;
  return undefined;
}

/** What the probe read of a SysV service. */
export interface SysvState {
  /** /etc/init.d/NAME exists */
  script: boolean;
  /** exit code of `/etc/init.d/NAME status` (0 running, 3 stopped, LSB) */
  statusRc: number;
  /** an S link in runlevels 2-5 */
  enabled: boolean;
  missing: string[];
}

/** One probe for both worlds: systemd's unit reading when it runs, the init script's status otherwise. */
export function probeService(a: Args): Script {
  const name = String(a.name);
  const init = `/etc/init.d/${name}`;
  const sysv = join([
    section('sysv-script', sh`[ -x ${init} ] && echo yes`),
    section('sysv-status', sh`${init} status >/dev/null 2>&1; echo $?`),
    section('sysv-enabled', sh`ls /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d 2>/dev/null | grep -q ${`^S[0-9]*${name}$`} && echo yes`),
    section('tools', missingTools(['update-rc.d'])),
  ]);
  return withSbin(sh`if [ -d /run/systemd/system ] && [ ${String(a.use)} != sysvinit ]; then\n${unitProbe(name)}\nelse\n${sysv}\nfi`);
}

/** Pure: the SysV part of the probe output. */
export function parseSysv(stdout: string): SysvState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const yes = (k: string) => (s.get(k)?.text ?? '').trim() === 'yes';
  return {
    script: yes('sysv-script'),
    statusRc: Number((s.get('sysv-status')?.text ?? '').trim() || 4),
    enabled: yes('sysv-enabled'),
    missing: words(s.get('tools')),
  };
}

/** Pure: the plan for a SysV service. */
export function planSysv(a: Args, s: SysvState, host: string): Plan {
  const name = String(a.name);
  const data = { name, state: a.state === 'restarted' || a.state === 'reloaded' ? 'started' : a.state, enabled: a.enabled };
  if (!s.script) return { kind: 'fail', msg: `Could not find the requested service ${name}: host ${host} (no systemd, no /etc/init.d/${name})`, data };
  const init = `/etc/init.d/${name}`;
  const extra = String(a.arguments ?? '').trim();
  // `arguments` is one string in Ansible, split by the init script's shell; here it stays words split on spaces.
  const run = (verb: string): Script => cmd(init, verb, ...(extra ? extra.split(/\s+/) : []));
  const steps: Script[] = [];
  if (a.enabled === true && !s.enabled) steps.push(cmd('update-rc.d', name, 'defaults'), cmd('update-rc.d', name, 'enable'));
  if (a.enabled === false && s.enabled) steps.push(cmd('update-rc.d', name, 'disable'));
  if (steps.length && s.missing.includes('update-rc.d'))
    return { kind: 'fail', msg: 'update-rc.d not found on the host (Debian: the "init-system-helpers" package)', data };
  const running = s.statusRc === 0;
  if (a.state === 'started' && !running) steps.push(run('start'));
  if (a.state === 'stopped' && running) steps.push(run('stop'));
  if (a.state === 'reloaded') steps.push(run(running ? 'reload' : 'start'));
  if (a.state === 'restarted') {
    const pause: Word = typeof a.sleep === 'number' && a.sleep > 0 ? String(a.sleep) : false;
    steps.push(...(pause ? [run('stop'), cmd('sleep', pause), run('start')] : [run(running ? 'restart' : 'start')]));
  }
  if (!steps.length) return { kind: 'noop', reason: `${name} is in the desired state`, data };
  return { kind: 'change', steps: [{ exec: withSbin(join(steps, ' && ')) }], data };
}

/** The `service` module. */
export const service: Module = {
  name: 'service',
  args,
  checkMode: true,
  validate,
  async run(a, ctx) {
    const problem = validate(a);
    if (problem) return { changed: false, failed: true, msg: problem };
    const asked = systemdAsked(a);
    // a daemon reload alone names no unit: systemd's module does it (and says so when systemd is absent)
    if (!a.name) return runSystemd(a, ctx);
    const out = (await ctx.exec(probeService(a))).stdout;
    const unit = parseUnit(out);
    if (unit.running || a.use === 'systemd') return asked.length ? runSystemd(a, ctx) : apply(planUnit(a, unit, ctx.host), ctx);
    if (asked.length) return { changed: false, failed: true, msg: `${asked.join(', ')}: systemd's arguments, and host ${ctx.host} does not run systemd` };
    return apply(planSysv(a, parseSysv(out), ctx.host), ctx);
  },
};

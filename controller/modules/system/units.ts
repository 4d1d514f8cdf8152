/**
 * systemd units as data: what `systemctl show` and `systemctl is-enabled` say, and the pure decision of which
 * systemctl verbs bring a unit to the wanted state (mask, enable, start... in Ansible's order).
 */
import { sh, join, type Script } from '../../command.js';
import type { Args, Plan } from '../types.js';
import { cmd, keyValues, section, sectionsOf, type Word } from './probe.js';

/** What the probe read about one unit. */
export interface UnitState {
  /** PID 1 is systemd (else systemctl cannot answer) */
  running: boolean;
  /** every property `systemctl show` printed */
  status: Record<string, string>;
  /** `systemctl is-enabled` word (enabled, disabled, static, masked, ...), '' when it had none */
  enabled: string;
}

/** is-enabled answers that count as enabled (Ansible: exit 0, except indirect and alias). */
const ENABLED = ['enabled', 'enabled-runtime', 'static', 'generated', 'transient'];
/** Units that cannot be disabled: `systemctl disable` leaves them as they are. */
const FIXED = ['static', 'generated', 'transient'];

/** The unit-reading part of a probe (sections `systemd`, `show`, `is-enabled`). */
export function unitProbe(name: string): Script {
  return join([
    section('systemd', sh`[ -d /run/systemd/system ] && echo yes`),
    section('show', sh`systemctl show ${name} 2>/dev/null`),
    section('is-enabled', sh`systemctl is-enabled ${name} 2>/dev/null`),
  ]);
}

/** Pure: probe output -> unit state. */
export function parseUnit(stdout: string): UnitState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return {
    running: (s.get('systemd')?.text ?? '').trim() === 'yes',
    status: keyValues(s.get('show')?.text ?? ''),
    enabled: (s.get('is-enabled')?.text ?? '').split('\n')[0].trim(),
  };
}

/** Whether the unit exists (a masked unit does; masking may even target a unit that does not). */
export function unitFound(u: UnitState): boolean {
  const load = u.status.LoadState;
  return load !== undefined && load !== 'not-found';
}

/** Whether the unit is running or about to be. */
export function isActive(u: UnitState): boolean {
  return ['active', 'activating', 'reloading'].includes(u.status.ActiveState ?? '');
}

/** Pure: the systemctl verbs that bring the unit where the arguments want it, with the reasons for what stays. */
export function unitActions(a: Args, u: UnitState): { verbs: Word[][]; notes: string[] } {
  const name = String(a.name);
  const verbs: Word[][] = [];
  const notes: string[] = [];
  const masked = u.enabled === 'masked' || u.enabled === 'masked-runtime' || u.status.LoadState === 'masked';
  const force = a.force === true && '--force';
  if (a.masked === true && !masked) verbs.push(['mask', force, name]);
  if (a.masked === false && masked) verbs.push(['unmask', name]);
  if (typeof a.enabled === 'boolean') {
    const on = ENABLED.includes(u.enabled);
    if (a.enabled && !on) verbs.push(['enable', force, name]);
    else if (!a.enabled && on && FIXED.includes(u.enabled)) notes.push(`${name} is ${u.enabled} and cannot be disabled`);
    else if (!a.enabled && on) verbs.push(['disable', name]);
  }
  const noBlock = a.no_block === true && '--no-block';
  const active = isActive(u);
  switch (a.state) {
    case 'started':
      if (!active) verbs.push(['start', noBlock, name]);
      break;
    case 'stopped':
      if (active || u.status.ActiveState === 'deactivating') verbs.push(['stop', noBlock, name]);
      break;
    case 'restarted':
    case 'reloaded':
      verbs.push([active ? (a.state === 'restarted' ? 'restart' : 'reload') : 'start', noBlock, name]);
      break;
  }
  return { verbs, notes };
}

/** Pure: the plan for a systemd unit. */
export function planUnit(a: Args, u: UnitState, host: string): Plan {
  const name = String(a.name);
  if (!u.running) {
    return { kind: 'fail', msg: 'systemd is not running on this host (PID 1 is another init), so systemctl cannot manage units' };
  }
  const data = {
    name,
    state: a.state === 'restarted' || a.state === 'reloaded' ? 'started' : a.state,
    enabled: a.enabled,
    status: u.status,
  };
  const wantsUnit = a.state !== undefined || a.enabled !== undefined || a.masked === false;
  if (!unitFound(u) && wantsUnit && a.masked !== true) {
    return { kind: 'fail', msg: `Could not find the requested service ${name}: host ${host}`, data };
  }
  const { verbs, notes } = unitActions(a, u);
  if (!verbs.length) return { kind: 'noop', reason: notes[0] ?? `${name} is in the desired state`, data };
  const script = join(
    verbs.map((v) => cmd('systemctl', ...v)),
    ' && ',
  );
  return { kind: 'change', steps: [{ exec: script }], data };
}

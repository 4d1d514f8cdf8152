/**
 * `timezone`: the system time zone. The current zone is read from the /etc/localtime link (which
 * timedated itself reads); timedatectl sets it where systemd runs, else (or when timedated is not
 * reachable, as in many containers) the link is made by hand. Debian's /etc/timezone is kept in step.
 */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule } from '../types.js';
import { fileSection, fileText } from './config-files.js';
import { section, sectionsOf, withSbin } from './probe.js';

const ZONEINFO = '/usr/share/zoneinfo';

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  hwclock: {
    type: 'str',
    aliases: ['rtc'],
    choices: ['local', 'UTC'],
    ignored: 'the hardware clock is left as it is (hosts here are mostly VMs and containers without one of their own)',
  },
};

/** What the probe found. */
export interface TimezoneState {
  /** the zone /etc/localtime points to ('' when it is no link into zoneinfo) */
  current: string;
  /** /etc/timezone's first line; undefined when the file does not exist */
  etc?: string;
  /** the wanted zone exists in zoneinfo */
  known: boolean;
  /** systemd runs and timedatectl exists */
  systemd: boolean;
}

/** The probe: the localtime link, /etc/timezone, the zone file, and whether timedatectl can be used. */
export function probeTimezone(a: Args): Script {
  const name = String(a.name).trim();
  return withSbin(
    section('link', sh`readlink /etc/localtime`),
    fileSection('etc', '/etc/timezone'),
    section('known', sh`[ -f ${`${ZONEINFO}/${name}`} ] && echo yes`),
    section('systemd', sh`[ -d /run/systemd/system ] && command -v timedatectl >/dev/null 2>&1 && echo yes`),
  );
}

/** The zone a localtime link names (`../usr/share/zoneinfo/Europe/Paris` -> `Europe/Paris`). */
export function zoneOfLink(link: string): string {
  const i = link.indexOf('zoneinfo/');
  return i < 0 ? '' : link.slice(i + 'zoneinfo/'.length).trim();
}

/** Pure: probe output -> state. */
export function parseTimezone(stdout: string): TimezoneState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const etc = fileText(s.get('etc'), '/etc/timezone');
  return {
    current: zoneOfLink(s.get('link')?.text ?? ''),
    etc: etc === undefined ? undefined : etc.split('\n')[0].trim(),
    known: s.get('known')?.text.trim() === 'yes',
    systemd: s.get('systemd')?.text.trim() === 'yes',
  };
}

/** Pure: what to do. */
export function planTimezone(a: Args, s: TimezoneState): Plan {
  const name = String(a.name).trim();
  const data = { name };
  const etcRight = s.etc === undefined || s.etc === name;
  if (s.current === name && etcRight) return { kind: 'noop', reason: `time zone is already ${name}`, data };
  if (!s.known) return { kind: 'fail', msg: `unknown time zone "${name}": no ${ZONEINFO}/${name} on the host (Debian: the "tzdata" package)` };
  const zone = `${ZONEINFO}/${name}`;
  const link = sh`ln -sf ${zone} /etc/localtime`;
  // timedated answers from what it read at its start: after a change by hand it may report success and do nothing
  const linked = sh`[ "$(readlink -f /etc/localtime)" = "$(readlink -f ${zone})" ]`;
  const set = s.systemd ? sh`timedatectl set-timezone ${name} 2>/dev/null; ${linked} || ${link}` : link;
  // /etc/timezone is written in place: like /etc/hostname it may be a bind mount in a container
  const etc = s.etc !== undefined || !s.systemd ? sh`printf '%s\\n' ${name} > /etc/timezone` : sh`:`;
  const diff = [{ path: '/etc/localtime', before: s.current ? `${s.current}\n` : '', after: `${name}\n` }];
  return { kind: 'change', steps: [{ exec: withSbin(sh`set -e; ${set}; ${etc}`) }], diff, data };
}

const timezonePlanned: PlannedModule<TimezoneState> = {
  name: 'timezone',
  args,
  checkMode: true,
  probe: probeTimezone,
  parse: (out) => parseTimezone(out.stdout),
  plan: planTimezone,
};

/** The `timezone` module. */
export const timezone = planned(timezonePlanned);

/** System facts: init system, virtualization, the connecting user, clock, kernel command line, Pi model. */
import type { Vars } from '../modules/types.js';
import { int, keyValues, lines, type Sections } from './sections.js';

/** service_mgr: what runs as PID 1, by Ansible's names. */
export function serviceMgr(s: Sections): string {
  const init = keyValues(s('init'));
  if (init.has('systemd_running') || init.get('comm') === 'systemd') return 'systemd';
  const comm = init.get('comm') ?? '';
  if (comm === 'runit' || comm === 'runit-init') return 'runit';
  if (init.has('openrc')) return 'openrc';
  if (comm === 'init' && init.has('initd')) return 'sysvinit';
  return 'service';
}

// systemd-detect-virt's names -> Ansible's virtualization_type.
const VM_TYPES: Record<string, string> = {
  kvm: 'kvm',
  qemu: 'kvm',
  amazon: 'kvm',
  vmware: 'VMware',
  oracle: 'virtualbox',
  microsoft: 'VirtualPC',
  xen: 'xen',
  bochs: 'kvm',
  parallels: 'parallels',
  bhyve: 'bhyve',
};

function vmFromDmi(v: Map<string, string>): string | undefined {
  const product = v.get('dmi_product_name') ?? '';
  const vendor = `${v.get('dmi_sys_vendor') ?? ''} ${v.get('dmi_bios_vendor') ?? ''}`;
  if (/KVM|Standard PC|QEMU/.test(product) || /QEMU|Amazon EC2/.test(vendor)) return 'kvm';
  if (/VMware/.test(product + vendor)) return 'VMware';
  if (/VirtualBox/.test(product) || /innotek/.test(vendor)) return 'virtualbox';
  if (/HVM domU/.test(product) || /Xen/.test(vendor)) return 'xen';
  if (/Virtual Machine/.test(product) && /Microsoft/.test(vendor)) return 'VirtualPC';
  return undefined;
}

function containerFromCgroup(text: string): string | undefined {
  if (/\/docker[/-]/.test(text)) return 'docker';
  if (/\/lxc\/|machine-lxc/.test(text)) return 'lxc';
  if (/\/kubepods/.test(text)) return 'container';
  return undefined;
}

/** virtualization_type/role: a container wins over the VM it may run in (what the host's own tools see). */
export function virtualizationFacts(s: Sections): Vars {
  const v = keyValues(s('virt'));
  const detectedContainer = v.get('detect_container');
  const containerEnv = v.get('container');
  const container =
    (v.has('dockerenv') && 'docker') ||
    (v.has('containerenv') && 'podman') ||
    (containerEnv && (containerEnv.startsWith('lxc') ? 'lxc' : containerEnv === 'oci' ? 'container' : containerEnv)) ||
    (detectedContainer && detectedContainer !== 'none' && detectedContainer) ||
    containerFromCgroup(s('proc1_cgroup'));
  const detectedVm = v.get('detect_vm');
  const vm = (detectedVm && detectedVm !== 'none' && (VM_TYPES[detectedVm] ?? detectedVm)) || vmFromDmi(v) || (v.has('hypervisor') ? 'NA' : undefined);
  // Ansible stops at the container it finds (naming it and 'container'); the VM under it goes unreported
  const guests = container ? [...new Set([container, 'container'])] : vm && vm !== 'NA' ? [vm] : [];
  return {
    virtualization_type: container || vm || 'NA',
    virtualization_role: container || vm ? 'guest' : 'NA',
    virtualization_tech_guest: guests,
    virtualization_tech_host: [],
  };
}

/** user_id (the name, as Ansible has it), user_uid, user_gid, user_dir, user_shell, user_gecos. */
export function userFacts(s: Sections): Vars {
  const u = keyValues(s('user'));
  const passwd = (u.get('passwd') ?? '').split(':');
  return {
    user_id: u.get('name') || null,
    user_uid: int(u.get('uid')) ?? null,
    user_gid: int(u.get('gid')) ?? null,
    user_dir: passwd[5] || u.get('home') || null,
    user_shell: passwd[6] || null,
    user_gecos: passwd[4] ?? null,
  };
}

/** Python's time.tzname[1]: the zone's daylight-saving name (from January and July), or its only name. */
function tzDst(text: string, tz: string): string {
  const [jan, jul] = lines(text).map((l) => l.split(/\s+/));
  if (!jan || !jul) return tz;
  if (jan[0] === jul[0]) return jan[0];
  return Number(jan[1]) > Number(jul[1]) ? jan[0] : jul[0];
}

/** date_time as Ansible gives it: every value a string; iso8601 in UTC, the rest in the host's zone. */
export function dateTimeFacts(s: Sections): Vars {
  const w = lines(s('date'))[0]?.split(/\s+/) ?? [];
  if (w.length < 11) return { date_time: {} };
  const [year, month, day, hour, minute, second, weekday, weekdayNumber, weeknumber] = w;
  // read the zone from the end: its name may be empty or hold a space on odd systems
  const [stamp, tzOffset] = [w[w.length - 1], w[w.length - 2]];
  const tz = w.slice(9, -2).join(' ');
  // "EPOCH.NANOSECONDS" when date knows %N; the microseconds then fill the *_micro and *_basic stamps
  const [epoch, nanos] = stamp.split('.');
  const micro = /^\d{9}$/.test(nanos ?? '') ? nanos.slice(0, 6) : '000000';
  const iso = new Date(Number(epoch) * 1000).toISOString().replace(/\.\d+Z$/, '');
  return {
    date_time: {
      year,
      month,
      day,
      hour,
      minute,
      second,
      weekday,
      weekday_number: weekdayNumber,
      weeknumber,
      tz,
      tz_dst: tzDst(s('tz_names'), tz),
      tz_offset: tzOffset,
      epoch,
      epoch_int: epoch,
      date: `${year}-${month}-${day}`,
      time: `${hour}:${minute}:${second}`,
      iso8601: `${iso}Z`,
      iso8601_micro: `${iso}.${micro}Z`,
      iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
      iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    },
  };
}

/**
 * The kernel command line three ways: `cmdline` (Ansible's: key -> value, a bare flag -> true, the last
 * repeat wins), `proc_cmdline` (Ansible's: repeats kept as a list) and muster's `cmdline_text` (as written).
 */
export function cmdlineFacts(s: Sections): Vars {
  const text = s('cmdline').trim();
  const cmdline: Record<string, string | true> = {};
  const proc: Record<string, string | true | (string | true)[]> = {};
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const i = word.indexOf('=');
    const [key, value] = i > 0 ? [word.slice(0, i), word.slice(i + 1)] : [word, true as const];
    cmdline[key] = value;
    const had = proc[key];
    proc[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return { cmdline, proc_cmdline: proc, cmdline_text: text };
}

/** pi_model: the device-tree model when it is a Raspberry Pi, else null; devicetree_model: any board's model. */
export function piModelFacts(s: Sections): Vars {
  const model = s('pi_model').replace(/\0/g, '').trim() || null;
  return { pi_model: model && /Raspberry Pi/.test(model) ? model : null, devicetree_model: model };
}

/**
 * The rest of Ansible's setup facts that roles read: dns, env, process ids, load average, fips, AppArmor,
 * SELinux, chroot, userspace bits, lsb, python, SSH host keys and DMI (hardware identity).
 */
import type { Vars } from '../modules/types.js';
import { int, keyValues, lines, type Sections } from './sections.js';

/** dns from resolv.conf, read as Ansible does (the last domain/search/sortlist/options line wins). */
export function dnsFacts(s: Sections): Vars {
  const dns: Vars = {};
  for (const line of s('resolv').split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver') dns.nameservers = [...((dns.nameservers as string[]) ?? []), ...rest];
    else if (key === 'domain' && rest.length) dns.domain = rest[0];
    else if (key === 'search' || key === 'sortlist') dns[key] = rest;
    else if (key === 'options') {
      const options: Vars = {};
      for (const o of rest) {
        const i = o.indexOf(':');
        options[i < 0 ? o : o.slice(0, i)] = i < 0 || o.slice(i + 1) === '' ? true : o.slice(i + 1);
      }
      dns.options = options;
    }
  }
  return { dns };
}

/** env: the remote shell's environment (`env -0` output with newlines sent as \x01; plain `env` otherwise). */
export function envFacts(s: Sections): Vars {
  const env: Record<string, string> = {};
  for (const line of s('env').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1).replace(/\x01/g, '\n');
  }
  return { env };
}

/** effective/real user and group ids, loadavg, fips, apparmor, selinux, is_chroot, userspace bits. */
export function securityFacts(s: Sections, machine: string): Vars {
  const ids = keyValues(s('ids'));
  const sec = keyValues(s('security'));
  const load = lines(s('loadavg'))[0]?.split(/\s+/) ?? [];
  const selinux: Vars = { status: 'disabled' };
  if (sec.has('selinux_enforce')) {
    const mode = sec.get('selinux_enforce') === '1' ? 'enforcing' : 'permissive';
    Object.assign(selinux, { status: 'enabled', policyvers: int(sec.get('selinux_policyvers')) ?? 'unknown', mode });
    Object.assign(selinux, { config_mode: sec.get('SELINUX') ?? 'unknown', type: sec.get('SELINUXTYPE') ?? 'unknown' });
  }
  const bits = sec.get('long_bit') || (/64|s390x/.test(machine) ? '64' : '32');
  return {
    effective_user_id: int(ids.get('euid')) ?? null,
    effective_group_id: int(ids.get('egid')) ?? null,
    real_user_id: int(ids.get('ruid')) ?? null,
    real_group_id: int(ids.get('rgid')) ?? null,
    loadavg: load.length >= 3 ? { '1m': Number(load[0]), '5m': Number(load[1]), '15m': Number(load[2]) } : {},
    fips: sec.get('fips') === '1',
    apparmor: { status: sec.has('apparmor') ? 'enabled' : 'disabled' },
    selinux,
    is_chroot: isChroot(sec),
    userspace_bits: bits,
    userspace_architecture: machine === 'x86_64' && bits === '32' ? 'i386' : machine,
  };
}

/** Ansible's test: / differs from PID 1's root; without access to it, / is not the file system's root inode. */
function isChroot(sec: Map<string, string>): boolean | null {
  if (sec.has('debian_chroot')) return true;
  const root = sec.get('root');
  if (!root) return null;
  const proc1 = sec.get('proc1_root');
  if (proc1) return root !== proc1;
  const fs = sec.get('root_fs') ?? '';
  const rootIno = fs.includes('btrfs') ? '256' : fs.includes('xfs') ? '128' : '2';
  return root.split(' ')[1] !== rootIno;
}

/** lsb from `lsb_release -a`, else /etc/lsb-release; {} when neither is there. */
export function lsbFacts(s: Sections): Vars {
  const lsb: Vars = {};
  const fromTool: Record<string, string> = { 'Distributor ID': 'id', Description: 'description', Release: 'release', Codename: 'codename' };
  const fromFile: Record<string, string> = { DISTRIB_ID: 'id', DISTRIB_RELEASE: 'release', DISTRIB_DESCRIPTION: 'description', DISTRIB_CODENAME: 'codename' };
  const tool = lines(s('lsb_release'));
  if (tool.length) {
    for (const l of tool) {
      const i = l.indexOf(':');
      const key = fromTool[l.slice(0, i).trim()];
      if (i > 0 && key) lsb[key] = l.slice(i + 1).trim();
    }
  } else {
    for (const [k, v] of keyValues(s('lsb_file'))) if (fromFile[k]) lsb[fromFile[k]] = v.replace(/^"(.*)"$/, '$1');
  }
  if (typeof lsb.release === 'string') lsb.major_release = lsb.release.split('.')[0];
  return { lsb };
}

/** python and python_version (run with -S: no site, no ssl import) when a Python is on the host (muster itself needs none): else both absent. */
export function pythonFacts(s: Sections): Vars {
  const [executable, version, type] = lines(s('python'));
  const v = version?.split(/\s+/) ?? [];
  if (!executable || v.length < 5) return {};
  const [major, minor, micro, releaselevel, serial] = [Number(v[0]), Number(v[1]), Number(v[2]), v[3], Number(v[4])];
  return {
    python: {
      executable,
      // ssl.SSLContext exists from Python 2.7.9 and 3.2 on; not importing ssl keeps the probe fast
      has_sslcontext: major > 3 || (major === 3 && minor >= 2) || (major === 2 && minor === 7 && micro >= 9),
      type,
      version: { major, minor, micro, releaselevel, serial },
      version_info: [major, minor, micro, releaselevel, serial],
    },
    python_version: `${major}.${minor}.${micro}`,
  };
}

/** ssh_host_key_<type>_public and _keytype from /etc/ssh/ssh_host_<type>_key.pub. */
export function sshHostKeyFacts(s: Sections): Vars {
  const out: Vars = {};
  for (const line of lines(s('ssh_host_keys'))) {
    const m = /^\/etc\/ssh\/ssh_host_(\w+)_key\.pub:(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    out[`ssh_host_key_${m[1]}_public`] = m[3];
    out[`ssh_host_key_${m[1]}_public_keytype`] = m[2];
  }
  return out;
}

// SMBIOS chassis types, by number (DMTF DSP0134).
const FORM_FACTOR = [
  'Unknown',
  'Other',
  'Unknown',
  'Desktop',
  'Low Profile Desktop',
  'Pizza Box',
  'Mini Tower',
  'Tower',
  'Portable',
  'Laptop',
  'Notebook',
  'Hand Held',
  'Docking Station',
  'All In One',
  'Sub Notebook',
  'Space-saving',
  'Lunch Box',
  'Main Server Chassis',
  'Expansion Chassis',
  'Sub Chassis',
  'Bus Expansion Chassis',
  'Peripheral Chassis',
  'RAID Chassis',
  'Rack Mount Chassis',
  'Sealed-case PC',
  'Multi-system',
  'CompactPCI',
  'AdvancedTCA',
  'Blade',
  'Blade Enclosure',
  'Tablet',
  'Convertible',
  'Detachable',
  'IoT Gateway',
  'Embedded PC',
  'Mini PC',
  'Stick PC',
];

// fact -> file under /sys/devices/virtual/dmi/id: the same name except for two
const DMI_FILE: Record<string, string> = { form_factor: 'chassis_type', system_vendor: 'sys_vendor' };
const DMI_FACTS = ['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor']
  .concat(['board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'form_factor'])
  .concat(['product_name', 'product_serial', 'product_uuid', 'product_version', 'system_vendor']);

/** DMI facts from /sys/devices/virtual/dmi/id: 'NA' for what is absent or readable by root only. */
export function dmiFacts(s: Sections): Vars {
  const read = new Map<string, string>();
  for (const line of lines(s('dmi'))) {
    const i = line.indexOf(':');
    if (i > 0) read.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const out: Vars = {};
  for (const fact of DMI_FACTS) {
    const v = read.get(DMI_FILE[fact] ?? fact);
    if (v === undefined) out[fact] = 'NA';
    else if (fact === 'form_factor') out[fact] = FORM_FACTOR[Number(v)] ?? `unknown (${v})`;
    else out[fact] = v;
  }
  return out;
}

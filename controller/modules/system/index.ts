/** The system modules: accounts, packages and repositories, services, kernel parameters and modules, the hostname, time zone and locales, limits, alternatives, cron and mounts. */
import type { Module } from '../types.js';
import { alternatives } from './alternatives.js';
import { apt } from './apt.js';
import { authorizedKey } from './authorized-key.js';
import { cron } from './cron.js';
import { deb822Repository } from './deb822.js';
import { getent } from './getent.js';
import { group } from './group.js';
import { hostname } from './hostname.js';
import { localeGen } from './locale-gen.js';
import { modprobe } from './modprobe.js';
import { mount } from './mount.js';
import { pkg } from './package.js';
import { pamLimits } from './pam-limits.js';
import { service } from './service.js';
import { serviceFacts } from './service-facts.js';
import { sysctl } from './sysctl.js';
import { systemd, systemdService } from './systemd.js';
import { timezone } from './timezone.js';
import { user } from './user.js';

/** One line each for the modules reference page (docs.ts reads `summary`). */
const summaries: Record<string, string> = {
  user: 'A local account present with the given uid, groups, shell, home, comment and password hash (or absent), via useradd/usermod/userdel.',
  group: 'A local group present with the given gid (or absent), via groupadd/groupmod/groupdel.',
  authorized_key: "SSH public keys present in (or absent from) a user's authorized_keys; file 0600 and directory 0700, owned by the user.",
  apt: 'Debian packages present, latest or absent; cache refreshed when older than `cache_valid_time`; upgrade, autoremove, local .deb files.',
  package: 'Generic package module: hands over to apt on Debian-family hosts, fails naming the family elsewhere.',
  deb822_repository: 'An APT source in /etc/apt/sources.list.d/NAME.sources (deb822), with its signing key downloaded to /etc/apt/keyrings.',
  service: 'A service started/stopped/restarted/reloaded and enabled: systemctl where systemd runs, /etc/init.d and update-rc.d elsewhere.',
  systemd: 'A systemd unit started/stopped/restarted/reloaded, enabled, masked; daemon-reload first when asked. Returns `status`.',
  systemd_service: 'The same as systemd (its fully spelled name).',
  sysctl: 'A kernel parameter in a sysctl file (edited on the controller side) and, with `sysctl_set`, in the running kernel.',
  hostname: "The permanent and running hostname: hostnamectl with systemd, else /etc/hostname and `hostname`; a container's refusal becomes a warning.",
  modprobe: 'A kernel module loaded or unloaded; with `persistent`, listed in /etc/modules-load.d and its params in /etc/modprobe.d (or commented out).',
  timezone: 'The system time zone: timedatectl where systemd runs, else the /etc/localtime link; /etc/timezone kept in step. `hwclock` is ignored.',
  locale_gen: 'Locales generated or removed on Debian: their /etc/locale.gen line turned on or off (edited on the controller side), then locale-gen.',
  pam_limits: 'One `domain type item value` limit in /etc/security/limits.conf (edited on the controller side), with use_max/use_min and backup.',
  alternatives: 'A path of an update-alternatives group installed (present), chosen (selected), the group in auto mode, or the path removed.',
  cron: 'A cron job or variable in a user crontab or /etc/cron.d file, under the `#Ansible: NAME` markers Ansible writes (its crontabs are taken over).',
  getent: 'Entries of a name service database (passwd, group, hosts...) as the fact getent_DATABASE, one list of fields per key; `fail_key`.',
  service_facts: 'The services the host knows (init scripts, systemd units and unit files) as the fact `services`: name, state, status, source.',
  mount: 'A mount point in fstab (edited on the controller side) and mounted, unmounted, remounted or ephemeral, as ansible.posix.mount.',
};

export const modules: Module[] = [
  user,
  group,
  authorizedKey,
  apt,
  pkg,
  deb822Repository,
  service,
  systemd,
  systemdService,
  sysctl,
  hostname,
  modprobe,
  timezone,
  localeGen,
  pamLimits,
  alternatives,
  cron,
  mount,
  getent,
  serviceFacts,
].map((m) => ({
  ...m,
  summary: summaries[m.name],
}));

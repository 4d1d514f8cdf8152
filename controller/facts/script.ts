/**
 * The facts probe: one POSIX sh script, one round trip. It prints named sections that `parseFacts` reads;
 * every probe tolerates a missing file or command (the section is then empty), so the script always exits 0.
 */
import { Script } from '../command.js';

/** The line that opens a section; chosen so that no /proc or /sys file can contain it. */
export const SECTION_MARK = '@@muster-facts@@';

// Constant text: no value from outside is interpolated, so no quoting is needed.
const TEXT = `sec() { printf '\\n${SECTION_MARK} %s\\n' "$1"; }
sec env
if env -0 >/dev/null 2>&1; then env -0 | tr '\\n\\000' '\\001\\n'; else env; fi
LC_ALL=C; export LC_ALL
have() { command -v "$1" >/dev/null 2>&1; }
rd() { [ -r "$1" ] && cat "$1" 2>/dev/null; }
limit() { if have timeout; then timeout "$@"; else shift; "$@"; fi; }
sec uname
uname -s 2>/dev/null; uname -n 2>/dev/null; uname -r 2>/dev/null; uname -v 2>/dev/null; uname -m 2>/dev/null
sec fqdn
{ limit 3 hostname -f || limit 3 getent hosts "$(uname -n)"; } 2>/dev/null
sec os_release
rd /etc/os-release || rd /usr/lib/os-release
sec debian_version
rd /etc/debian_version
sec dpkg_architecture
have dpkg && dpkg --print-architecture 2>/dev/null
sec pkg_mgr
for c in apt-get dnf yum zypper apk pacman; do have "$c" && echo "$c"; done
sec cpuinfo
grep -E '^(processor|vendor_id|model name|Processor|cpu|Vendor|physical id|core id|siblings|cpu cores|Model|Hardware|Revision)[[:space:]]*:' /proc/cpuinfo 2>/dev/null
sec nproc
have nproc && nproc 2>/dev/null
sec meminfo
grep -E '^(MemTotal|MemFree|MemAvailable|Buffers|Cached|SwapTotal|SwapFree|SwapCached):' /proc/meminfo 2>/dev/null
sec uptime
rd /proc/uptime
sec machine_id
rd /etc/machine-id || rd /var/lib/dbus/machine-id
sec ip_route
have ip && ip -4 route show default 2>/dev/null
sec ip_addr
have ip && ip -o addr show 2>/dev/null
sec route_get4
have ip && ip -4 route get 8.8.8.8 2>/dev/null
sec route_get6
have ip && ip -6 route get 2404:6800:400a:800::1012 2>/dev/null
sec sysnet
N=/sys/class/net/*
grep -s -H '' $N/address $N/mtu $N/operstate $N/type $N/flags $N/speed $N/bridge/bridge_id $N/bridge/stp_state $N/bonding/slaves $N/bonding/mode $N/bonding/miimon $N/bonding/lacp_rate $N/bonding/primary $N/bonding/all_slaves_active $N/bonding_slave/perm_hwaddr
sec netlinks
for b in /sys/class/net/*/brif/*; do [ -e "$b" ] && echo "brif $b"; done
for d in /sys/class/net/*/device; do [ -e "$d" ] && echo "device $d $(readlink "$d") $([ -e "$d/driver/module" ] && readlink -f "$d/driver/module")"; done
sec proc_route
rd /proc/net/route
sec fib_trie
have ip || rd /proc/net/fib_trie
sec netdev
for d in /sys/class/net/*; do [ -e "$d" ] && printf '%s %s %s\\n' "\${d##*/}" "$(cat "$d/address" 2>/dev/null)" "$(cat "$d/mtu" 2>/dev/null)"; done
sec mounts
awk '$1 ~ /^\\// || $1 ~ /:\\// || $3 ~ /^cgroup/' /proc/mounts 2>/dev/null
sec statfs
awk '($1 ~ /^\\// || $1 ~ /:\\//) && $3 != "none" {print $2}' /proc/mounts 2>/dev/null | while IFS= read -r m; do printf '%b\\000' "$m"; done | limit 10 xargs -0 stat -f -c '%b %a %S %s %c %d %n' 2>/dev/null
sec lsblk
have lsblk && limit 5 lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null
sec findmnt
have findmnt && limit 5 findmnt --list --noheadings --notruncate 2>/dev/null | awk '$2 ~ /\\]/ {print $1}'
sec init
printf 'comm=%s\\n' "$(cat /proc/1/comm 2>/dev/null)"
[ -d /run/systemd/system ] && echo systemd_running=1
[ -x /sbin/openrc ] && echo openrc=1
[ -d /etc/init.d ] && echo initd=1
sec virt
[ -e /.dockerenv ] && echo dockerenv=1
[ -e /run/.containerenv ] && echo containerenv=1
{ tr '\\000' '\\n' < /proc/1/environ | grep '^container='; } 2>/dev/null
if have systemd-detect-virt; then
  printf 'detect_container=%s\\n' "$(systemd-detect-virt -c 2>/dev/null)"
  printf 'detect_vm=%s\\n' "$(systemd-detect-virt -v 2>/dev/null)"
fi
grep -qw hypervisor /proc/cpuinfo 2>/dev/null && echo hypervisor=1
for f in product_name sys_vendor bios_vendor; do [ -r "/sys/class/dmi/id/$f" ] && printf 'dmi_%s=%s\\n' "$f" "$(cat "/sys/class/dmi/id/$f" 2>/dev/null)"; done
sec proc1_cgroup
rd /proc/1/cgroup
sec user
printf 'name=%s\\nuid=%s\\ngid=%s\\nhome=%s\\n' "$(id -un 2>/dev/null)" "$(id -u 2>/dev/null)" "$(id -g 2>/dev/null)" "$HOME"
printf 'passwd=%s\\n' "$(getent passwd "$(id -un 2>/dev/null)" 2>/dev/null)"
sec date
date '+%Y %m %d %H %M %S %A %w %W %Z %z %s.%N' 2>/dev/null
sec pi_model
{ rd /proc/device-tree/model || rd /sys/firmware/devicetree/base/model; } | tr -d '\\000'
sec cgroup_fs
printf 'root=%s\\n' "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"
printf 'unified=%s\\n' "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)"
sec proc_cgroups
rd /proc/cgroups
sec cgroup_controllers
rd /sys/fs/cgroup/cgroup.controllers
sec cmdline
rd /proc/cmdline
sec resolv
rd /etc/resolv.conf
sec ids
printf 'euid=%s\\negid=%s\\nruid=%s\\nrgid=%s\\n' "$(id -u)" "$(id -g)" "$(id -ru)" "$(id -rg)" 2>/dev/null
sec loadavg
rd /proc/loadavg
sec security
printf 'fips=%s\\n' "$(cat /proc/sys/crypto/fips_enabled 2>/dev/null)"
[ -e /sys/kernel/security/apparmor ] && echo apparmor=1
[ -r /sys/fs/selinux/enforce ] && printf 'selinux_enforce=%s\\nselinux_policyvers=%s\\n' "$(cat /sys/fs/selinux/enforce)" "$(cat /sys/fs/selinux/policyvers 2>/dev/null)"
grep -s -E '^SELINUX(TYPE)?=' /etc/selinux/config
printf 'long_bit=%s\\n' "$(getconf LONG_BIT 2>/dev/null)"
printf 'root=%s\\nproc1_root=%s\\nroot_fs=%s\\n' "$(stat -c '%d %i' / 2>/dev/null)" "$(stat -c '%d %i' /proc/1/root/. 2>/dev/null)" "$(stat -fc %T / 2>/dev/null)"
[ -n "\${debian_chroot:-}" ] && echo debian_chroot=1
sec lsb_release
have lsb_release && limit 5 lsb_release -a 2>/dev/null
sec lsb_file
rd /etc/lsb-release
sec python
P=$(command -v python3 || command -v python)
[ -n "$P" ] && limit 5 "$P" -S -c 'import sys; print(sys.executable); print(" ".join(map(str, sys.version_info))); print(getattr(getattr(sys, "implementation", None), "name", "cpython"))' 2>/dev/null
sec ssh_host_keys
grep -s -H '' /etc/ssh/ssh_host_dsa_key.pub /etc/ssh/ssh_host_rsa_key.pub /etc/ssh/ssh_host_ecdsa_key.pub /etc/ssh/ssh_host_ed25519_key.pub
sec dmi
[ -e /sys/devices/virtual/dmi/id/product_name ] && echo present=1 && cd /sys/devices/virtual/dmi/id && grep -s -H '' bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version chassis_asset_tag chassis_serial chassis_vendor chassis_version chassis_type product_name product_serial product_uuid product_version sys_vendor; cd /
sec tz_names
printf '2000-01-01 12:00\\n2000-07-01 12:00\\n' | date -f - '+%Z %z' 2>/dev/null
sec local
for f in /etc/ansible/facts.d/*.fact; do
  [ -e "$f" ] || continue
  if [ -x "$f" ]; then o=$(limit 10 "$f" 2>/dev/null); printf '@@fact %s %s\\n%s\\n' "\${f##*/}" "$?" "$o"
  else printf '@@fact %s -\\n' "\${f##*/}"; cat "$f" 2>/dev/null; echo; fi
done
sec end
exit 0
`;

/** The facts script (the same text every time). */
export function factsScript(): Script {
  return new Script(TEXT, 'gather facts');
}

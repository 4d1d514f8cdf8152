/**
 * The facts probe: one POSIX sh script, one round trip. It prints named sections that `parseFacts` reads;
 * every probe tolerates a missing file or command (the section is then empty), so the script always exits 0.
 */
import { Script } from '../command.js';

/** The line that opens a section; chosen so that no /proc or /sys file can contain it. */
export const SECTION_MARK = '@@muster-facts@@';

// Constant text: no value from outside is interpolated, so no quoting is needed.
const TEXT = `LC_ALL=C; export LC_ALL
sec() { printf '\\n${SECTION_MARK} %s\\n' "$1"; }
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
have ip && ip -4 -o addr show 2>/dev/null
sec proc_route
rd /proc/net/route
sec fib_trie
have ip || rd /proc/net/fib_trie
sec netdev
for d in /sys/class/net/*; do [ -e "$d" ] && printf '%s %s %s\\n' "\${d##*/}" "$(cat "$d/address" 2>/dev/null)" "$(cat "$d/mtu" 2>/dev/null)"; done
sec mounts
awk '$1 ~ /^\\// || $1 ~ /:\\// || $3 ~ /^cgroup/' /proc/mounts 2>/dev/null
sec df
limit 10 df -P -k -a 2>/dev/null | awk 'NR == 1 || $1 ~ /^\\// || $1 ~ /:\\//'
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
date '+%Y %m %d %H %M %S %A %w %W %Z %z %s' 2>/dev/null
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
sec end
exit 0
`;

/** The facts script (the same text every time). */
export function factsScript(): Script {
  return new Script(TEXT, 'gather facts');
}

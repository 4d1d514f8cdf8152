// What a lab host's end state is, for comparing the two tools' work: files under /etc, /home and /root
// (type, mode, owner, group, sha256 or link target), packages, accounts, enabled and active systemd units,
// sysctls. Pure: the script that reads it is text, its output is parsed here; what differs between two
// hosts by nature (host names, keys, counters, login sessions) is left out, each with why.

/** The folders whose files are compared. */
export const ROOTS = ['/etc', '/home', '/root']

/** The shell script run as root in a host (over roots): sections introduced by "@@ NAME" lines. */
export const snapshotScript = (roots = ROOTS) => `
walk () { find ${roots.join(' ')} -xdev \\( -path /root/.ansible -o -path '/home/*/.ansible' -o -path /root/.cache -o -name __pycache__ \\) -prune -o "$@"; }
echo '@@ files'
walk -printf '%y\\t%m\\t%u\\t%g\\t%p\\t%l\\n'
echo '@@ sha'
walk -type f -print0 | xargs -0 -r sha256sum
echo '@@ packages'
dpkg-query -W -f '\${Package}:\${Architecture}\\t\${Version}\\t\${db:Status-Abbrev}\\n'
echo '@@ passwd'
getent passwd
echo '@@ group'
getent group
echo '@@ enabled'
systemctl list-unit-files --no-legend --no-pager --plain --state=enabled
echo '@@ active'
systemctl list-units --no-legend --no-pager --plain --all --state=active
echo '@@ sysctl'
sysctl -a 2>/dev/null
echo '@@ end'
`

/** Files left out, with why: they differ between any two hosts whatever a tool does. */
export const FILE_EXCLUSIONS = [
  [/^\/etc\/(hostname|hosts|resolv\.conf|machine-id|mtab)$/, 'per container (Docker writes them, systemd makes machine-id)'],
  [/^\/etc\/ssh\/ssh_host_/, 'SSH host keys, generated per host at boot'],
  [/^\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)-$/, 'the shadow tools\' backup of the previous version: records the order of edits, not the end state'],
  [/^\/etc\/\.pwd\.lock$/, 'lock file of the shadow tools'],
  [/(^|\/)__pycache__(\/|$)|\.pyc$/, 'Python caches'],
  [/^\/(root|home\/[^/]+)\/\.(ansible|cache)(\/|$)/, 'Ansible\'s own temporary directories and caches'],
  [/^\/etc\/docker\/key\.json$/, 'dockerd\'s random identity key'],
  [/^\/etc\/ld\.so\.cache$/, 'binary cache whose bytes depend on the order ldconfig walked the directories'],
]

/** sysctls left out: counters and random values that change on their own. */
export const SYSCTL_EXCLUSIONS = [
  /^kernel\.random\./,
  /^fs\.(dentry-state|inode-nr|inode-state|file-nr|aio-nr|dentry-negative)\b/,
  /^fs\.quota\./,
  /^kernel\.(ns_last_pid|pty\.nr|tainted)\b/,
  /\.nf_conntrack_count$/,
  /\.stable_secret$/,
  /^net\.netfilter\.nf_conntrack_(buckets|max)$/,
]

/**
 * Units left out of the active list: login sessions (each tool's own SSH logins), device or runtime mounts,
 * and systemd's bus-activated helpers, which exit after 30 s idle (active or not by when the last tool ran).
 */
export const UNIT_EXCLUSIONS = [
  /^systemd-(timedated|hostnamed|localed)\.service$/,
  /^session-[^.]+\.scope$/,
  /^user@\d+\.service$/,
  /^user-\d+\.slice$/,
  /^user-runtime-dir@\d+\.service$/,
  /^run-.+\.mount$/,
  /^(dev|sys)-.+\.(device|mount)$/,
]

const excluded = (list, key) => list.some((x) => (Array.isArray(x) ? x[0] : x).test(key))

/** Splits the script's output into its sections: { files: [lines], sha: [lines], ... }. */
export function sectionsOf (stdout) {
  const out = {}
  let cur = null
  for (const line of stdout.split('\n')) {
    const m = line.match(/^@@ (\w+)$/)
    if (m) { cur = m[1]; out[cur] ??= []; continue }
    if (cur && line !== '') out[cur].push(line)
  }
  return out
}

/**
 * The script's output -> { complete, files, packages, passwd, group, enabled, active, sysctl }, each a
 * plain object of key -> value text (sorted keys), exclusions applied. complete is false when the output
 * stops before its end marker (the script was cut short).
 */
export function parseSnapshot (stdout) {
  const s = sectionsOf(stdout)
  const sha = new Map()
  for (const line of s.sha ?? []) {
    const m = line.match(/^([0-9a-f]{64}) [ *](.+)$/)
    if (m) sha.set(m[2], m[1])
  }
  const files = {}
  for (const line of s.files ?? []) {
    const [type, mode, owner, group, file, target] = line.split('\t')
    if (file === undefined || excluded(FILE_EXCLUSIONS, file)) continue
    const what = type === 'f' ? `sha256:${sha.get(file) ?? '?'}` : type === 'l' ? `-> ${target}` : ''
    files[file] = `${type} ${mode} ${owner}:${group}${what ? ` ${what}` : ''}`
  }
  const packages = {}
  for (const line of s.packages ?? []) {
    const [name, version, status] = line.split('\t')
    // Only what is installed: removed-but-configured packages show as "rc" and count as their own state.
    const st = status?.trim()
    if (name && st !== 'un') packages[name] = st === 'ii' ? version : `${version} (${st})`
  }
  const byFirstField = (lines, sep) => Object.fromEntries(lines.map((l) => [l.split(sep)[0], l]))
  const unitNames = (lines, skip) => Object.fromEntries(lines.map((l) => l.trim().split(/\s+/)[0])
    .filter((u) => u && !(skip && excluded(UNIT_EXCLUSIONS, u))).map((u) => [u, 'yes']))
  const sysctl = {}
  for (const line of s.sysctl ?? []) {
    const i = line.indexOf(' = ')
    const key = i < 0 ? line : line.slice(0, i)
    if (!excluded(SYSCTL_EXCLUSIONS, key)) sysctl[key] = i < 0 ? '' : line.slice(i + 3)
  }
  return {
    complete: 'end' in s,
    files: sorted(files),
    packages: sorted(packages),
    passwd: sorted(byFirstField(s.passwd ?? [], ':')),
    group: sorted(byFirstField(s.group ?? [], ':')),
    enabled: sorted(unitNames(s.enabled ?? [], false)),
    active: sorted(unitNames(s.active ?? [], true)),
    sysctl: sorted(sysctl),
  }
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/** The parts of a snapshot, in the order they are compared and shown. */
export const PARTS = ['files', 'packages', 'passwd', 'group', 'enabled', 'active', 'sysctl']

// Lab of real test hosts: Debian 13 containers with systemd as PID 1 and sshd,
// published on 127.0.0.1 only. See DESIGN.md, "Test hosts on these machines".
import { $ } from 'zx'
import { createHash } from 'node:crypto'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import { openSync, readFileSync, readdirSync, existsSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

// A bound instance, so that importing tests keep their own zx settings.
const sh = $({ quiet: true, verbose: false })

export const IMAGE = 'muster-lab:trixie'
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const LAB_DIR = path.join(ROOT, '.lab')
export const KEY_PATH = path.join(LAB_DIR, 'id_ed25519')
const DOCKERD_LOG = '/var/log/muster-dockerd.log'

// Everything that shapes the image. Its hash is stored as an image label, so any
// change here (or in configureRootfs) rebuilds the image on the next run.
const RECIPE = {
  suite: 'trixie',
  variant: 'minbase',
  include: ['systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'sudo', 'iproute2', 'procps',
    'ca-certificates', 'libpam-systemd',
    // not needed by muster: ansible-playbook needs it, as the benchmark's anchor
    'python3'],
  // Units that need real hardware, a console or a kernel a container does not own;
  // apt timers are masked so that no background apt run takes the dpkg lock mid-test.
  mask: ['getty@tty1.service', 'console-getty.service', 'getty.target', 'systemd-udevd.service',
    'systemd-modules-load.service', 'systemd-remount-fs.service', 'systemd-firstboot.service',
    'systemd-pstore.service', 'sys-kernel-config.mount', 'sys-kernel-debug.mount',
    'sys-kernel-tracing.mount', 'proc-sys-fs-binfmt_misc.automount', 'systemd-binfmt.service',
    'apt-daily.timer', 'apt-daily-upgrade.timer', 'dpkg-db-backup.timer', 'fstrim.timer',
    'e2scrub_all.timer', 'e2scrub_reap.service'],
  files: {
    // The key is bind-mounted at container start (not baked in), so the image does not
    // depend on a clone's key, and a playbook managing ~/.ssh/authorized_keys cannot lock us out.
    'etc/ssh/sshd_config.d/10-lab.conf': [
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UseDNS no',
      'MaxStartups 200',
      'MaxSessions 100',
      'HostKey /etc/ssh/ssh_host_ed25519_key',
      'HostKey /etc/ssh/ssh_host_ecdsa_key',
      'Match User muster,pwuser',
      '    AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/lab_authorized_keys',
      ''].join('\n'),
    // Debian's sshd-keygen only runs on "first boot"; clearing its conditions makes every
    // container generate its own host keys. No RSA key: 3072-bit RSA costs ~0.6 s of CPU per
    // host, which made 20 hosts boot in 18 s instead of a few on 2 cores.
    'etc/systemd/system/sshd-keygen.service.d/10-lab.conf':
      '[Unit]\nConditionFirstBoot=\n[Service]\nExecStart=\nExecStart=/usr/local/sbin/lab-ssh-keygen\n',
    'usr/local/sbin/lab-ssh-keygen': '#!/bin/sh\nfor t in ed25519 ecdsa; do\n' +
      '  [ -f /etc/ssh/ssh_host_${t}_key ] || ssh-keygen -q -t $t -N "" -C "root@$(hostname)" -f /etc/ssh/ssh_host_${t}_key\ndone\n',
    // Start sshd once logins are allowed (boot keeps /run/nologin until then), so that a host
    // whose sshd answers is ready; then startLab need not spend a login (and a systemd --user
    // manager) per host just to find out.
    'etc/systemd/system/ssh.service.d/10-lab.conf': '[Unit]\nAfter=systemd-user-sessions.service\n',
    'etc/sudoers.d/10-lab': 'Defaults lecture=never\nmuster ALL=(ALL:ALL) NOPASSWD: ALL\n',
    'etc/default/locale': 'LANG=C.UTF-8\n',
    'etc/systemd/journald.conf.d/10-lab.conf': '[Journal]\nStorage=volatile\nRuntimeMaxUse=16M\n',
    'etc/apt/apt.conf.d/10-lab': 'APT::Install-Recommends "false";\n',
  },
  // Runs inside the rootfs (chroot) after the files are written.
  script: `set -eu
useradd -m -u 1000 -s /bin/bash muster
useradd -m -u 1001 -s /bin/bash -G sudo pwuser
echo 'pwuser:pwpass' | chpasswd
chmod 0440 /etc/sudoers.d/10-lab
chmod 0755 /usr/local/sbin/lab-ssh-keygen
# Clients send their LANG; a locale this image lacks would make every command warn.
sed -i '/^AcceptEnv/d' /etc/ssh/sshd_config
rm -f /etc/ssh/ssh_host_*
# Empty machine-id: each container gets its own at boot.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
systemctl mask ${'$'}MASK
apt-get clean
# Do the "/usr was updated" work (ldconfig, journal catalog) once here, not in every container's boot.
ldconfig
journalctl --update-catalog
touch /etc/.updated /var/.updated
`,
}

// Other Debian suites, for hosts whose distribution differs (Debian 12 ships Node 18, for example).
// Built from RECIPE with the suite swapped, each under its own tag and hash; RECIPE itself stays as it
// is, so the trixie image keeps its hash. Bookworm has no sshd-keygen.service: a unit of ours runs the
// same key generator before sshd.
const SUITES = {
  bookworm: {
    ...RECIPE,
    suite: 'bookworm',
    files: {
      ...RECIPE.files,
      'etc/systemd/system/lab-ssh-keygen.service': '[Unit]\nBefore=ssh.service\n[Service]\nType=oneshot\n' +
        'RemainAfterExit=yes\nExecStart=/usr/local/sbin/lab-ssh-keygen\n[Install]\nWantedBy=ssh.service\n',
    },
    script: RECIPE.script.replace('systemctl mask', 'systemctl enable lab-ssh-keygen.service\nsystemctl mask'),
  },
}

/** The image tag of a suite: IMAGE for trixie, muster-lab:SUITE for the others in SUITES. */
export function imageOf (suite = 'trixie') {
  if (suite === RECIPE.suite) return IMAGE
  if (!SUITES[suite]) throw new Error(`no lab recipe for suite ${suite} (known: ${[RECIPE.suite, ...Object.keys(SUITES)].join(', ')})`)
  return `muster-lab:${suite}`
}
const recipeOf = (suite) => suite === RECIPE.suite ? RECIPE : SUITES[suite]

// ---------- helpers ----------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const alive = (pid) => { try { process.kill(pid, 0); return pid > 0 } catch (e) { return e.code === 'EPERM' } }
const debug = (msg) => { if (process.env.MUSTER_LAB_DEBUG) console.error(msg) }
const hostName = (i, count) => 'h' + String(i).padStart(Math.max(2, String(count).length), '0')
export const containerName = (lab, host) => `muster-lab-${lab}-${host}`

function recipeHash (suite = RECIPE.suite) {
  if (suite !== RECIPE.suite) {
    return createHash('sha256').update(JSON.stringify(recipeOf(suite))).update(configureSuite.toString())
      .digest('hex').slice(0, 16)
  }
  return createHash('sha256').update(JSON.stringify(RECIPE)).update(configureRootfs.toString())
    .digest('hex').slice(0, 16)
}

async function pool (items, limit, fn) {
  const out = new Array(items.length)
  let next = 0
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i], i) } }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

// The Debian mirror this machine already uses: apt sources are the one place it is configured.
export function debianMirror () {
  if (process.env.MUSTER_LAB_MIRROR) return process.env.MUSTER_LAB_MIRROR
  const read = (f) => { try { return readFileSync(f, 'utf8') } catch { return '' } }
  const oneLine = (text) => [...text.matchAll(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/gm)]
    .map((m) => ({ uri: m[1], suite: m[2] }))
  const deb822 = (text) => text.split(/\n\s*\n/).flatMap((stanza) => {
    const field = (k) => (stanza.match(new RegExp(`^${k}:[ \\t]*(.+)$`, 'mi')) || [])[1]?.trim() || ''
    if (!/\bdeb\b/.test(field('Types')) || /^no$/i.test(field('Enabled'))) return []
    return field('URIs').split(/\s+/).filter(Boolean).map((uri) => ({ uri, suite: field('Suites').split(/\s+/)[0] }))
  })
  const uris = oneLine(read('/etc/apt/sources.list'))
  let files = []
  try { files = readdirSync('/etc/apt/sources.list.d').sort() } catch {}
  for (const f of files) {
    const text = read(path.join('/etc/apt/sources.list.d', f))
    if (f.endsWith('.list')) uris.push(...oneLine(text))
    else if (f.endsWith('.sources')) uris.push(...deb822(text))
  }
  // The main archive carries the bare codename suite; security and updates archives do not.
  const main = uris.find((u) => /^https?:/.test(u.uri) && !/security/.test(u.uri) && !/-/.test(u.suite))
  if (!main) throw new Error('no Debian mirror found in /etc/apt/sources.list{,.d}; set MUSTER_LAB_MIRROR')
  return main.uri
}

// ---------- docker engine ----------

export async function ensureDocker () {
  if ((await sh`docker info`.nothrow()).exitCode === 0) return
  if (process.getuid?.() !== 0) throw new Error('the Docker engine is not running, and starting dockerd needs root')
  const log = openSync(DOCKERD_LOG, 'a')
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref()
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (existsSync('/var/run/docker.sock') && (await sh`docker info`.nothrow()).exitCode === 0) return
    await sleep(500)
  }
  throw new Error(`dockerd did not come up within 60 s; see ${DOCKERD_LOG}`)
}

// ---------- image ----------

async function withLock (file, fn) {
  await fs.mkdir(path.dirname(file), { recursive: true })
  for (;;) {
    try { await fs.writeFile(file, String(process.pid), { flag: 'wx' }); break } catch (e) {
      if (e.code !== 'EEXIST') throw e
      const pid = Number(await fs.readFile(file, 'utf8').catch(() => '0'))
      if (!alive(pid)) { await fs.rm(file, { force: true }); continue }
      await sleep(1000)
    }
  }
  try { return await fn() } finally { await fs.rm(file, { force: true }) }
}

async function imageHash (image = IMAGE) {
  const r = await sh`docker image inspect -f ${'{{ index .Config.Labels "muster.lab.recipe" }}'} ${image}`.nothrow()
  return r.exitCode === 0 ? r.stdout.trim() : null
}

async function configureRootfs (dir) {
  for (const [file, text] of Object.entries(RECIPE.files)) {
    await fs.mkdir(path.join(dir, path.dirname(file)), { recursive: true })
    await fs.writeFile(path.join(dir, file), text)
  }
  await sh({ env: { ...process.env, MASK: RECIPE.mask.join(' '), LC_ALL: 'C' } })`chroot ${dir} /bin/sh -c ${RECIPE.script}`
}

// configureRootfs for the suites in SUITES (configureRootfs itself is part of the trixie hash: left as it is).
async function configureSuite (dir, recipe) {
  for (const [file, text] of Object.entries(recipe.files)) {
    await fs.mkdir(path.join(dir, path.dirname(file)), { recursive: true })
    await fs.writeFile(path.join(dir, file), text)
  }
  await sh({ env: { ...process.env, MASK: recipe.mask.join(' '), LC_ALL: 'C' } })`chroot ${dir} /bin/sh -c ${recipe.script}`
}

/** Builds the suite's image (IMAGE for trixie) unless it exists with the current recipe hash. Returns true if it built. */
export async function buildImage ({ force = false, log = () => {}, suite = RECIPE.suite } = {}) {
  await ensureDocker()
  const image = imageOf(suite)
  const recipe = recipeOf(suite)
  const hash = recipeHash(suite)
  if (!force && await imageHash(image) === hash) return false
  return withLock(path.join(LAB_DIR, 'build.lock'), async () => {
    if (!force && await imageHash(image) === hash) return false // another process built it meanwhile
    const dir = await fs.mkdtemp('/var/tmp/muster-lab-rootfs-')
    try {
      const mirror = debianMirror()
      log(`debootstrap ${recipe.suite} from ${mirror}`)
      const boot = await sh`debootstrap --variant=${recipe.variant} --include=${recipe.include.join(',')} ${recipe.suite} ${dir} ${mirror}`.nothrow()
      if (boot.exitCode !== 0) {
        // Its own log says why (mirror, keyring, a package); it lives in the rootfs we are about to delete.
        const why = await fs.readFile(path.join(dir, 'debootstrap/debootstrap.log'), 'utf8').catch(() => boot.stderr)
        throw new Error(`debootstrap ${recipe.suite} from ${mirror} failed:\n${why.trim().split('\n').slice(-15).join('\n')}`)
      }
      log('configuring rootfs')
      if (recipe === RECIPE) await configureRootfs(dir)
      else await configureSuite(dir, recipe)
      log(`importing ${image}`)
      await sh`tar -C ${dir} --numeric-owner -c .`.pipe(sh`docker import -c ${'CMD ["/sbin/init"]'} -c ${'ENV container=docker'} -c ${`LABEL muster.lab.recipe=${hash}`} - ${image}`)
      return true
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
}

export async function ensureKey () {
  await fs.mkdir(LAB_DIR, { recursive: true })
  if (!existsSync(KEY_PATH)) {
    await withLock(path.join(LAB_DIR, 'key.lock'), async () => {
      if (!existsSync(KEY_PATH)) await sh`ssh-keygen -q -t ed25519 -N ${''} -C muster-lab -f ${KEY_PATH}`
    })
  }
  return KEY_PATH
}

// ---------- ports ----------

// Ports are picked here rather than by Docker (127.0.0.1::22) because Docker hands out a
// new port when a stopped container starts again, and reboot tests need a stable address.
// The range sits below the kernel's ephemeral range so outgoing connections never hold them.
function probePort (port) {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}
async function freePort (taken) {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000)
    if (!taken.has(port) && await probePort(port)) { taken.add(port); return port }
  }
  throw new Error('no free port found in 20000-32000')
}

// ---------- hosts ----------

function hostOf (lab, host) {
  const h = typeof host === 'string' ? lab.hosts.find((x) => x.name === host) : host
  if (!h) throw new Error(`lab ${lab.name} has no host ${host}`)
  return h
}

const sshBase = (lab, h) => ['-i', lab.keyPath, '-p', String(h.port), '-o', 'BatchMode=yes',
  '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${lab.knownHostsPath}`,
  '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR']

/** Runs cmd on the host over real SSH (strict host key checking). Never throws on exit code. */
export async function ssh (lab, host, cmd, { user = 'muster' } = {}) {
  const h = hostOf(lab, host)
  const r = await sh`ssh ${sshBase(lab, h)} ${user}@${h.address} ${cmd}`.nothrow()
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
}

/** docker exec as root inside the host: for assertions, not for the code under test. */
export async function exec (lab, host, cmd) {
  const h = hostOf(lab, host)
  const argv = Array.isArray(cmd) ? cmd : ['sh', '-c', cmd]
  const r = await sh`docker exec ${h.container} ${argv}`.nothrow()
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
}

async function keyscan (port) {
  const r = await sh`ssh-keyscan -T 3 -t ed25519,ecdsa -p ${port} 127.0.0.1`.nothrow()
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).sort()
}

// True once sshd's banner comes through. Checked in-process because docker-proxy accepts
// connections before sshd runs, and spawning ssh-keyscan in a tight loop for 20 booting
// hosts competes with them for the CPU.
function sshBanner (port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1')
    const done = (ok) => { clearTimeout(timer); sock.destroy(); resolve(ok) }
    const timer = setTimeout(() => done(false), timeoutMs)
    sock.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')))
    sock.once('error', () => done(false))
    sock.once('close', () => done(false))
  })
}

// Waits until sshd answers with its host keys (see the ssh.service drop-in: logins then work).
async function waitHost (lab, h, timeoutMs = 60_000) {
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (await sshBanner(h.port)) {
      const keys = await keyscan(h.port)
      if (keys.length) {
        debug(`${h.name}: sshd up after ${Date.now() - t0} ms`)
        // systemd in a container leaves / private, where on a machine it makes it shared; then a unit's
        // credentials (LoadCredential=), mounted in a helper's namespace, never reach /run/credentials.
        await sh`docker exec ${h.container} mount --make-rshared /`.nothrow()
        return keys
      }
    }
    await sleep(250)
  }
  const state = (await sh`docker inspect -f {{.State.Status}} ${h.container}`.nothrow()).stdout.trim()
  throw new Error(`lab ${lab.name}: sshd of host ${h.name} (${h.container}, 127.0.0.1:${h.port}) did not answer within ` +
    `${timeoutMs / 1000} s (container ${state || 'missing'}; try: docker exec ${h.container} systemctl --failed)`)
}

async function writeFiles (lab, keyLines) {
  const hosts = Object.fromEntries(lab.hosts.map((h) => [h.name, {
    ansible_host: h.address, ansible_port: h.port, ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath,
  }]))
  // known_hosts is deliberately not named in here: tests choose which known_hosts a client trusts.
  const inventory = { lab: { hosts } }
  await fs.writeFile(lab.inventoryPath, `# written by test/lab/lab.mjs for lab ${lab.name}\n` + YAML.stringify(inventory))
  await fs.writeFile(lab.knownHostsPath, keyLines.flat().join('\n') + '\n')
  await fs.writeFile(path.join(lab.dir, 'lab.json'), JSON.stringify({ name: lab.name, hosts: lab.hosts, docker: lab.docker, suite: lab.suite }, null, 2) + '\n')
}

function runArgs (lab, h) {
  const flags = lab.docker
    // Docker inside the host: what works here instead of --privileged (see DESIGN.md).
    ? ['--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE', '--security-opt', 'seccomp=unconfined',
        '--security-opt', 'apparmor=unconfined', '--security-opt', 'systempaths=unconfined',
        '-v', '/sys/fs/cgroup:/sys/fs/cgroup:rw', '-v', `${h.container}-docker:/var/lib/docker`]
    : ['--cap-add', 'SYS_ADMIN', '-v', '/sys/fs/cgroup:/sys/fs/cgroup:ro']
  const ports = Object.entries(h.ports).flatMap(([inner, outer]) => ['-p', `127.0.0.1:${outer}:${inner}`])
  return ['-d', '--name', h.container, '--hostname', h.name, '--label', `muster.lab=${lab.name}`,
    '--label', `muster.lab.host=${h.name}`, '--label', `muster.lab.pid=${process.pid}`, ...flags, '--tmpfs', '/run', '--tmpfs', '/run/lock',
    // systemd shuts down cleanly on SIGRTMIN+3; on SIGTERM it would wait for docker's SIGKILL.
    '--restart=always', '--stop-signal', 'SIGRTMIN+3', ...ports,
    '-v', `${lab.keyPath}.pub:/etc/ssh/lab_authorized_keys:ro`, imageOf(lab.suite)]
}

async function runHost (lab, h, taken) {
  // Labelled, so stopLab finds it by lab name exactly (a name filter would also match lab "x-2" for "x").
  if (lab.docker) await sh`docker volume create --label ${`muster.lab=${lab.name}`} ${h.container}-docker`
  for (let attempt = 0; ; attempt++) {
    const r = await sh`docker run ${runArgs(lab, h)}`.nothrow()
    if (r.exitCode === 0) return
    await sh`docker rm -f ${h.container}`.nothrow()
    // Another lab may have taken a port between our probe and docker's bind: pick again.
    if (attempt < 5 && /port is already allocated|address already in use/i.test(r.stderr)) {
      for (const inner of Object.keys(h.ports)) h.ports[inner] = await freePort(taken)
      h.port = h.ports[22]
      continue
    }
    throw new Error(`lab ${lab.name}: docker run ${h.container} failed: ${r.stderr.trim()}`)
  }
}

// Containers of a lab with this name are leftovers of a run that died, unless the process
// that started them still runs: then two test runs picked one name, and removing its hosts
// under it would fail that run in ways far from the cause.
async function claimName (name) {
  const r = await sh`docker ps -a --filter ${`label=muster.lab=${name}`} --format ${'{{.Label "muster.lab.pid"}}'}`
  for (const pid of new Set(r.stdout.split('\n').filter(Boolean).map(Number))) {
    if (pid !== process.pid && alive(pid)) {
      throw new Error(`lab ${name} is in use by process ${pid}: give this lab another name, or remove it with: node test/lab/cli.mjs down --name ${name}`)
    }
  }
  await stopLab(name)
}

/**
 * Starts `count` hosts h01..hNN. `ports` are extra container ports to publish on 127.0.0.1
 * (host.ports maps container port -> host port; 22 is always published). `suite` picks the Debian
 * release of the hosts (trixie, or one of SUITES: bookworm).
 */
export async function startLab ({ name = 'default', count = 1, docker = false, ports = [], timeoutMs = 60_000, suite = RECIPE.suite } = {}) {
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(name)) throw new Error(`bad lab name: ${name}`)
  imageOf(suite) // an unknown suite fails before anything starts
  await ensureDocker()
  await buildImage({ suite })
  await ensureKey()
  await claimName(name)
  const dir = path.join(LAB_DIR, name)
  await fs.mkdir(dir, { recursive: true })
  const lab = {
    name, dir, docker, suite, keyPath: KEY_PATH,
    inventoryPath: path.join(dir, 'inventory.yml'), knownHostsPath: path.join(dir, 'known_hosts'),
    hosts: [],
  }
  const taken = new Set()
  for (let i = 1; i <= count; i++) {
    const hn = hostName(i, count)
    const hostPorts = {}
    for (const p of [22, ...ports]) hostPorts[p] = await freePort(taken)
    lab.hosts.push({ name: hn, container: containerName(name, hn), port: hostPorts[22], address: '127.0.0.1', ports: hostPorts })
  }
  lab.stop = () => stopLab(name)
  try {
    const t0 = Date.now()
    await pool(lab.hosts, 8, (h) => runHost(lab, h, taken))
    debug(`lab ${name}: ${count} containers created in ${Date.now() - t0} ms`)
    const keys = await Promise.all(lab.hosts.map((h) => waitHost(lab, h, timeoutMs)))
    debug(`lab ${name}: all hosts accept SSH after ${Date.now() - t0} ms`)
    await writeFiles(lab, keys)
  } catch (e) {
    await stopLab(name)
    throw e
  }
  return lab
}

/** Removes every container (and Docker-in-host volume) of the lab. */
export async function stopLab (name) {
  const ids = (await sh`docker ps -aq --filter ${`label=muster.lab=${name}`}`).stdout.split('\n').filter(Boolean)
  if (ids.length) await sh`docker rm -f -v ${ids}`
  const vols = (await sh`docker volume ls -q --filter ${`label=muster.lab=${name}`}`).stdout.split('\n').filter(Boolean)
  if (vols.length) await sh`docker volume rm -f ${vols}`.nothrow()
  await fs.rm(path.join(LAB_DIR, name), { recursive: true, force: true })
}

/** The lab that `startLab` (or `cli.mjs up`) left running under this name, e.g. to run tests against it. */
export async function loadLab (name = 'default') {
  const dir = path.join(LAB_DIR, name)
  const saved = JSON.parse(await fs.readFile(path.join(dir, 'lab.json'), 'utf8'))
  return {
    ...saved, dir, keyPath: KEY_PATH,
    inventoryPath: path.join(dir, 'inventory.yml'), knownHostsPath: path.join(dir, 'known_hosts'),
    stop: () => stopLab(name),
  }
}

/** Labs with running or stopped containers: [{ name, hosts: [{ name, container, status, ports }] }]. */
export async function listLabs () {
  const fmt = '{{.Label "muster.lab"}}\t{{.Label "muster.lab.host"}}\t{{.Names}}\t{{.Status}}\t{{.Ports}}'
  const rows = (await sh`docker ps -a --filter label=muster.lab --format ${fmt}`).stdout.split('\n').filter(Boolean)
  const labs = new Map()
  for (const row of rows) {
    const [lab, host, container, status, ports] = row.split('\t')
    if (!labs.has(lab)) labs.set(lab, { name: lab, hosts: [] })
    labs.get(lab).hosts.push({ name: host, container, status, ports })
  }
  for (const l of labs.values()) l.hosts.sort((a, b) => a.name.localeCompare(b.name))
  return [...labs.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * Gives the host new SSH host keys and restarts sshd. known_hosts is left as it was,
 * so that clients using it see a changed key. Returns the new known_hosts lines.
 */
export async function restartHostKey (lab, host) {
  const h = hostOf(lab, host)
  const r = await exec(lab, h, 'rm -f /etc/ssh/ssh_host_* && /usr/local/sbin/lab-ssh-keygen && systemctl restart ssh')
  if (r.exitCode !== 0) throw new Error(`restartHostKey ${h.name}: ${r.stderr.trim()}`)
  const deadline = Date.now() + 30_000
  for (;;) {
    const keys = await keyscan(h.port)
    if (keys.length) return keys
    if (Date.now() > deadline) throw new Error(`restartHostKey ${h.name}: sshd did not come back`)
    await sleep(250)
  }
}

/** docker stop: the host goes away as if powered off (cleanly, via systemd). */
export async function stopHost (lab, host) {
  const h = hostOf(lab, host)
  await sh`docker stop -t 20 ${h.container}`
}

/** docker start, then waits until SSH logins work again. Same port, same host keys. */
export async function startHost (lab, host, { timeoutMs = 60_000 } = {}) {
  const h = hostOf(lab, host)
  await sh`docker start ${h.container}`
  await waitHost(lab, h, timeoutMs)
}

/** Waits until SSH logins work (for example after a reboot triggered by a playbook). */
export async function waitForHost (lab, host, { timeoutMs = 60_000 } = {}) {
  await waitHost(lab, hostOf(lab, host), timeoutMs)
}

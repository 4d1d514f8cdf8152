// What the agent bench starts and must clean up: a TLS certificate and token, the busybox image, the
// bundled agent and node_exporter as processes, and the containers of one scope on the machine's dockerd.
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** The image of the bench's containers: a static busybox imported from a rootfs (as in the agent's e2e tests). */
export const IMAGE = 'muster-busybox:1'
/** Debian's node_exporter binary. */
export const EXPORTER = '/usr/bin/prometheus-node-exporter'

/** docker CLI against the machine's engine; throws with docker's own message on failure. */
export function docker (...args) {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).trim()
}

/** Why the bench cannot run here, or undefined. Never starts or restarts dockerd: others' containers live there. */
export function missing () {
  try {
    docker('info', '--format', '{{.ServerVersion}}')
  } catch {
    return 'no dockerd answers on /var/run/docker.sock: start it (source .ci/setup; start_dockerd) and run again'
  }
  if (!existsSync('/bin/busybox')) return 'no /bin/busybox to build the image: apt-get install -y busybox-static'
  try { execFileSync('openssl', ['version'], { stdio: 'ignore' }) } catch { return 'no openssl to make the TLS certificate: apt-get install -y openssl' }
  return undefined
}

/** Builds muster-busybox:1 unless the engine has it: /bin/busybox, a symlink per applet, docker import. */
export function ensureImage () {
  try {
    docker('image', 'inspect', IMAGE)
    return
  } catch {} // not built yet
  const root = mkdtempSync(path.join(os.tmpdir(), 'muster-busybox-'))
  try {
    mkdirSync(path.join(root, 'bin'))
    mkdirSync(path.join(root, 'tmp'))
    copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'))
    const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox')
    for (const a of applets) symlinkSync('busybox', path.join(root, 'bin', a))
    execFileSync('sh', ['-c', `tar -C "${root}" -c . | docker import --change 'ENV PATH=/bin' - ${IMAGE}`], { stdio: 'pipe' })
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** Removes every container carrying io.muster.managed=<scope>; returns how many. */
export function removeScope (scope) {
  const ids = docker('ps', '-aq', '--filter', `label=io.muster.managed=${scope}`).split('\n').filter(Boolean)
  if (ids.length > 0) docker('rm', '-f', ...ids)
  return ids.length
}

/**
 * A work directory holding what a node gets when the controller places the agent: a self-signed
 * certificate for 127.0.0.1, its key, a token, a state directory. Returns the paths and the token.
 */
export function makeNodeFiles () {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-agent-'))
  const cert = path.join(dir, 'tls.crt')
  const key = path.join(dir, 'tls.key')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' })
  const token = randomBytes(32).toString('hex')
  const tokenFile = path.join(dir, 'token')
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 })
  const stateDir = path.join(dir, 'state')
  mkdirSync(stateDir, { mode: 0o700 })
  return { dir, cert, key, ca: readFileSync(cert), token, tokenFile, stateDir }
}

/** A free TCP port on 127.0.0.1 (for node_exporter, which cannot be told to pick one). */
export function freePort () {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

// Starts argv with stderr collected; resolves once `ready` matches the collected text.
function startProcess (argv, { cwd, ready, what }) {
  const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr.on('data', (c) => { log += c.toString() })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
  const proc = {
    pid: child.pid,
    log: () => log,
    /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited */
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s:\n${log}`)), 30_000)
    const check = () => {
      const m = ready.exec(log)
      if (m) { clearTimeout(timer); resolve({ ...proc, match: m }) }
    }
    child.stderr.on('data', check)
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`${what} could not start: ${e.message}`)) })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${log}`)) })
  })
  return { proc, started }
}

/**
 * Starts the bundle as a node would run it: copied alone into the work directory (no node_modules
 * within reach), `node muster-agent.mjs` with TLS, the token, its own scope and the default report
 * interval, after `nodeFlags` (the unit's node options). `track` receives the process at once, so that cleanup can stop it even if start-up fails.
 */
export async function startAgent (bundle, files, scope, nodeFlags, track) {
  const placed = path.join(files.dir, 'muster-agent.mjs')
  copyFileSync(bundle, placed)
  const argv = [process.execPath, ...nodeFlags, placed, '--listen', '127.0.0.1', '--port', '0', '--tls-cert', files.cert, '--tls-key', files.key,
    '--token-file', files.tokenFile, '--state-dir', files.stateDir, '--scope', scope]
  const { proc, started } = startProcess(argv, { cwd: files.dir, ready: /listening on (https:\/\/127\.0\.0\.1:\d+)/, what: 'the agent' })
  track(proc)
  const p = await started
  return { ...p, url: p.match[1] }
}

/** Starts Debian's node_exporter on 127.0.0.1:port with its default collectors. */
export async function startExporter (port, track) {
  const argv = [EXPORTER, `--web.listen-address=127.0.0.1:${port}`]
  const { proc, started } = startProcess(argv, { cwd: os.tmpdir(), ready: /Listening on|listening/i, what: 'node_exporter' })
  track(proc)
  const p = await started
  return { ...p, url: `http://127.0.0.1:${port}/metrics` }
}

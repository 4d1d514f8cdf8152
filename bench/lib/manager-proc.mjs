// What the manager and failover benches start and must stop: `muster serve` as its own process (its API
// over HTTPS, with the fleet CA and the token it writes), the simulated fleet in its own process
// (sim-serve.mjs, driven on stdin), and the readings of a process from /proc.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import https from 'node:https'
import net from 'node:net'
import path from 'node:path'
import { createInterface } from 'node:readline'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Resolves with the first line of `stream` that `match` accepts; rejects after `ms` or when the process ends. */
function lineMatching (child, lines, match, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: nothing after ${ms / 1000} s`)), ms)
    const onLine = (l) => {
      const m = match(l)
      if (m) done(null, m)
    }
    const onExit = (code) => done(new Error(`${what}: the process ended (exit ${code})`))
    const done = (e, v) => {
      clearTimeout(timer)
      lines.off('line', onLine)
      child.off('exit', onExit)
      if (e) reject(e)
      else resolve(v)
    }
    lines.on('line', onLine)
    child.once('exit', onExit)
  })
}

/** Sends SIGTERM to a child and waits for it to end; SIGKILL after `ms`. */
export async function stopChild (child, ms = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const ended = new Promise((resolve) => child.once('exit', resolve))
  try { process.kill(child.pid, 'SIGTERM') } catch { return }
  if (await Promise.race([ended.then(() => true), sleep(ms).then(() => false)])) return
  try { process.kill(child.pid, 'SIGKILL') } catch {}
  await ended
}

/**
 * Starts the simulated fleet (`node bench/lib/sim-serve.mjs`) and waits for its ready line. Returns its
 * ready answer ({ pid, dir, inventory, env, nodes, startupMs }), `send(line)` (resolves with the JSON answer)
 * and `close()`.
 */
export async function startSim (root, { nodes, dir, images = [], timeoutMs = 300_000 }) {
  const args = [path.join(root, 'bench/lib/sim-serve.mjs'), '--nodes', String(nodes), '--dir', dir]
  if (images.length) args.push('--images', images.join(','))
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (c) => { err = (err + c).slice(-4000) })
  const lines = createInterface({ input: child.stdout })
  const waiting = []
  let ready
  try {
    ready = await lineMatching(child, lines, (l) => { try { const a = JSON.parse(l); return a.ready ? a : null } catch { return null } }, timeoutMs, 'the simulated fleet')
  } catch (e) {
    await stopChild(child)
    throw new Error(`${e.message}\n${err}`)
  }
  lines.on('line', (l) => waiting.shift()?.(l))
  return {
    ...ready,
    child,
    send (line) {
      return new Promise((resolve, reject) => {
        waiting.push((l) => { try { resolve(JSON.parse(l)) } catch (e) { reject(e) } })
        child.stdin.write(`${line}\n`)
      })
    },
    async close () {
      if (child.exitCode !== null) return
      child.stdin.end()
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(15_000)])
      await stopChild(child)
    },
  }
}

/**
 * Starts `node bin/muster.js serve -i INVENTORY --listen 127.0.0.1:PORT` with `env` (MUSTER_STATE_DIR set) and
 * waits until it listens. Returns { child, pid, url, log(), get(path), getText(path), post(path, body), stop() };
 * requests carry the manager's token and check its certificate against the fleet CA.
 */
export async function startServe (root, { inventory, env, stateDir, timeoutMs = 600_000 }) {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(root, 'bin/muster.js'), 'serve', '-i', inventory, '--listen', `127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const keep = (c) => { out = (out + c).slice(-20_000) }
  child.stderr.on('data', keep)
  const lines = createInterface({ input: child.stdout })
  lines.on('line', (l) => keep(`${l}\n`))
  try {
    await lineMatching(child, lines, (l) => l.startsWith('muster manager on '), timeoutMs, 'muster serve')
  } catch (e) {
    await stopChild(child)
    throw new Error(`${e.message}\n${out.split('\n').slice(-30).join('\n')}`)
  }
  const token = readFileSync(path.join(stateDir, 'manager/token'), 'utf8').trim()
  const ca = readFileSync(path.join(stateDir, 'ca.crt'), 'utf8')
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca })
  const call = (method, p, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
      const headers = { authorization: `Bearer ${token}`, accept: 'application/json' }
      if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) })
      const req = https.request({ host: '127.0.0.1', port, path: p, method, agent, headers, timeout: 60_000 }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error(`${method} ${p}: no answer in 60 s`)))
      req.on('error', reject)
      req.end(payload)
    })
  const json = async (method, p, body) => {
    const r = await call(method, p, body)
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${p}: ${r.status} ${r.text.slice(0, 500)}`)
    return JSON.parse(r.text)
  }
  return {
    child,
    pid: child.pid,
    url: `https://127.0.0.1:${port}`,
    log: () => out,
    get: (p) => json('GET', p),
    post: (p, body) => json('POST', p, body),
    async getText (p) {
      const r = await call('GET', p)
      if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${r.text.slice(0, 500)}`)
      return r.text
    },
    async stop () {
      agent.destroy()
      await stopChild(child, 30_000)
    },
  }
}

/** /proc/PID/status and /proc/PID/stat of a live process. */
export function procReadings (pid) {
  return { status: readFileSync(`/proc/${pid}/status`, 'utf8'), stat: readFileSync(`/proc/${pid}/stat`, 'utf8') }
}

/** Polls `check` every `everyMs` until it returns true or `ms` pass: the seconds since `since`, or null. */
export async function until (check, { ms, everyMs = 250, since = Date.now() }) {
  for (;;) {
    if (await check()) return (Date.now() - since) / 1000
    if (Date.now() - since > ms) return null
    await sleep(everyMs)
  }
}

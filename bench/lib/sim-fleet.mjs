// A simulated fleet: N light fake agents in one process, each answering the real agent API (TLS with its own
// certificate from the fleet CA, its own token, its own port on 127.0.0.1), for the manager's scale bench and
// for integration tests of the controller without Docker. Credentials and the inventory are written where the
// controller reads them (MUSTER_STATE_DIR, group `agents`), so `muster nodes -i INV` sees a real fleet.
// One http.Server that never listens handles every node: each node is a net.Server whose connections are
// wrapped in TLS with the node's certificate and handed to it, which keeps a node to a few kilobytes.
// Heartbeats asked over PUT /v1/heartbeat go out of one UDP socket, on one timer (sim-heartbeat.mjs).
import { createSocket } from 'node:dgram'
import { writeFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import path from 'node:path'
import { createSecureContext, TLSSocket } from 'node:tls'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { heartbeatSender } from './sim-heartbeat.mjs'
import { reportNow, simHandler } from './sim-http.mjs'
import { refreshPhase, simModels } from './sim-report.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const HOST = '127.0.0.1'
/**
 * Where a fleet's ports start by default: a random port in [61000, 65536 - 2N), above Linux's ephemeral range
 * (32768-60999: no outgoing connection takes a killed node's port before it revives) and above the lab's
 * published ports (20000-32000: a lab started meanwhile cannot take it either); random so that fleets of
 * parallel test processes seldom meet (a port in use is skipped at start, but not at revive). A fleet too
 * big for that room starts at 20000.
 */
export const defaultBasePort = (count, random = Math.random) => {
  const room = 65536 - 61000 - 2 * count
  return room > 0 ? 61000 + Math.floor(random() * room) : 20000
}

/** The node names: sim0001..simNNNN (four digits at least). */
export const simName = (i, count) => `sim${String(i + 1).padStart(Math.max(4, String(count).length), '0')}`

/** The inventory YAML of the simulated fleet: group `agents`, each host at 127.0.0.1 with its agent port. */
export function inventoryYaml (nodes) {
  const hosts = nodes.map((n) => `        ${n.name}:\n          ansible_host: ${HOST}\n          muster_agent_port: ${n.port}\n`).join('')
  return `# A simulated fleet (bench/lib/sim-fleet.mjs): every agent answers on ${HOST}.\nall:\n  children:\n    agents:\n      hosts:\n${hosts}`
}

// The controller's and the agent's own code: from dist/ (the bench) or from the sources (tests, through tsx).
async function realCode (root) {
  const load = (p) => import(pathToFileURL(path.join(root, p)).href)
  const [ca, creds, target, auth, store, check, heartbeat, etag, state] = await Promise.all([
    load('controller/fleet/ca.js'),
    load('controller/fleet/node-credentials.js'),
    load('controller/fleet/target.js'),
    load('agent/api/auth.js'),
    load('agent/state/desired-store.js'),
    load('agent/api/check-desired.js'),
    load('shared/heartbeat.js'),
    load('agent/api/report-etag.js'),
    load('shared/report-state.js'),
  ])
  return { ...ca, ...creds, ...target, ...auth, ...store, ...check, ...heartbeat, ...etag, ...state }
}

async function mapLimit (items, n, fn) {
  const out = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
  return out
}

const listen = (server, port) =>
  new Promise((resolve, reject) => {
    const onError = (e) => {
      server.off('listening', onListening)
      reject(e)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ port, host: HOST, exclusive: true })
  })

const bindUdp = (socket) =>
  new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.bind({ port: 0, address: HOST }, () => {
      socket.off('error', reject)
      resolve()
    })
  })

const closeServer = (server) => new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))

/**
 * Starts the fleet. opts: nodes (count), dir (the controller's state directory to make: CA, node credentials,
 * inventory.yml), seed (the hardware mix), startDelayMs (a container runs this long after it was added),
 * basePort, images (refs every node holds from the start), reportIntervalMs (a node collects its report again
 * this long after it last did, 10 s by default as the real agent; the nodes' refresh moments are spread over one
 * interval; a change the report shows collects it at once), codeRoot (where the controller's compiled code is:
 * dist/ by default; the repository root under tsx), now (a clock, for tests: reports and the end of heartbeat
 * registrations follow it; the heartbeats' cadence follows the real time).
 */
export async function startSimFleet (opts) {
  const count = opts.nodes
  if (!Number.isInteger(count) || count < 1) throw new Error(`nodes must be a whole number above 0, not ${count}`)
  if (!opts.dir) throw new Error('dir (the state directory to make) is required')
  const dir = path.resolve(opts.dir)
  const now = opts.now ?? Date.now
  const startDelayMs = opts.startDelayMs ?? 0
  const reportIntervalMs = opts.reportIntervalMs ?? 10_000
  if (!Number.isInteger(reportIntervalMs) || reportIntervalMs < 1) {
    throw new Error(`reportIntervalMs must be a whole number of milliseconds above 0, not ${reportIntervalMs}`)
  }
  const code = await realCode(opts.codeRoot ?? path.join(ROOT, 'dist'))

  const started = now()
  const { ca } = await code.openCa(dir, { persist: true, now: new Date(started) })
  const models = simModels(count, opts.seed ?? 1)
  const nodes = await mapLimit(models, 64, async (model, i) => {
    const name = simName(i, count)
    const names = code.certNamesFor({ ansible_host: HOST }, name)
    const { credentials } = await code.nodeCredentials(ca, dir, name, names, { rotateToken: false, persist: true, now: new Date(started) })
    return {
      name,
      index: i,
      port: 0,
      token: credentials.token,
      credentials,
      context: null,
      authorised: code.bearerChecker(credentials.token),
      model,
      availability: 'active',
      desired: null,
      entries: new Map(),
      volumes: new Map(),
      images: new Set(opts.images ?? []),
      bootAt: started,
      kept: null,
      refreshBase: started + refreshPhase(i, count, reportIntervalMs),
      server: null,
      sockets: new Set(),
      frozen: false,
      held: new Set(),
      heartbeat: null,
    }
  })
  const byName = new Map(nodes.map((n) => [n.name, n]))
  const stats = { requests: {}, puts: {}, accepted: {}, collected: 0, notModified: 0, heartbeats: 0, registrations: 0 }
  const sim = { startDelayMs, reportIntervalMs, now, stats, judgeGeneration: code.judgeGeneration, desiredSetProblem: code.desiredSetProblem }
  const udp = createSocket('udp4')
  udp.on('error', () => {}) // a datagram that cannot go is lost, as UDP loses it
  await bindUdp(udp)
  udp.unref()
  sim.heartbeatRequestProblem = code.heartbeatRequestProblem
  sim.ifNoneMatchHits = code.ifNoneMatchHits
  sim.reportStateTag = code.reportStateTag
  sim.heartbeats = heartbeatSender({
    count,
    ttlMs: code.HEARTBEAT_TTL_MS,
    now,
    tagsOf: (n) => reportNow(sim, n),
    packet: code.heartbeatPacket,
    send: (datagram, port, address) => udp.send(datagram, port, address),
    stats,
  })
  const handle = simHandler(sim)
  const nodeOf = new WeakMap()
  const http = createHttpServer({ keepAliveTimeout: 5000 }, (req, res) => handle(nodeOf.get(req.socket), req, res))
  http.on('clientError', (_e, socket) => socket.destroy())

  const accept = (node) => (raw) => {
    node.sockets.add(raw)
    raw.on('close', () => node.sockets.delete(raw))
    raw.on('error', () => raw.destroy())
    if (node.frozen) return // a partition: the connection is accepted, and nothing more ever happens on it
    // made on first use: a context takes a millisecond to make and a few kilobytes to keep
    node.context ??= createSecureContext({ key: node.credentials.keyPem, cert: node.credentials.certPem })
    const secure = new TLSSocket(raw, { isServer: true, secureContext: node.context })
    secure.on('error', () => raw.destroy())
    nodeOf.set(secure, node)
    http.emit('connection', secure)
  }

  const open = async (node, port) => {
    node.server = createNetServer(accept(node))
    await listen(node.server, port)
    node.port = node.server.address().port
  }
  let cursor = opts.basePort ?? defaultBasePort(count)
  for (const node of nodes) {
    for (;;) {
      if (cursor > 65535) throw new Error('no free port left on 127.0.0.1 for the simulated agents: give a lower basePort')
      try {
        await open(node, cursor++)
        break
      } catch (e) {
        if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw e
      }
    }
  }
  const inventory = path.join(dir, 'inventory.yml')
  await writeFile(inventory, inventoryYaml(nodes))

  const node = (name) => {
    const n = byName.get(name)
    if (!n) throw new Error(`no simulated node ${name}: the fleet has ${nodes[0].name}..${nodes[nodes.length - 1].name}`)
    return n
  }
  const drop = (n) => {
    for (const s of n.sockets) s.destroy()
    n.held.clear()
  }
  const kill = async (name) => {
    const n = node(name)
    n.frozen = false
    n.kept = null
    n.heartbeat = null // an agent that restarts has no registration
    const closing = closeServer(n.server)
    drop(n)
    await closing
  }
  const revive = async (name) => {
    const n = node(name)
    if (n.frozen) {
      n.frozen = false
      drop(n) // what was held while partitioned is reset, as by an agent that restarts
    }
    n.kept = null // an agent that restarts, or comes back from a partition, collects its report again
    if (n.server.listening) return
    n.bootAt = now()
    for (let tries = 0; ; tries++) {
      try {
        return await open(n, n.port)
      } catch (e) {
        if (e.code !== 'EADDRINUSE' || tries >= 50) throw new Error(`cannot revive ${name}: port ${n.port} is taken (${e.code})`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }

  return {
    dir,
    inventory,
    /** the environment the controller needs to find this fleet's CA and tokens */
    env: { MUSTER_STATE_DIR: dir },
    caPem: ca.certPem,
    startupMs: now() - started,
    nodes: nodes.map((n) => ({ name: n.name, address: HOST, port: n.port, token: n.token, model: n.model.model })),
    target: (name) => {
      const n = node(name)
      return { address: HOST, port: n.port, ca: ca.certPem, token: n.token }
    },
    kill,
    freeze: async (name) => {
      const n = node(name)
      if (n.server.listening) n.frozen = true
    },
    revive,
    state: (name) => {
      const n = node(name)
      return n.server.listening ? (n.frozen ? 'frozen' : 'up') : 'dead'
    },
    stats: () => ({
      requests: { ...stats.requests },
      puts: { ...stats.puts },
      accepted: { ...stats.accepted },
      collected: stats.collected,
      notModified: stats.notModified,
      heartbeats: stats.heartbeats,
      registrations: stats.registrations,
    }),
    desired: (name) => node(name).desired,
    containers: (name) => {
      const n = node(name)
      const t = now()
      return [...n.entries.values()].map((e) => ({
        name: e.spec.name,
        image: e.spec.image,
        state: t - e.addedAt >= startDelayMs ? 'running' : 'created',
      }))
    },
    close: async () => {
      sim.heartbeats.close()
      try {
        udp.close()
      } catch {} // closed already
      const closing = nodes.map((n) => closeServer(n.server))
      for (const n of nodes) drop(n)
      await Promise.all(closing)
    },
  }
}

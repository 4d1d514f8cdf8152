// The one request handler every simulated agent shares: the real agent API's routes, status codes and error
// shape (agent/api/app.ts), over the node's state in memory. Files, logs, images and metrics answer 501.
// GET /v1/report serves the node's kept report with its ETag, and 304 when If-None-Match names it.
// PUT /v1/heartbeat registers the node's heartbeats (sim-heartbeat.mjs), DELETE /v1/heartbeat ends them.
import { desiredBodyProblem, nextEntries, volumesOf } from './sim-desired.mjs'
import { keptReport } from './sim-report.mjs'

const BODY_LIMIT = 1024 * 1024
const AVAILABILITIES = ['active', 'pause', 'drain']

// Every route and its methods, as the real agent has them; a wrong method gets 405 and the methods allowed.
const ROUTES = {
  '/v1/health': ['GET', 'HEAD'],
  '/v1/report': ['GET', 'HEAD'],
  '/v1/desired': ['GET', 'HEAD', 'PUT'],
  '/metrics': ['GET', 'HEAD'],
  '/v1/availability': ['POST'],
  '/v1/drain': ['POST'],
  '/v1/images': ['POST'],
  '/v1/files': ['GET'],
  '/v1/heartbeat': ['PUT', 'DELETE'],
}
const PREFIXES = [
  ['/v1/logs/', ['GET'], '/v1/logs/:container'],
  ['/v1/files/', ['PUT', 'DELETE'], '/v1/files/:name'],
]
const NOT_SIMULATED = new Set(['/metrics', '/v1/images', '/v1/files', '/v1/logs/:container', '/v1/files/:name'])

/** The route a path belongs to (its pattern and methods), or undefined. */
export function routeOf (path) {
  if (ROUTES[path]) return { route: path, methods: ROUTES[path] }
  for (const [prefix, methods, route] of PREFIXES) {
    if (path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes('/')) return { route, methods }
  }
  return undefined
}

const errorBody = (code, message, extra = {}) => ({ error: { code, message, ...extra } })

function send (req, res, status, body, headers = {}, text = JSON.stringify(body)) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(req.method === 'HEAD' ? undefined : text)
}

/** Reads a JSON body: the value, or the error answer the real agent gives (415, 413, 400). */
function readJson (req) {
  return new Promise((resolve) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') {
      req.resume()
      return resolve({ status: 415, body: errorBody('E_CONTENT_TYPE', 'send the body as application/json') })
    }
    const chunks = []
    let size = 0
    req.on('data', (c) => {
      size += c.length
      if (size <= BODY_LIMIT) chunks.push(c)
    })
    req.on('error', () => resolve({ status: 400, body: errorBody('E_BODY', 'the body could not be read') }))
    req.on('end', () => {
      if (size > BODY_LIMIT) return resolve({ status: 413, body: errorBody('E_BODY_TOO_LARGE', 'the body is larger than the agent accepts') })
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve({ status: 400, body: errorBody('E_BODY', 'the JSON body is empty') })
      try {
        resolve({ value: JSON.parse(text) })
      } catch (e) {
        resolve({ status: 400, body: errorBody('E_JSON', `the body is not valid JSON: ${e.message}`) })
      }
    })
  })
}

/**
 * The report a GET /v1/report of `node` would serve now: the kept one, or one collected now (then kept, and
 * counted in sim.stats.collected). sim: as simHandler's.
 */
export function reportNow (sim, node) {
  const { report, fresh } = keptReport(node.kept, node, sim.startDelayMs, sim.reportIntervalMs, sim.now(), sim.reportStateTag)
  node.kept = report
  if (fresh) sim.stats.collected++
  return report
}

/**
 * The handler of every simulated agent: `handle(node, req, res)`. sim: { startDelayMs, reportIntervalMs, now(),
 * stats, judgeGeneration, desiredSetProblem, heartbeatRequestProblem, ifNoneMatchHits and reportStateTag (the real
 * code's pure rules),
 * heartbeats (sim-heartbeat.mjs's sender) }. node: the node's state (sim-report.mjs) with its token checker
 * `authorised(header)`, `frozen`, `held` (answers kept back while frozen), `kept` (its last report, or null
 * when something it says changed) and `refreshBase`.
 */
export function simHandler (sim) {
  const count = (key) => {
    sim.stats.requests[key] = (sim.stats.requests[key] ?? 0) + 1
  }

  async function putDesired (node, req, res) {
    sim.stats.puts[node.name] = (sim.stats.puts[node.name] ?? 0) + 1
    const read = await readJson(req)
    if (read.status) return send(req, res, read.status, read.body)
    const set = read.value
    let problem = desiredBodyProblem(set)
    if (!problem) {
      try {
        problem = sim.desiredSetProblem(set)
      } catch {
        problem = { field: 'containers', message: 'a container spec is not valid' }
      }
    }
    if (problem) {
      const at = problem.field ? `${problem.field}: ` : ''
      return send(req, res, 400, errorBody('E_SCHEMA', `${at}${problem.message}`, problem.field ? { field: problem.field } : {}))
    }
    const outcome = sim.judgeGeneration(node.desired, set)
    if (outcome.kind === 'stale') {
      const message = `generation ${set.generation} is not newer than the current ${outcome.current}`
      return send(req, res, 409, errorBody('E_STALE_GENERATION', message, { current: outcome.current }))
    }
    if (outcome.kind === 'accepted') {
      const now = sim.now()
      node.desired = set
      node.kept = null
      node.entries = nextEntries(node.entries, set, now)
      for (const [name, stack] of volumesOf(set)) node.volumes.set(name, stack)
      for (const c of set.containers) node.images.add(c.image)
      sim.stats.accepted[node.name] = (sim.stats.accepted[node.name] ?? 0) + 1
    }
    return send(req, res, 200, { generation: outcome.generation, outcome: outcome.kind })
  }

  const changeAvailability = (node, availability) => {
    if (node.availability !== availability) node.kept = null
    node.availability = availability
  }

  function getReport (node, req, res) {
    const report = reportNow(sim, node)
    if (sim.ifNoneMatchHits(req.headers['if-none-match'], report.tag)) {
      sim.stats.notModified++
      res.writeHead(304, { etag: report.tag, 'cache-control': 'no-cache' })
      return res.end()
    }
    return send(req, res, 200, undefined, { etag: report.tag, 'cache-control': 'no-cache' }, report.text)
  }

  async function postAvailability (node, req, res, legacy) {
    const read = await readJson(req)
    if (read.status) return send(req, res, read.status, read.body)
    const b = read.value
    if (legacy) {
      if (b === null || typeof b !== 'object' || typeof b.available !== 'boolean' || Object.keys(b).length !== 1) {
        return send(req, res, 400, errorBody('E_SCHEMA', 'the body must be { "available": true or false }', { field: 'available' }))
      }
      changeAvailability(node, b.available ? 'active' : 'drain')
      return send(req, res, 200, { available: b.available })
    }
    if (b === null || typeof b !== 'object' || !AVAILABILITIES.includes(b.availability) || Object.keys(b).length !== 1) {
      return send(req, res, 400, errorBody('E_SCHEMA', 'availability must be active, pause or drain', { field: 'availability' }))
    }
    changeAvailability(node, b.availability)
    return send(req, res, 200, { availability: b.availability, available: b.availability === 'active' })
  }

  async function putHeartbeat (node, req, res) {
    const read = await readJson(req)
    if (read.status) return send(req, res, read.status, read.body)
    const problem = sim.heartbeatRequestProblem(read.value)
    if (problem) {
      const at = problem.field ? `${problem.field}: ` : ''
      return send(req, res, 400, errorBody('E_SCHEMA', `${at}${problem.message}`, { field: problem.field }))
    }
    return send(req, res, 200, sim.heartbeats.register(node, req.socket.remoteAddress, read.value))
  }

  return function handle (node, req, res) {
    if (node.frozen) {
      node.held.add(res) // a partitioned node: the request is never answered
      return
    }
    const q = req.url.indexOf('?')
    const path = q < 0 ? req.url : req.url.slice(0, q)
    const found = routeOf(path)
    count(found?.methods.includes(req.method) ? `${req.method} ${found.route}` : 'other')
    if (path !== '/v1/health' && !node.authorised(req.headers.authorization)) {
      return send(req, res, 401, errorBody('E_AUTH', 'send the agent token as "Authorization: Bearer <token>"'), {
        'www-authenticate': 'Bearer realm="muster-agent"',
      })
    }
    if (!found) return send(req, res, 404, errorBody('E_NOT_FOUND', `no route ${req.method} ${path}`))
    if (!found.methods.includes(req.method)) {
      const allowed = found.methods.join(', ')
      return send(req, res, 405, errorBody('E_METHOD', `${req.method} is not allowed here; use ${found.methods.join(' or ')}`), { allow: allowed })
    }
    if (NOT_SIMULATED.has(found.route)) {
      return send(req, res, 501, errorBody('E_NOT_SIMULATED', `${req.method} ${found.route} is not simulated: the simulated fleet runs no engine`))
    }
    switch (found.route) {
      case '/v1/health':
        return send(req, res, 200, { status: 'ok' })
      case '/v1/report':
        return getReport(node, req, res)
      case '/v1/desired':
        if (req.method === 'PUT') return putDesired(node, req, res)
        if (node.desired === null) return send(req, res, 404, errorBody('E_NO_DESIRED', 'no desired set yet: PUT one'))
        return send(req, res, 200, node.desired)
      case '/v1/availability':
        return postAvailability(node, req, res, false)
      case '/v1/heartbeat':
        if (req.method === 'PUT') return putHeartbeat(node, req, res)
        return send(req, res, 200, { stopped: sim.heartbeats.stop(node) })
      default:
        return postAvailability(node, req, res, true)
    }
  }
}

// A bounded loopback load: N requests over `concurrency` kept-alive connections, each request timed.
import http from 'node:http'
import https from 'node:https'

function once (mod, agent, url, headers, ca) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const req = mod.request(url, { agent, headers, ca }, (res) => {
      res.on('data', () => {}) // the body is read to the end: a request is over when its answer is
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode }))
      res.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }))
    })
    req.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }))
    req.end()
  })
}

/**
 * GETs `url` `requests` times from `concurrency` workers on kept-alive connections (TLS with `ca` for
 * https). First `warmup` requests are sent and not counted, so connection set-up and the JIT's first
 * passes stay out of the figures. Resolves { latencies (ms, counted requests), errors (non-200 or
 * failed), seconds }.
 */
export async function load (url, { requests, concurrency, headers = {}, ca, warmup = 100 }) {
  const mod = url.startsWith('https:') ? https : http
  const agent = new mod.Agent({ keepAlive: true, maxSockets: concurrency })
  try {
    const run = async (count, sink) => {
      let next = 0
      const worker = async () => {
        while (next < count) {
          next++
          sink(await once(mod, agent, url, headers, ca))
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    }
    await run(warmup, () => {})
    const latencies = []
    let errors = 0
    const t0 = performance.now()
    await run(requests, (r) => {
      latencies.push(r.ms)
      if (r.status !== 200) errors++
    })
    return { latencies, errors, seconds: (performance.now() - t0) / 1000 }
  } finally {
    agent.destroy()
  }
}

/** One GET with the same options; resolves { status, body } and rejects on a network error. */
export function get (url, { headers = {}, ca } = {}) {
  const mod = url.startsWith('https:') ? https : http
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { headers, ca }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} in 10 s`)))
    req.end()
  })
}

/** One request with a JSON body (PUT /v1/desired); resolves { status, body }. */
export function sendJson (method, url, value, { headers = {}, ca } = {}) {
  const mod = url.startsWith('https:') ? https : http
  const body = JSON.stringify(value)
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, ca, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} in 30 s`)))
    req.end(body)
  })
}

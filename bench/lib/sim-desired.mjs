// A simulated agent's desired set: the basic shape a PUT body must have (the real agent's JSON schema checks
// more; the simulator checks what a controller bug would break), and what the node runs after a set is taken.
// Pure: a body or a set and the time in, a problem or the node's new containers out.

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
const MAX_CONTAINERS = 1000
const MIN_MEMORY_LIMIT = 6 * 1024 * 1024

const ARRAYS = ['command', 'entrypoint', 'ports', 'mounts', 'devices', 'capAdd', 'capDrop', 'networks', 'extraHosts', 'files']
const OBJECTS = ['env', 'labels', 'logging', 'healthcheck']
const OTHERS = ['name', 'stack', 'service', 'replica', 'image', 'privileged', 'networkMode', 'user', 'workingDir', 'memoryLimit', 'memoryReservation', 'cpus', 'pidsLimit', 'restartPolicy']
const KNOWN = new Set([...ARRAYS, ...OBJECTS, ...OTHERS])

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
const isCount = (v, min, max) => Number.isSafeInteger(v) && v >= min && v <= max

/** The first problem of one container spec ({ field, message }), or undefined. */
function containerProblem (c, at) {
  if (!isObject(c)) return { field: at, message: 'must be an object' }
  for (const key of Object.keys(c)) if (!KNOWN.has(key)) return { field: `${at}.${key}`, message: 'is not a known field' }
  for (const key of ['name', 'stack', 'service']) {
    if (typeof c[key] !== 'string' || !NAME.test(c[key]) || c[key].length > 128) return { field: `${at}.${key}`, message: 'must be a name (letters, digits, _ . -)' }
  }
  if (!isCount(c.replica, 0, 100_000)) return { field: `${at}.replica`, message: 'must be a whole number from 0 to 100000' }
  if (typeof c.image !== 'string' || !/^\S+$/.test(c.image)) return { field: `${at}.image`, message: 'must be an image reference' }
  for (const key of ARRAYS) if (c[key] !== undefined && !Array.isArray(c[key])) return { field: `${at}.${key}`, message: 'must be a list' }
  for (const key of OBJECTS) if (c[key] !== undefined && !isObject(c[key])) return { field: `${at}.${key}`, message: 'must be an object' }
  if (c.memoryLimit !== undefined && !isCount(c.memoryLimit, MIN_MEMORY_LIMIT, 2 ** 50)) return { field: `${at}.memoryLimit`, message: `must be bytes, ${MIN_MEMORY_LIMIT} at least` }
  if (c.memoryReservation !== undefined && !isCount(c.memoryReservation, 0, 2 ** 50)) return { field: `${at}.memoryReservation`, message: 'must be bytes' }
  if (c.cpus !== undefined && !(typeof c.cpus === 'number' && c.cpus > 0 && c.cpus <= 1024)) return { field: `${at}.cpus`, message: 'must be a number of CPUs above 0' }
  if (c.pidsLimit !== undefined && !isCount(c.pidsLimit, 1, 4_194_304)) return { field: `${at}.pidsLimit`, message: 'must be a whole number above 0' }
  return undefined
}

/** The first problem of a PUT /v1/desired body ({ field, message }), or undefined when its shape is a desired set's. */
export function desiredBodyProblem (body) {
  if (!isObject(body)) return { field: '', message: 'the body must be a JSON object { generation, containers }' }
  for (const key of Object.keys(body)) if (key !== 'generation' && key !== 'containers') return { field: key, message: 'is not a known field' }
  if (!isCount(body.generation, 0, Number.MAX_SAFE_INTEGER)) return { field: 'generation', message: 'must be a whole number, 0 or more' }
  if (!Array.isArray(body.containers)) return { field: 'containers', message: 'must be a list' }
  if (body.containers.length > MAX_CONTAINERS) return { field: 'containers', message: `must hold ${MAX_CONTAINERS} containers at most` }
  for (const [i, c] of body.containers.entries()) {
    const problem = containerProblem(c, `containers[${i}]`)
    if (problem) return problem
  }
  return undefined
}

/**
 * The node's containers once `set` is taken at `now`: a container whose spec is unchanged keeps the time it was
 * added (it keeps running); a new or changed one is added now (it starts again); the others are gone.
 */
export function nextEntries (entries, set, now) {
  const out = new Map()
  for (const spec of set.containers) {
    const had = entries.get(spec.name)
    out.set(spec.name, had && JSON.stringify(had.spec) === JSON.stringify(spec) ? had : { spec, addedAt: now })
  }
  return out
}

/** The named volumes the set's containers use (name -> stack): a node keeps them after their containers go. */
export function volumesOf (set) {
  const out = new Map()
  for (const c of set.containers) for (const m of c.mounts ?? []) if (m.type === 'volume' && typeof m.source === 'string') out.set(m.source, c.stack)
  return out
}

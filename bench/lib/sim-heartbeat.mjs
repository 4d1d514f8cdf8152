// The heartbeats of a simulated fleet: like the real agent, a node asked over PUT /v1/heartbeat sends a signed
// datagram every interval to the address the request came from, naming its report's tag, until the
// registration ends (DELETE, HEARTBEAT_TTL_MS without a renewal, the node killed). One UDP socket and one
// timer serve the whole fleet: the sends due are kept in a heap, and the timer is armed for the first of them,
// so 1,000 nodes at one datagram a second cost a thousand small sends and no thousand timers. As the real
// agent does, a node sends its first heartbeat at once (the manager learns that the registration works); the
// next ones fall on a grid of its own, its phase spread over the interval by its index, so that nodes asked in
// the same moment do not all send in the same millisecond (the second comes half an interval to one and a
// half after the first). The same nonce again (a retried PUT) keeps counting, as on the real agent.

/** The timer waits at least this long between two rounds: the sends due meanwhile go in one round. */
const ROUND_MS = 2

/**
 * Pure: the first moment at or after `at` on node `index` of `count`'s grid for `intervalMs`: the moments
 * `floor(index * intervalMs / count) + k * intervalMs` (k >= 0).
 */
export function nextBeat (at, index, count, intervalMs) {
  const phase = Math.floor((index * intervalMs) / count)
  if (at <= phase) return phase
  return phase + Math.ceil((at - phase) / intervalMs) * intervalMs
}

/** A min-heap of { at, ... } by `at`. */
class Due {
  items = []
  get size () {
    return this.items.length
  }

  peek () {
    return this.items[0]
  }

  push (item) {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if (a[up].at <= a[i].at) break
      ;[a[up], a[i]] = [a[i], a[up]]
      i = up
    }
  }

  pop () {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length === 0) return top
    a[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let min = i
      if (l < a.length && a[l].at < a[min].at) min = l
      if (r < a.length && a[r].at < a[min].at) min = r
      if (min === i) return top
      ;[a[min], a[i]] = [a[i], a[min]]
      i = min
    }
  }
}

/**
 * The fleet's heartbeat sender. opts: count (the fleet's size, for the phases), ttlMs, now (the fleet's clock:
 * a registration's end), clock (a monotonic clock in ms for the sends' moments, performance.now by default),
 * tagsOf(node) ({ tag, state }: the tags of the report a GET /v1/report would serve now), packet(heartbeat, token) (the real code's
 * heartbeatPacket), send(datagram, port, address), stats ({ heartbeats, registrations }). A node is the
 * fleet's: { name, index, token, frozen, heartbeat (its registration, or null) }.
 */
export function heartbeatSender (opts) {
  const clock = opts.clock ?? (() => performance.now())
  const due = new Due()
  let timer = null
  let timerAt = Infinity
  let closed = false

  const arm = () => {
    if (closed || due.size === 0) return
    const at = Math.max(due.peek().at, clock() + ROUND_MS)
    if (timer && timerAt <= at) return
    clearTimeout(timer)
    timerAt = at
    timer = setTimeout(round, Math.max(0, at - clock()))
    timer.unref?.()
  }

  function beat (node, reg) {
    if (node.heartbeat !== reg) return false // stopped, replaced or forgotten
    if (opts.now() >= reg.expiresAt) {
      node.heartbeat = null
      return false
    }
    const seq = reg.seq++
    if (node.frozen) return true // a partition: the agent sends, and nothing arrives
    const { tag, state } = opts.tagsOf(node)
    const hb = { node: reg.node, nonce: reg.nonce, seq, tag, state: state ?? null }
    opts.send(opts.packet(hb, node.token), reg.port, reg.address)
    opts.stats.heartbeats++
    return true
  }

  function round () {
    timer = null
    timerAt = Infinity
    const t = clock()
    while (due.size > 0 && due.peek().at <= t) {
      const { node, reg, first } = due.pop()
      // a moment after now: a loop that stalled skips the moments it missed, it sends no burst
      const after = Math.floor(t) + (first ? Math.ceil(reg.intervalMs / 2) : 1)
      if (beat(node, reg)) due.push({ at: nextBeat(after, node.index, opts.count, reg.intervalMs), node, reg, first: false })
    }
    arm()
  }

  return {
    /** A registration from `address` (body checked by heartbeatRequestProblem): replaces the node's, answers what the agent answers. */
    register (node, address, body) {
      const before = node.heartbeat
      const seq = before && before.nonce === body.nonce ? before.seq : 1
      const reg = { node: body.node, nonce: body.nonce, port: body.port, address, intervalMs: body.intervalMs, seq, expiresAt: opts.now() + opts.ttlMs }
      node.heartbeat = reg
      opts.stats.registrations++
      due.push({ at: clock(), node, reg, first: true })
      arm()
      return { to: `${address.includes(':') ? `[${address}]` : address}:${body.port}`, intervalMs: body.intervalMs, ttlMs: opts.ttlMs }
    },
    /** Ends the node's registration: whether one was running. */
    stop (node) {
      const running = node.heartbeat !== null && opts.now() < node.heartbeat.expiresAt
      node.heartbeat = null
      return running
    },
    close () {
      closed = true
      clearTimeout(timer)
      timer = null
    },
  }
}

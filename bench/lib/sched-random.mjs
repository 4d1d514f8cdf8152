// A small seeded random source for the scheduler bench: the same seed gives the same cluster, stacks and
// Swarm tie-breaks on every machine. Pure: a seed in, a generator out.

/**
 * A generator of floats in [0, 1) from a 32-bit seed (mulberry32: one 32-bit state, good enough to
 * draw a test cluster, not for anything secret).
 */
export function seeded (seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An integer in [lo, hi], both included. */
export const between = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1))

/** One of the items, by weight: pick(rand, [[w1, a], [w2, b]]). */
export function pick (rand, weighted) {
  const total = weighted.reduce((sum, [w]) => sum + w, 0)
  let x = rand() * total
  for (const [w, item] of weighted) {
    if ((x -= w) < 0) return item
  }
  return weighted[weighted.length - 1][1]
}

/** A new array with the items in a random order (Fisher-Yates). */
export function shuffled (rand, items) {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

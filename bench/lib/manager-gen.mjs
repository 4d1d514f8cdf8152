// The manager bench's input: N replicas as a few Compose stacks of replicated services, each replica with a
// small memory reservation so that 10 per simulated node fit on the smallest model. Pure: YAML text out.

/** How the replicas are split: this many stacks of this many services (fewer when there are few replicas). */
export const STACKS = 4
export const SERVICES_PER_STACK = 5

/**
 * The stacks for `replicas` replicas: [{ name: 'bench1', services: [{ name: 'svc1', replicas }], yaml }].
 * Replicas are spread as evenly as possible (the first services take the remainder); no service is empty.
 */
export function benchStacks (replicas, { image = 'muster-busybox:1', memory = '16m', stacks = STACKS, perStack = SERVICES_PER_STACK } = {}) {
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`replicas must be a positive integer, not ${replicas}`)
  const total = Math.min(stacks * perStack, replicas)
  const base = Math.floor(replicas / total)
  const extra = replicas % total
  const out = []
  for (let i = 0; i < total; i++) {
    const s = Math.floor(i / perStack)
    if (!out[s]) out[s] = { name: `bench${s + 1}`, services: [] }
    out[s].services.push({ name: `svc${(i % perStack) + 1}`, replicas: base + (i < extra ? 1 : 0) })
  }
  for (const st of out) {
    st.yaml = [
      `name: ${st.name}`,
      'services:',
      ...st.services.flatMap((v) => [
        `  ${v.name}:`,
        `    image: ${image}`,
        '    command: ["sleep", "infinity"]',
        `    deploy: { replicas: ${v.replicas}, resources: { reservations: { memory: ${memory} } } }`,
      ]),
      '',
    ].join('\n')
  }
  return out
}

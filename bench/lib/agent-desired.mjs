// The desired set the agent bench PUTs. Pure: a size and names in, the request body out.

/** A command that sleeps and stops at once on SIGTERM (busybox sh as PID 1 ignores it otherwise). */
export const SLEEPER = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']

const MiB = 1024 * 1024

/**
 * Generation 1 of `count` sleeping containers of one service, named `<tag>_svc.<n>`, each with a
 * memory limit (16 to 40 MiB, varied so that limits are not all alike), a reservation, a CPU and a
 * pids limit, as a controller would place them.
 */
export function benchDesiredSet (count, tag, image) {
  const containers = []
  for (let n = 1; n <= count; n++) {
    containers.push({
      name: `${tag}_svc.${n}`,
      stack: tag,
      service: 'svc',
      replica: n,
      image,
      command: SLEEPER,
      memoryLimit: (16 + 8 * (n % 4)) * MiB,
      memoryReservation: 8 * MiB,
      cpus: 0.1,
      pidsLimit: 16,
    })
  }
  return { generation: 1, containers }
}

/** Whether a /v1/report shows the set converged: the loop says so and every desired name runs. */
export function convergedOn (report, set) {
  if (!report?.reconcile?.converged) return false
  const running = new Set((report.containers ?? []).filter((c) => c.state === 'running').map((c) => c.name))
  return set.containers.every((c) => running.has(c.name))
}

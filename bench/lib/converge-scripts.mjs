// The shell scripts the convergence bench runs inside its lab host, and the muster stack it deploys. Pure:
// each way's command and the loop that waits until N of its containers run (polled every 50 ms).

/** The sleeper every container runs: exits at once on SIGTERM. */
export const SLEEPER = 'trap "exit 0" TERM; while true; do sleep 1; done'

/** The label that tells each way's containers apart. */
export const LABELS = {
  run: 'muster-bench=run',
  swarm: 'com.docker.swarm.service.name=muster-bench',
  muster: 'io.muster.stack=bench',
}

const q = (s) => `'${s.replaceAll("'", "'\\''")}'`

/** Waits until `n` containers with `label` run (docker ps --filter status=running), polling every 50 ms. */
export const waitRunning = (label, n) =>
  `until [ "$(docker ps -q --filter label=${label} --filter status=running | wc -l)" -ge ${n} ]; do sleep 0.05; done`

/** Waits until no container (running or not) carries `label`. */
export const waitGone = (label) => `until [ -z "$(docker ps -aq --filter label=${label})" ]; do sleep 0.2; done`

/** The floor: `n` parallel `docker run -d`, then the wait (which finds them running at once). */
export function runScript (image, n) {
  const run = `docker run -d --label ${LABELS.run} --name muster-bench-$i ${image} sh -c ${q(SLEEPER)} >/dev/null`
  return `set -e\nfor i in $(seq 1 ${n}); do ${run} & done\nwait\n${waitRunning(LABELS.run, n)}`
}

/** Removes the floor's containers. */
export const runCleanup = () => `docker ps -aq --filter label=${LABELS.run} | xargs -r docker rm -f >/dev/null\n${waitGone(LABELS.run)}`

/**
 * Swarm: `docker service create --replicas n` detached (its own wait adds a 5 s stability check), the local
 * image as it is (--no-resolve-image: no registry to ask), then the same wait as the others.
 */
export function swarmScript (image, n) {
  return `set -e\ndocker service create -d -q --no-resolve-image --name muster-bench --replicas ${n} ${image} sh -c ${q(SLEEPER)} >/dev/null\n${waitRunning(LABELS.swarm, n)}`
}

/** Removes the service and waits until its containers are gone. */
export const swarmCleanup = () => `docker service rm muster-bench >/dev/null 2>&1 || true\n${waitGone(LABELS.swarm)}`

/** A single-node Swarm inside the lab host, advertised on its first address. */
export const swarmInit = () => 'docker swarm init --advertise-addr "$(hostname -I | cut -d" " -f1)" >/dev/null'

/** Leaves the Swarm (the lab host is removed after, but a rerun of the bench on a kept host must start clean). */
export const swarmLeave = () => 'docker swarm leave --force >/dev/null 2>&1 || true'

/** The muster stack: `n` replicas of the sleeper, no limits (like the other two ways). */
export function stackYaml (image, n) {
  return `name: bench\nservices:\n  sleeper:\n    image: ${image}\n    command: ["sh", "-c", ${JSON.stringify(SLEEPER)}]\n    deploy:\n      replicas: ${n}\n`
}

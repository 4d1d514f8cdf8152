// The failover bench's lab: 3 Docker-in-Docker lab hosts (test/lab/lab.mjs) prepared by muster's builtin
// site playbook (Docker and the bundled agent from dist/), with the bench image loaded into each dockerd,
// and the count of a stack's running containers per host as each host's dockerd sees it.
import { execFile, execFileSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { startLab } from '../../test/lab/lab.mjs'
import { IMAGE } from './agent-lab.mjs'

export { IMAGE }

/** The stack: `replicas` sleepers, 2 GiB reserved each so that the lab hosts' memory spread is worth evening out. */
export const stackYaml = (name, replicas) =>
  [
    `name: ${name}`,
    'services:',
    '  web:',
    `    image: ${IMAGE}`,
    `    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`,
    `    deploy: { replicas: ${replicas}, resources: { reservations: { memory: 2g } } }`,
    '',
  ].join('\n')

/** Runs argv to its end: exit code and output. */
export function run (argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c) => { out += c })
    child.stderr.on('data', (c) => { out += c })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, out }))
  })
}

/**
 * Starts `count` lab hosts named `name`, writes tmp/inventory.yml and prepares every host with `muster play
 * site` (the agent bundle of dist/), then loads the bench image into each host's dockerd. Returns
 * { lab, inventory, hosts: [{ name, container }] }; the caller stops `lab`, also when this throws after the
 * lab started (it is handed to `onLab` as soon as it exists).
 */
export async function startFailoverLab ({ root, name, count, tmp, env, onLab }) {
  const lab = await startLab({ name, count, docker: true, ports: [7443] })
  onLab(lab)
  env.MUSTER_KNOWN_HOSTS = lab.knownHostsPath
  const inventory = path.join(tmp, 'inventory.yml')
  writeFileSync(
    inventory,
    JSON.stringify({
      all: {
        vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, site_k3s: false },
        children: {
          agents: {
            hosts: Object.fromEntries(
              lab.hosts.map((h) => [h.name, { ansible_host: h.address, ansible_port: h.port, muster_agent_address: h.address, muster_agent_port: h.ports[7443] }]),
            ),
          },
        },
      },
    }),
  )
  const site = await run([process.execPath, path.join(root, 'bin/muster.js'), 'play', '-i', inventory, 'site', '-e', `agent_bundle=${path.join(root, 'dist/muster-agent.mjs')}`], env)
  if (site.code !== 0) throw new Error(`muster play site failed (exit ${site.code}):\n${site.out.split('\n').slice(-30).join('\n')}`)
  for (const h of lab.hosts) execFileSync('sh', ['-c', `docker save ${IMAGE} | docker exec -i ${h.container} docker load`], { stdio: 'pipe' })
  return { lab, inventory, hosts: lab.hosts.map((h) => ({ name: h.name, container: h.container })) }
}

/** How many containers of `stack` run in a host's dockerd (0 when the host does not answer). */
export function runningIn (container, stack) {
  return new Promise((resolve) => {
    execFile(
      'docker',
      ['exec', container, 'docker', 'ps', '-q', '--filter', `label=io.muster.stack=${stack}`, '--filter', 'status=running'],
      { timeout: 10_000 },
      (e, stdout) => resolve(e ? 0 : stdout.split('\n').filter(Boolean).length),
    )
  })
}

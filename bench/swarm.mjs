#!/usr/bin/env node
// The swarm benchmark: 20 replicas onto a 2-node Docker Swarm of lab hosts (lab `swarm`), timed from the
// command to all 20 running, two ways per round: `docker service create --replicas 20 --detach` run on the
// manager then `docker service ls` there every 0.3 s until 20/20 (the anchor; --detach=false would add the
// CLI's 5 s stability wait), and `muster deploy --engine swarm` of the same service from this machine (node
// start, SSH to the manager, muster's checks, create, wait). The login user is in the docker group, as the
// docker playbook's docker_users makes it, so muster forwards the Docker socket over SSH.
// muster's overhead = muster / anchor - 1 (target < 10%).
// Run from a built copy: node bench/swarm.mjs [--rounds N] [--replicas N]. Figures go to stdout.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { exec, startLab } from '../test/lab/lab.mjs'
import { timedRun } from './lib/measure.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MUSTER = path.join(ROOT, 'bin/muster.js')
const IMAGE = 'muster-busybox:1'
const args = process.argv.slice(2)
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt }
const ROUNDS = opt('rounds', 3)
const REPLICAS = opt('replicas', 20)
const log = (m) => console.error(`bench: ${m}`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }

const lab = await startLab({ name: 'swarm', count: 2, docker: true })
try {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-swarm-'))
  const env = { ...process.env, MUSTER_KNOWN_HOSTS: lab.knownHostsPath, MUSTER_STATE_DIR: path.join(tmp, 'state') }
  log('installing docker.io in the lab hosts')
  await Promise.all(lab.hosts.map((h) => exec(lab, h.name, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io docker-cli >/tmp/apt.log 2>&1; usermod -aG docker muster')))
  for (const h of lab.hosts) execFileSync('sh', ['-c', `docker save ${IMAGE} | docker exec -i ${h.container} docker load`], { stdio: 'pipe' })
  const [h1, h2] = lab.hosts
  const inv = path.join(tmp, 'inventory.yml')
  writeFileSync(inv, `all:\n  vars: { ansible_user: muster, ansible_ssh_private_key_file: ${lab.keyPath} }\n  children:\n` +
    `    swarm_managers: { hosts: { h01: { ansible_host: 127.0.0.1, ansible_port: ${h1.port} } } }\n` +
    `    swarm_workers: { hosts: { h02: { ansible_host: 127.0.0.1, ansible_port: ${h2.port} } } }\n`)
  const play = await timedRun(['node', MUSTER, 'play', '-i', inv, 'swarm'], env)
  if (play.code !== 0) throw new Error(`swarm playbook failed:\n${play.out}`)
  const stack = path.join(tmp, 'stack.yml')
  writeFileSync(stack, `name: b\nservices:\n  web:\n    image: ${IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n    deploy: { replicas: ${REPLICAS} }\n`)
  const gone = async () => {
    for (let i = 0; i < 120; i++) {
      const r = await exec(lab, 'h01', 'docker ps -q | wc -l')
      const r2 = await exec(lab, 'h02', 'docker ps -q | wc -l')
      if (r.stdout.trim().startsWith('0') && r2.stdout.trim() === '0') return
      await sleep(500)
    }
  }
  const rows = []
  for (let round = 1; round <= ROUNDS; round++) {
    const create = `docker service create --quiet --detach --name b_direct --replicas ${REPLICAS} ${IMAGE} sh -c "trap 'exit 0' TERM; while true; do sleep 1; done"` +
      ` && until [ "$(docker service ls --filter name=b_direct --format '{{.Replicas}}')" = "${REPLICAS}/${REPLICAS}" ]; do sleep 0.3; done`
    const direct = await timedRun(['docker', 'exec', h1.container, 'sh', '-c', create])
    if (direct.code !== 0) throw new Error(`docker service create failed:\n${direct.out}`)
    await exec(lab, 'h01', 'docker service rm b_direct'); await gone()
    const viaMuster = await timedRun(['node', MUSTER, 'deploy', '--engine', 'swarm', '-i', inv, stack], env)
    if (viaMuster.code !== 0) throw new Error(`muster deploy failed:\n${viaMuster.out}`)
    const rm = await timedRun(['node', MUSTER, 'rm', '-i', inv, 'b'], env)
    if (rm.code !== 0) throw new Error(`muster rm failed:\n${rm.out}`)
    await gone()
    if (round === 1) log(viaMuster.out.split('\n').find((l) => l.startsWith('stack b onto')) ?? '')
    rows.push({ round, direct: direct.seconds, muster: viaMuster.seconds })
    log(`round ${round}: docker service create ${direct.seconds.toFixed(2)} s, muster ${viaMuster.seconds.toFixed(2)} s`)
  }
  // muster's fixed cost on this machine: node start, CLI load, stack load and checks (no SSH)
  const dry = await timedRun(['node', MUSTER, 'deploy', '--engine', 'swarm', stack, '--dry-run'], env)
  const d = median(rows.map((r) => r.direct)); const m = median(rows.map((r) => r.muster))
  const overhead = (m / d - 1) * 100
  console.log(`swarm: ${REPLICAS} replicas on 2 nodes, ${ROUNDS} rounds, load ${os.loadavg()[0].toFixed(1)}`)
  console.log('round  docker service create  muster deploy --engine swarm')
  for (const r of rows) console.log(`${String(r.round).padStart(5)}  ${r.direct.toFixed(2).padStart(19)} s  ${r.muster.toFixed(2).padStart(26)} s`)
  console.log(`median ${d.toFixed(2).padStart(19)} s  ${m.toFixed(2).padStart(26)} s`)
  console.log(`muster's fixed cost (deploy --dry-run: node start, load, checks): ${dry.seconds.toFixed(2)} s`)
  console.log(`muster's overhead: ${overhead.toFixed(1)} % (target < 10 %): ${overhead < 10 ? 'PASS' : 'MISS'}`)
} finally {
  await lab.stop()
}

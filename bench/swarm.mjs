#!/usr/bin/env node
// The swarm benchmark: 20 replicas onto a 2-node Docker Swarm of lab hosts (lab `swarm`), timed from the
// command to all 20 running, three ways per round (their order turns each round, so that a busy moment of the
// shared machine does not fall on one way only):
// - `docker stack`'s objects by hand, the anchor: on the manager, `docker network create --driver overlay` of
//   the stack's default network then `docker service create --detach --no-resolve-image --network` of the
//   service: what `docker stack deploy` and muster both make (a stack's services join its overlay network);
// - `docker service create` alone (no overlay network), for reference: the figure earlier runs compared with;
// - `muster deploy --engine swarm` of the same stack from this machine: node start, SSH to the manager,
//   muster's checks, network and service create, wait.
// Converged means the same on every side: the service's running tasks equal its desired tasks as the manager
// counts them (ServiceStatus, which `docker service ls` shows as 20/20 and muster reads), read every 100 ms.
// --no-resolve-image: muster asks no registry for a digest, and the lab has none to ask (--detach=false would
// add the CLI's 5 s stability wait). The login user is in the docker group, as the docker playbook's
// docker_users makes it, so muster forwards the Docker socket over SSH.
// muster's overhead = muster / anchor - 1 (target < 10%). Swarm's own time to start the tasks varies by seconds
// from one service to the next on a loaded machine, so each way's own part is shown too: its time less Swarm's
// (from the service's CreatedAt to its last task's running timestamp, as the manager recorded them).
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
  // Between two ways: every container gone from both nodes, no stack network left on the manager, then 2 s
  // for the engines to finish tearing down, so that one way's cleanup does not slow the next.
  const gone = async () => {
    for (let i = 0; i < 120; i++) {
      const r = await exec(lab, 'h01', 'docker ps -q | wc -l; docker network ls -q --filter label=com.docker.stack.namespace | wc -l')
      const r2 = await exec(lab, 'h02', 'docker ps -q | wc -l')
      if (r.stdout.trim().split(/\s+/).join(' ') === '0 0' && r2.stdout.trim() === '0') break
      await sleep(500)
    }
    await sleep(2000)
  }
  // Swarm's own share of a way's time: from the service's creation to its last task running, as the manager
  // recorded them. The rest of the way's time is the tool's (process start, connection, requests, polling).
  const swarmSeconds = async (service) => {
    const r = await exec(lab, 'h01', `docker service inspect ${service} --format '{{json .CreatedAt}}'; for t in $(docker service ps -q --filter desired-state=running ${service}); do docker inspect $t --format '{{json .Status.Timestamp}}'; done`)
    const [created, ...running] = r.stdout.trim().split('\n').map((l) => Date.parse(JSON.parse(l)))
    return (Math.max(...running) - created) / 1000
  }
  const rows = []
  const CMD = `muster-busybox:1 sh -c "trap 'exit 0' TERM; while true; do sleep 1; done"`
  const until = (name) => ` && until [ "$(docker service ls --filter name=${name} --format '{{.Replicas}}')" = "${REPLICAS}/${REPLICAS}" ]; do sleep 0.1; done`
  // The docker CLI on this machine reaching the manager as muster does, over SSH (DOCKER_HOST=ssh://): the lab's
  // key and known_hosts, one connection per run (OpenSSH's ControlMaster), closed after the run.
  const wrap = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-ssh-'))
  const control = path.join(wrap, 'cm')
  writeFileSync(path.join(wrap, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -i ${lab.keyPath} -o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes -o ControlMaster=auto -o ControlPath=${control} -o ControlPersist=yes "$@"\n`, { mode: 0o755 })
  const remoteEnv = { ...process.env, PATH: `${wrap}:${process.env.PATH}`, DOCKER_HOST: `ssh://muster@127.0.0.1:${h1.port}` }
  const ways = {
    remote: async () => {
      const r = await timedRun(['sh', '-c',
        'docker network create --driver overlay --label com.docker.stack.namespace=r r_default >/dev/null' +
        ` && docker service create --quiet --detach --no-resolve-image --network r_default --label com.docker.stack.namespace=r --name r_web --replicas ${REPLICAS} ${CMD} >/dev/null` +
        until('r_web') + `; rc=$?; ssh -O exit -p ${h1.port} muster@127.0.0.1 2>/dev/null; exit $rc`], remoteEnv)
      if (r.code !== 0) throw new Error(`docker network/service create over ssh:// failed:\n${r.out}`)
      r.swarm = await swarmSeconds('r_web')
      await exec(lab, 'h01', 'docker service rm r_web >/dev/null; until docker network rm r_default >/dev/null 2>&1; do sleep 0.5; done')
      await gone()
      return r
    },
    anchor: async () => {
      const r = await timedRun(['docker', 'exec', h1.container, 'sh', '-c',
        'docker network create --driver overlay --label com.docker.stack.namespace=d d_default >/dev/null' +
        ` && docker service create --quiet --detach --no-resolve-image --network d_default --label com.docker.stack.namespace=d --name d_web --replicas ${REPLICAS} ${CMD} >/dev/null` +
        until('d_web')])
      if (r.code !== 0) throw new Error(`docker network/service create failed:\n${r.out}`)
      r.swarm = await swarmSeconds('d_web')
      await exec(lab, 'h01', 'docker service rm d_web >/dev/null; until docker network rm d_default >/dev/null 2>&1; do sleep 0.5; done')
      await gone()
      return r
    },
    bare: async () => {
      const r = await timedRun(['docker', 'exec', h1.container, 'sh', '-c',
        `docker service create --quiet --detach --no-resolve-image --name s_web --replicas ${REPLICAS} ${CMD} >/dev/null` + until('s_web')])
      if (r.code !== 0) throw new Error(`docker service create failed:\n${r.out}`)
      r.swarm = await swarmSeconds('s_web')
      await exec(lab, 'h01', 'docker service rm s_web >/dev/null'); await gone()
      return r
    },
    muster: async () => {
      const r = await timedRun(['node', MUSTER, 'deploy', '--engine', 'swarm', '-i', inv, stack], env)
      if (r.code !== 0) throw new Error(`muster deploy failed:\n${r.out}`)
      r.swarm = await swarmSeconds('b_web')
      if (!rows.length) log(r.out.split('\n').find((l) => l.startsWith('stack b onto')) ?? '')
      const rm = await timedRun(['node', MUSTER, 'rm', '-i', inv, 'b'], env)
      if (rm.code !== 0) throw new Error(`muster rm failed:\n${rm.out}`)
      await gone()
      return r
    },
  }
  const order = Object.keys(ways)
  const loads = []
  for (let round = 1; round <= ROUNDS; round++) {
    const row = { round }
    loads.push(os.loadavg()[0])
    for (let i = 0; i < order.length; i++) {
      const way = order[(i + round - 1) % order.length]
      const r = await ways[way]()
      row[way] = r.seconds
      row[`${way}Tool`] = r.seconds - r.swarm
    }
    rows.push(row)
    log(`round ${round}: ${order.map((w) => `${w} ${row[w].toFixed(2)} s (tool ${row[`${w}Tool`].toFixed(2)})`).join(', ')}`)
  }
  // muster's fixed cost on this machine: node start, CLI load, stack load and checks (no SSH)
  const dry = await timedRun(['node', MUSTER, 'deploy', '--engine', 'swarm', stack, '--dry-run'], env)
  const med = (k) => median(rows.map((r) => r[k]))
  const mr = Object.fromEntries(order.flatMap((w) => [[w, med(w)], [`${w}Tool`, med(`${w}Tool`)]]))
  const overhead = (mr.muster / mr.anchor - 1) * 100
  const overRemote = (mr.muster / mr.remote - 1) * 100
  console.log(`swarm: ${REPLICAS} replicas on 2 nodes, ${ROUNDS} rounds, load (1 min) ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`)
  console.log('seconds from the command to converged (in brackets the tool\'s own part: that less Swarm\'s, creation to last task running)')
  console.log('round  docker on the manager  docker over ssh://  service create alone  muster --engine swarm')
  const cell = (r, k, w) => `${r[k].toFixed(2)} (${r[`${k}Tool`].toFixed(2)})`.padStart(w)
  const line = (label, r) => `${label}  ${cell(r, 'anchor', 21)}  ${cell(r, 'remote', 18)}  ${cell(r, 'bare', 20)}  ${cell(r, 'muster', 21)}`
  for (const r of rows) console.log(line(String(r.round).padStart(6), r))
  console.log(line('median', mr))
  console.log(`muster's fixed cost (deploy --dry-run: node start, load, checks): ${dry.seconds.toFixed(2)} s`)
  console.log(`muster / docker on the manager: ${(mr.muster / mr.anchor).toFixed(3)}, overhead ${overhead.toFixed(1)} % (target < 10 %): ${overhead < 10 ? 'PASS' : 'MISS'}`)
  console.log(`muster / docker over ssh:// from here: ${(mr.muster / mr.remote).toFixed(3)}, overhead ${overRemote.toFixed(1)} %`)
  console.log(`muster / service create alone: ${(mr.muster / mr.bare).toFixed(3)}; the tools' own parts: muster ${mr.musterTool.toFixed(2)} s, docker on the manager ${mr.anchorTool.toFixed(2)} s, over ssh:// ${mr.remoteTool.toFixed(2)} s`)
} finally {
  await lab.stop()
}

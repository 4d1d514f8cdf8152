#!/usr/bin/env node
// The convergence benchmark: the time from the command to all N replicas running, in one run on one machine,
// three ways: N parallel `docker run -d` (the floor), `docker service create --replicas N` on a single-node
// Swarm, and `muster deploy` of an N-replica stack to an agent. All three inside ONE lab host with its own
// dockerd (the machine's dockerd is never made a Swarm); the controller runs here, against the host's agent.
// See the "Convergence" section of bench/README.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLab } from '../test/lab/lab.mjs'
import { ensureImage, IMAGE, missing } from './lib/agent-lab.mjs'
import { UsageError } from './lib/args.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { convergeUsage, parseConvergeArgs } from './lib/converge-args.mjs'
import { LABELS, runCleanup, runScript, stackYaml, swarmCleanup, swarmInit, swarmLeave, swarmScript, waitGone } from './lib/converge-scripts.mjs'
import { convergeFigures, convergeJson, formatConvergeTable } from './lib/converge-table.mjs'
import { loadAverage, machineInfo } from './lib/machine.mjs'
import { timedRun } from './lib/measure.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MUSTER = path.join(ROOT, 'bin/muster.js')
const BUNDLE = path.join(ROOT, 'dist/muster-agent.mjs')
const LAB = 'bench-converge'
const log = (msg) => console.error(`bench: ${msg}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function main (opts) {
  const why = missing()
  if (why) throw new UsageError(why)
  if (opts.build) {
    log('npm run build')
    try { execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }) } catch (e) {
      throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${e.stdout}${e.stderr}`)
    }
  }
  if (!existsSync(BUNDLE) || !existsSync(path.join(ROOT, 'dist/controller/cli.js'))) throw new UsageError('no dist/: run npm run build')
  const started = Date.now()
  const machineText = await machineInfo(ROOT)
  ensureImage()

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-converge-'))
  const env = { ...process.env, MUSTER_STATE_DIR: path.join(tmp, 'state') }
  let lab
  let swarm = false
  const inHost = (script) => timedRun(['docker', 'exec', lab.hosts[0].container, 'sh', '-c', script])
  const must = async (what, p) => {
    const r = await p
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.out.split('\n').slice(-30).join('\n')}`)
    return r
  }
  const cleanup = async () => {
    if (lab && swarm) await inHost(swarmLeave()).catch(() => {})
    if (lab) await lab.stop().catch((e) => log(`could not stop the lab: ${e.message}`))
    rmSync(tmp, { recursive: true, force: true })
  }
  const onSignal = (sig) => { log(`${sig}: cleaning up`); void cleanup().finally(() => process.exit(130)) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    log('starting one lab host with docker')
    lab = await startLab({ name: LAB, count: 1, docker: true, ports: [7443] })
    const h = lab.hosts[0]
    env.MUSTER_KNOWN_HOSTS = lab.knownHostsPath
    const inv = path.join(tmp, 'inventory.yml')
    writeFileSync(inv, JSON.stringify({
      all: {
        // Swarm mode refuses live-restore: the host's dockerd runs without it, for all three ways alike
        vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, site_k3s: false, docker_live_restore: false },
        children: { agents: { hosts: { [h.name]: { ansible_host: h.address, ansible_port: h.port, muster_agent_address: h.address, muster_agent_port: h.ports[7443] } } } },
      },
    }))
    log('preparing it with the builtin site playbook (Docker and the agent)')
    await must('muster play site', timedRun([process.execPath, MUSTER, 'play', '-i', inv, 'site', '-e', `agent_bundle=${BUNDLE}`], env))
    log(`loading ${IMAGE} into its dockerd`)
    execFileSync('sh', ['-c', `docker save ${IMAGE} | docker exec -i ${h.container} docker load`], { stdio: 'pipe' })
    await must('docker swarm init', inHost(swarmInit()))
    swarm = true
    const hostDocker = (await inHost("docker info --format '{{.ServerVersion}}, cgroup v{{.CgroupVersion}} ({{.CgroupDriver}}), {{.NCPU}} CPUs'")).out.trim()
    const stack = path.join(tmp, 'stack.yml')
    writeFileSync(stack, stackYaml(IMAGE, opts.replicas))

    const n = opts.replicas
    const ways = {
      run: { measure: () => inHost(runScript(IMAGE, n)), clean: () => inHost(runCleanup()) },
      swarm: { measure: () => inHost(swarmScript(IMAGE, n)), clean: () => inHost(swarmCleanup()) },
      muster: {
        measure: () => timedRun([process.execPath, MUSTER, 'deploy', '-i', inv, stack], env),
        clean: async () => {
          await must('muster rm', timedRun([process.execPath, MUSTER, 'rm', '-i', inv, 'bench'], env))
          return must('waiting for the stack to go', inHost(waitGone(LABELS.muster)))
        },
      },
    }
    const keys = Object.keys(ways)
    const rounds = { run: [], swarm: [], muster: [] }
    for (let r = 0; r < opts.rounds; r++) {
      // each round starts with another way, so that a busy moment of the shared machine does not fall on one only
      const order = keys.map((_, i) => keys[(i + r) % keys.length])
      for (const k of order) {
        await sleep(1000)
        const m = await must(`${k} (round ${r + 1})`, ways[k].measure())
        rounds[k].push(m.seconds)
        await must(`cleaning up after ${k}`, ways[k].clean())
      }
      log(`round ${r + 1}/${opts.rounds}: ${keys.map((k) => `${k} ${rounds[k][r].toFixed(2)} s`).join(', ')}`)
    }

    const figures = convergeFigures(rounds)
    const machine = Object.fromEntries(machineText.split('\n').map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]))
    machine.docker = execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' }).trim()
    machine['lab docker'] = hostDocker
    if (opts.json) {
      console.log(JSON.stringify(convergeJson({ machine: { ...machine, loadAtEnd: loadAverage() }, replicas: n, rounds: opts.rounds, figures }), null, 2))
      return
    }
    for (const [k, v] of Object.entries(machine)) console.log(`${`${k}:`.padEnd(12)}${v}`)
    console.log(`rounds:     ${opts.rounds} of each way (median shown), inside one lab host; muster's controller runs here against the host's agent on 127.0.0.1:${h.ports[7443]}`)
    console.log('')
    console.log(formatConvergeTable(figures, n))
    console.log(`\n${closingLine(started)}`)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}

await runBench(process.argv.slice(2), parseConvergeArgs, convergeUsage, main)

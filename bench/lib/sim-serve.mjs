#!/usr/bin/env node
// Runs a simulated fleet in its own process, so that what a manager uses is measured apart from its agents:
//   node bench/lib/sim-serve.mjs --nodes 1000 --dir /tmp/fleet
// prints one JSON line when every agent listens ({ ready, pid, dir, inventory, env, nodes, startupMs }), then
// answers the control lines of sim-control.mjs on standard input (kill sim0042, freeze ..., revive ..., stats),
// and stops when its input ends (its parent is gone) or on SIGTERM; with input from /dev/null, on a signal only.
// Point the controller at it with MUSTER_STATE_DIR=DIR and -i DIR/inventory.yml. Runs on dist/ (npm run build).
// Each agent keeps its report for the real agent's default interval (10 s, refresh moments spread over the
// fleet) and answers If-None-Match with 304; `stats` says how many reports were collected and how many 304s.
// Asked over PUT /v1/heartbeat, each agent sends signed UDP heartbeats to the manager (`stats`: heartbeats,
// registrations).
import { fstatSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { runBench } from './entry.mjs'
import { parseServeArgs, serveUsage } from './sim-args.mjs'
import { parseControl, runControl } from './sim-control.mjs'
import { startSimFleet } from './sim-fleet.mjs'

const say = (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`)

async function main (opts) {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'muster-sim-'))
  const fleet = await startSimFleet({ nodes: opts.nodes, dir, seed: opts.seed, startDelayMs: opts.startDelayMs, basePort: opts.basePort, images: opts.images })
  let closed = false
  const stop = async () => {
    if (closed) return
    closed = true
    await fleet.close()
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop().then(() => process.exit(0)))
  say({
    ready: true,
    pid: process.pid,
    dir: fleet.dir,
    inventory: fleet.inventory,
    env: fleet.env,
    nodes: fleet.nodes.length,
    first: fleet.nodes[0].name,
    last: fleet.nodes[fleet.nodes.length - 1].name,
    startupMs: fleet.startupMs,
  })
  // Started in the background (stdin is /dev/null): no control lines will come; run until a signal.
  if (fstatSync(0).isCharacterDevice() && !process.stdin.isTTY) return
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (line.trim() === '') continue
    const cmd = parseControl(line)
    say(cmd.error ? { ok: false, error: cmd.error } : await runControl(fleet, cmd))
    if (cmd.verb === 'close') break
  }
  await stop()
  process.stdin.destroy() // nothing more to read: let the process end
}

await runBench(process.argv.slice(2), parseServeArgs, serveUsage, main)

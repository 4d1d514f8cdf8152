// Command-line options of bench/manager.mjs and bench/failover.mjs. Pure: argv in, options or a UsageError out.
import { eachOption, UsageError } from './args.mjs'

/** The usage lines printed by --help and after a bad option. */
export const managerUsage =
  'usage: node bench/manager.mjs [--nodes N] [--replicas N] [--kill N] [--seconds S] [--converge-minutes M] [--json] [--no-build] [--help]'
export const failoverUsage = 'usage: node bench/failover.mjs [--rounds N] [--json] [--no-build] [--help]'

const integer = (name, text, min, max) => {
  if (!/^\d+$/.test(text ?? '') || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${name} takes an integer from ${min} to ${max}, not "${text ?? ''}"`)
  }
  return Number(text)
}

/**
 * The manager bench: --nodes (simulated agents, 1000), --replicas (spread over a few stacks, 10000), --kill
 * (nodes killed at once after the steady window, 100; fewer than --nodes), --seconds (the steady window
 * sampled for tick, RSS and CPU, 30), --converge-minutes (how long the deploy may take, 15), --json, --no-build (use the dist/ already there) and --help.
 */
export function parseManagerArgs (argv) {
  const opts = { nodes: 1000, replicas: 10_000, kill: 100, seconds: 30, convergeMinutes: 15, json: false, build: true, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'nodes': opts.nodes = integer('--nodes', value(), 2, 20_000); break
      case 'replicas': opts.replicas = integer('--replicas', value(), 1, 200_000); break
      case 'kill': opts.kill = integer('--kill', value(), 1, 20_000); break
      case 'seconds': opts.seconds = integer('--seconds', value(), 2, 3600); break
      case 'converge-minutes': opts.convergeMinutes = integer('--converge-minutes', value(), 1, 600); break
      case 'json': opts.json = true; break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  if (!opts.help && opts.kill >= opts.nodes) {
    throw new UsageError(`--kill ${opts.kill} leaves no node to run the replicas on: kill fewer than --nodes (${opts.nodes})`)
  }
  return opts
}

/** The failover bench: --rounds (hosts killed one after another, 5), --json, --no-build and --help. */
export function parseFailoverArgs (argv) {
  const opts = { rounds: 5, json: false, build: true, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'rounds': opts.rounds = integer('--rounds', value(), 1, 50); break
      case 'json': opts.json = true; break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  return opts
}

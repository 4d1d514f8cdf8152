// Command-line options of the simulated fleet's scripts (sim-serve.mjs, sim-measure.mjs). Pure: argv in,
// options or a UsageError out.
import { eachOption, UsageError } from './args.mjs'

/** The usage lines printed by --help and after a bad option. */
export const serveUsage =
  'usage: node bench/lib/sim-serve.mjs [--nodes N] [--dir DIR] [--seed N] [--start-delay-ms MS] [--base-port PORT] [--images REF,REF] [--help]'
export const measureUsage = 'usage: node bench/lib/sim-measure.mjs [--nodes N] [--seconds S] [--concurrency N] [--replicas-per-node N] [--json] [--help]'

const integer = (name, text, min, max = 2 ** 31 - 1) => {
  if (!/^\d+$/.test(text ?? '') || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${name} takes an integer from ${min} to ${max}, not "${text ?? ''}"`)
  }
  return Number(text)
}

/**
 * sim-serve's options: --nodes (how many agents), --dir (the state directory to make; a new temporary one
 * by default), --seed (the hardware mix), --start-delay-ms (how long a container takes to run), --base-port
 * (the first port tried; a random one below 32000 by default), --images (refs every node holds from the start) and --help.
 */
export function parseServeArgs (argv) {
  const opts = { nodes: 1000, dir: undefined, seed: 1, startDelayMs: 0, basePort: undefined, images: [], help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'nodes': opts.nodes = integer('--nodes', value(), 1, 20_000); break
      case 'dir': {
        const dir = value()
        if (!dir) throw new UsageError('--dir takes a directory')
        opts.dir = dir
        break
      }
      case 'seed': opts.seed = integer('--seed', value(), 0, 2 ** 32 - 1); break
      case 'start-delay-ms': opts.startDelayMs = integer('--start-delay-ms', value(), 0); break
      case 'base-port': opts.basePort = integer('--base-port', value(), 1024, 65535); break
      case 'images': opts.images = (value() ?? '').split(',').map((s) => s.trim()).filter(Boolean); break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  return opts
}

/**
 * sim-measure's options: --nodes, --seconds (each load phase), --concurrency (requests in flight),
 * --replicas-per-node (containers in each node's desired set for the loaded phase), --json and --help.
 */
export function parseMeasureArgs (argv) {
  const opts = { nodes: 1000, seconds: 10, concurrency: 32, replicasPerNode: 10, json: false, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'nodes': opts.nodes = integer('--nodes', value(), 1, 20_000); break
      case 'seconds': opts.seconds = integer('--seconds', value(), 1, 3600); break
      case 'concurrency': opts.concurrency = integer('--concurrency', value(), 1, 1000); break
      case 'replicas-per-node': opts.replicasPerNode = integer('--replicas-per-node', value(), 0, 1000); break
      case 'json': opts.json = true; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  return opts
}

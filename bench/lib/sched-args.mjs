// Command-line options of bench/scheduler.mjs. Pure: argv in, options or a UsageError out.
import { eachOption, UsageError } from './args.mjs'

/** The usage line printed by --help and after a bad option. */
export const schedUsage = 'usage: node bench/scheduler.mjs [--seed N] [--nodes N] [--replicas N] [--runs N] [--warmup N] [--json] [--no-build] [--help]'

const integer = (name, text, min) => {
  if (!/^\d+$/.test(text ?? '') || Number(text) < min || Number(text) > 2 ** 32 - 1) {
    throw new UsageError(`${name} takes ${min === 0 ? 'an integer from 0' : 'a positive integer'}, not "${text ?? ''}"`)
  }
  return Number(text)
}

/**
 * Reads --seed (the generator's seed, 0 to 2^32-1), --nodes and --replicas (the input's size), --runs (how
 * many times each scheduler runs on the input; the table shows the median time), --warmup (untimed runs of
 * each before those, so that the median is the steady state a manager's loop sees), --json (print the figures
 * as JSON instead of the table), --no-build (use the dist/ already there) and --help.
 */
export function parseSchedArgs (argv) {
  const opts = { seed: 1, nodes: 1000, replicas: 10_000, runs: 9, warmup: 3, json: false, build: true, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'seed': opts.seed = integer('--seed', value(), 0); break
      case 'nodes': opts.nodes = integer('--nodes', value(), 1); break
      case 'replicas': opts.replicas = integer('--replicas', value(), 1); break
      case 'runs': opts.runs = integer('--runs', value(), 1); break
      case 'warmup': opts.warmup = integer('--warmup', value(), 0); break
      case 'json': opts.json = true; break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  return opts
}

// Command-line options of bench/converge.mjs. Pure: argv in, options or a UsageError out.
import { eachOption, UsageError } from './args.mjs'

/** The usage line printed by --help and after a bad option. */
export const convergeUsage = 'usage: node bench/converge.mjs [--replicas N] [--rounds N] [--json] [--no-build] [--help]'

const positive = (name, text, max) => {
  if (!/^\d+$/.test(text ?? '') || Number(text) < 1 || Number(text) > max) throw new UsageError(`${name} takes an integer from 1 to ${max}, not "${text ?? ''}"`)
  return Number(text)
}

/**
 * Reads --replicas (containers each way starts, 20 by default), --rounds (each way runs this many times; the
 * table shows the median), --json (the figures as JSON instead of the table), --no-build (use the dist/
 * already there) and --help.
 */
export function parseConvergeArgs (argv) {
  const opts = { replicas: 20, rounds: 5, json: false, build: true, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'replicas': opts.replicas = positive('--replicas', value(), 200); break
      case 'rounds': opts.rounds = positive('--rounds', value(), 50); break
      case 'json': opts.json = true; break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  return opts
}

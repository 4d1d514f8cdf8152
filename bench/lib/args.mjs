// Command-line options of bench/play.mjs. Pure: argv in, options or a UsageError out.

/** The usage line printed by --help and after a bad option. */
export const usage = 'usage: node bench/play.mjs [--sizes 1,5,20] [--runs N] [--no-build] [--help]'

/** A bad command line: main prints the message and the usage line, without a stack. */
export class UsageError extends Error {
  constructor (message) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * Walks argv as `--name`, `--name=value` and `--name value`: calls on(name, value) for each option, where
 * value() returns the inline value or takes the next argument. Anything else is a UsageError.
 */
export function eachOption (argv, on) {
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([a-z-]+)(?:=(.*))?$/)
    if (!m) throw new UsageError(`unexpected argument "${argv[i]}"`)
    const [, name, inline] = m
    on(name, () => inline ?? argv[++i])
  }
}

/** The value of option `name` as a positive integer, or a UsageError naming it. */
export function positive (name, text) {
  if (!/^\d+$/.test(text ?? '') || Number(text) < 1) throw new UsageError(`${name} takes a positive integer, not "${text ?? ''}"`)
  return Number(text)
}

/** The value of option `name`, or a UsageError when there is none (or it is empty). */
export function nonEmpty (name, text) {
  if (!text) throw new UsageError(`${name} takes a value`)
  return text
}

/** Reads --sizes (comma-separated host counts), --runs, --no-build and --help from argv. */
export function parseArgs (argv) {
  const opts = { sizes: [1, 5, 20], runs: 1, build: true, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'sizes': {
        const text = value() ?? ''
        const sizes = text.split(',').map((s) => positive('--sizes', s.trim()))
        // One table row per size: a repeated size would only rerun the same row.
        opts.sizes = [...new Set(sizes)].sort((a, b) => a - b)
        break
      }
      case 'runs': opts.runs = positive('--runs', value()); break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  return opts
}

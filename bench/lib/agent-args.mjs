// Command-line options of bench/agent.mjs. Pure: argv in, options or a UsageError out.
import { eachOption, UsageError } from './args.mjs'

/** The usage line printed by --help and after a bad option. */
export const agentUsage = 'usage: node bench/agent.mjs [--minutes N] [--requests N] [--concurrency N] [--containers N] [--bundle FILE] [--node-option OPT]... [--no-build] [--help]'

const positive = (name, text, { integer }) => {
  const ok = integer ? /^\d+$/.test(text ?? '') : /^\d+(\.\d+)?$/.test(text ?? '')
  if (!ok || Number(text) <= 0) throw new UsageError(`${name} takes a positive ${integer ? 'integer' : 'number'}, not "${text ?? ''}"`)
  return Number(text)
}

/**
 * Reads --minutes (the steady window before RSS is read, fractions allowed), --requests and
 * --concurrency (the loopback load), --containers (the desired set's size), --bundle (a bundle to bench
 * instead of building dist/muster-agent.mjs; implies --no-build), --node-option (repeatable: node options
 * to run the agent with instead of those of its systemd unit), --no-build and --help.
 */
export function parseAgentArgs (argv) {
  const opts = { minutes: 3, requests: 2000, concurrency: 8, containers: 20, bundle: null, nodeOptions: null, build: true, help: false }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'minutes': opts.minutes = positive('--minutes', value(), { integer: false }); break
      case 'requests': opts.requests = positive('--requests', value(), { integer: true }); break
      case 'concurrency': opts.concurrency = positive('--concurrency', value(), { integer: true }); break
      case 'containers': opts.containers = positive('--containers', value(), { integer: true }); break
      case 'bundle': {
        const file = value()
        if (!file || file.startsWith('--')) throw new UsageError('--bundle takes a file name')
        opts.bundle = file
        opts.build = false
        break
      }
      case 'node-option': {
        const option = value()
        if (!option?.startsWith('--')) throw new UsageError(`--node-option takes a node option such as --lite-mode, not "${option ?? ''}"`)
        opts.nodeOptions = [...(opts.nodeOptions ?? []), option]
        break
      }
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  // More workers than requests would leave some idle and skew nothing, but says the options are confused.
  if (opts.concurrency > opts.requests) throw new UsageError(`--concurrency (${opts.concurrency}) cannot exceed --requests (${opts.requests})`)
  return opts
}

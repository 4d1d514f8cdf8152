// How each benchmark script starts and ends: options parsed (usage errors exit 2), --help, main, and the
// closing line with the whole time and the load at the end.
import { UsageError } from './args.mjs'
import { loadAverage } from './machine.mjs'

/** Parses argv with `parse`, prints `usage` for --help, else runs `main(opts)`; a failure sets exit code 1. */
export async function runBench (argv, parse, usage, main) {
  let opts
  try {
    opts = parse(argv)
  } catch (e) {
    console.error(e instanceof UsageError ? `${e.message}\n${usage}` : e)
    process.exit(2)
  }
  if (opts.help) {
    console.log(usage)
    return
  }
  try {
    await main(opts)
  } catch (e) {
    console.error(e instanceof UsageError ? `bench: ${e.message}` : `bench: ${e.stack ?? e}`)
    process.exitCode = 1
  }
}

/** `(whole bench: N s; load at end a / b / c; YYYY-MM-DD)` for a bench started at `started` (ms). */
export function closingLine (started) {
  return `(whole bench: ${((Date.now() - started) / 1000).toFixed(0)} s; load at end ${loadAverage()}; ${new Date().toISOString().slice(0, 10)})`
}

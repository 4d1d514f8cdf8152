// Command-line options of bench/compat.mjs. Pure: argv in, options or a UsageError out.
import os from 'node:os'
import path from 'node:path'
import { eachOption, nonEmpty, positive, UsageError } from './args.mjs'

/** The usage line printed by --help and after a bad option. */
export const compatUsage =
  'usage: node bench/compat.mjs [--mirrors DIR] [--corpus FILE] [--work DIR] [--out FILE] [--timeout S] [--only TEXT] [--top N] [--no-build] [--help]'

/**
 * Reads --mirrors (the folder of git mirrors, one owner+name/repo each), --corpus (the pinned corpus),
 * --work (where the repositories are extracted; emptied first), --out (the per-unit JSON), --timeout
 * (seconds per command), --only (run the units whose id contains TEXT), --top (causes printed),
 * --no-build (use the dist/ already there) and --help.
 */
export function parseCompatArgs (argv, root) {
  const opts = {
    mirrors: '/work/.mirror',
    corpus: path.join(root, 'bench/compat/corpus.json'),
    work: path.join(os.tmpdir(), 'muster-compat'),
    out: path.join(os.tmpdir(), 'muster-compat.json'),
    timeoutS: 60,
    only: null,
    top: 15,
    build: true,
    help: false,
  }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'mirrors': opts.mirrors = path.resolve(nonEmpty('--mirrors', value())); break
      case 'corpus': opts.corpus = path.resolve(nonEmpty('--corpus', value())); break
      case 'work': opts.work = path.resolve(nonEmpty('--work', value())); break
      case 'out': opts.out = path.resolve(nonEmpty('--out', value())); break
      case 'timeout': opts.timeoutS = positive('--timeout', value()); break
      case 'only': opts.only = nonEmpty('--only', value()); break
      case 'top': opts.top = positive('--top', value()); break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  if (opts.work === '/' || opts.work === root) throw new UsageError(`--work ${opts.work} would be emptied: name a folder of its own`)
  return opts
}

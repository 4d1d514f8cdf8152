#!/usr/bin/env node
// The Ansible compatibility bench: every unit of the pinned corpus (bench/compat/corpus.json: home-lab and
// Raspberry Pi cluster playbooks, community roles) is extracted at its commit, then loaded and listed by
// ansible-playbook and by `muster play` with the same inventory, -e and environment. Prints the shares
// muster loads and lists identically, the time of each, and muster's load failures ranked by cause. See
// the "compat" section of bench/README.md.
import { existsSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { $ } from 'zx'
import { UsageError } from './lib/args.mjs'
import { compatUsage, parseCompatArgs } from './lib/compat-args.mjs'
import { compatFigures, formatCompatTable, formatRanking, rankFailures, unitResult } from './lib/compat-table.mjs'
import { commandFor, unitRun } from './lib/compat-units.mjs'
import { materialise, runCommand } from './lib/compat-work.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { machineInfo } from './lib/machine.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TEMPLATES = path.join(ROOT, 'bench/lib/compat-templates.mjs')
const log = (msg) => console.error(`bench: ${msg}`)

async function build () {
  log('npm run build')
  const r = await $({ cwd: ROOT, quiet: true, nothrow: true })`npm run build`
  if (r.exitCode !== 0) throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${r.stdout}${r.stderr}`)
}

// The third measure (templates rendered byte-identical) lives in compat-templates.mjs when it exists.
async function templatesHook (units, ctx) {
  if (!existsSync(TEMPLATES)) return null
  const { renderTemplates } = await import(pathToFileURL(TEMPLATES).href)
  return typeof renderTemplates === 'function' ? renderTemplates(units, ctx) : null
}

async function main (opts) {
  const started = Date.now()
  if (!existsSync(opts.corpus)) throw new UsageError(`no corpus at ${opts.corpus} (build it with node bench/compat/build-corpus.mjs)`)
  if (opts.build) await build()
  const corpus = JSON.parse(readFileSync(opts.corpus, 'utf8'))
  console.log(await machineInfo(ROOT))
  log(`extracting ${corpus.repos.length} repositories from ${opts.mirrors} into ${opts.work}`)
  const missing = await materialise(corpus, { mirrors: opts.mirrors, work: opts.work })
  for (const m of missing) console.log(`MISSING MIRROR: ${m.repo}: ${m.why}`)

  const absent = new Set(missing.map((m) => m.repo))
  const todo = corpus.repos.filter((e) => !absent.has(e.repo))
    .flatMap((entry) => entry.units.filter((u) => !opts.only || u.id.includes(opts.only)).map((unit) => ({ entry, unit })))
  if (todo.length === 0) throw new UsageError(opts.only ? `no unit id contains "${opts.only}"` : 'no unit to run (every mirror is missing?)')
  const roots = [opts.work]
  const results = []
  const done = []
  for (const [i, { entry, unit }] of todo.entries()) {
    const run = unitRun(entry, unit, opts.work)
    const exec = (tool, mode) => runCommand(commandFor(tool, mode, run, ROOT), { cwd: run.cwd, env: run.env, timeoutS: opts.timeoutS })
    const runs = {
      ansibleSyntax: await exec('ansible', 'syntax-check'),
      ansibleList: await exec('ansible', 'list-tasks'),
      musterSyntax: await exec('muster', 'syntax-check'),
      musterList: await exec('muster', 'list-tasks'),
    }
    const r = unitResult(unit, runs, roots)
    results.push({ repo: entry.repo, commit: entry.commit, ...r })
    done.push({ entry, unit, run, result: r })
    log(`${i + 1}/${todo.length} ${unit.id}: muster ${r.muster.loads ? 'loads' : 'fails'}${r.listIdentical ? ', same list' : ''}`)
  }

  const templates = await templatesHook(done, { root: ROOT, work: opts.work, mirrors: opts.mirrors, timeoutS: opts.timeoutS, runCommand })
  const figures = compatFigures(results, templates)
  const ranking = rankFailures(results)
  console.log(`corpus: ${opts.corpus} (${corpus.repos.length} repositories pinned by commit, built ${corpus.built}; ${missing.length} mirror(s) missing)`)
  console.log(`normalisation: --list-tasks lines trimmed, blanks collapsed, blank/warning lines and the playbook path dropped, play tags sorted\n`)
  console.log(formatCompatTable(figures))
  console.log(`\nmuster's load failures by cause (units; first error line, names and paths normalised):`)
  console.log(formatRanking(ranking, opts.top))
  await fs.mkdir(path.dirname(opts.out), { recursive: true })
  await fs.writeFile(opts.out, `${JSON.stringify({ corpus: opts.corpus, missing, figures, ranking, templates, results }, null, 2)}\n`)
  console.log(`\nper-unit results: ${opts.out}`)
  console.log(closingLine(started))
}

await runBench(process.argv.slice(2), (argv) => parseCompatArgs(argv, ROOT), compatUsage, main)

#!/usr/bin/env node
// Builds bench/compat/corpus.json from bench/compat/repos.json: pins each repository at its mirror's HEAD,
// finds its units (bench/lib/compat-discover.mjs), and keeps only those `ansible-playbook --syntax-check`
// loads; each unit left out is recorded with Ansible's first error line. Run again after fetching new
// mirrors: node bench/compat/build-corpus.mjs [--mirrors DIR] [--work DIR]
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { discoverUnits } from '../lib/compat-discover.mjs'
import { firstError } from '../lib/compat-normalise.mjs'
import { commandFor, unitRun } from '../lib/compat-units.mjs'
import { materialise, mirrorOf, runCommand } from '../lib/compat-work.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '../..')
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : dflt
}
const mirrors = arg('mirrors', '/work/.mirror')
const work = arg('work', path.join(os.tmpdir(), 'muster-compat-corpus'))
const git = (gitDir, ...args) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 })

const seeds = JSON.parse(readFileSync(path.join(HERE, 'repos.json'), 'utf8')).repos
const repos = []
for (const { repo, seed } of seeds) {
  const gitDir = mirrorOf(mirrors, repo)
  let commit
  try {
    commit = git(gitDir, 'rev-parse', 'HEAD').trim()
  } catch {
    console.error(`corpus: ${repo}: no mirror at ${gitDir}, left out`)
    continue
  }
  const files = git(gitDir, 'ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean)
  const read = (p) => {
    if (!files.includes(p)) return undefined
    try { return git(gitDir, 'show', `${commit}:${p}`) } catch { return undefined }
  }
  const found = discoverUnits({ repo, files, read, seed })
  const excluded = Object.entries(seed?.skip ?? {}).map(([p, why]) => ({ id: `${repo}:${p}`, why }))
  repos.push({ repo, commit, ...found, excluded })
}

// Ansible decides what stays: every candidate is syntax-checked in the layout the bench will use.
const missing = await materialise({ repos }, { mirrors, work })
for (const m of missing) console.error(`corpus: ${m.repo}: ${m.why}`)
for (const entry of repos) {
  const kept = []
  for (const unit of entry.units) {
    const run = unitRun(entry, unit, work)
    const r = await runCommand(commandFor('ansible', 'syntax-check', run, ROOT), { cwd: run.cwd, env: run.env, timeoutS: 120 })
    if (r.code === 0) kept.push(unit)
    else entry.excluded.push({ id: unit.id, why: `ansible-playbook --syntax-check: ${firstError(r.stderr, r.stdout, [work])}` })
    console.error(`corpus: ${unit.id}: ${r.code === 0 ? 'kept' : 'left out'}`)
  }
  entry.units = kept
}
const ansible = execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0]
const corpus = {
  about: 'Pinned repositories and the units of each that ansible-playbook loads; built by bench/compat/build-corpus.mjs, read by bench/compat.mjs.',
  ansible,
  built: new Date().toISOString().slice(0, 10),
  repos: repos.filter((r) => !missing.some((m) => m.repo === r.repo)),
  leftOut: missing.map((m) => ({ repo: m.repo, why: m.why.split('\n')[0] })),
}
writeFileSync(path.join(HERE, 'corpus.json'), `${JSON.stringify(corpus, null, 2)}\n`)
// in the project's JSON format, so that `npm run lint` passes with the new corpus
execFileSync('npx', ['biome', 'format', '--write', 'bench/compat/corpus.json'], { cwd: ROOT, stdio: 'ignore' })
const units = corpus.repos.reduce((n, r) => n + r.units.length, 0)
const out = corpus.repos.reduce((n, r) => n + r.excluded.length, 0)
console.log(`corpus: ${corpus.repos.length} repositories, ${units} units kept, ${out} left out -> bench/compat/corpus.json`)

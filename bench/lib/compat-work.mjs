// The compat bench's I/O: each corpus repository extracted at its pinned commit from its git mirror, the
// files generated for its units, and one command run with a timeout.
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { generatedInventory, rolePlaybook, slug, workLayout } from './compat-units.mjs'

/** A corpus repository's git directory under the mirrors folder (as the fetch tool lays it out). */
export const mirrorOf = (mirrors, repo) => path.join(mirrors, slug(repo), 'repo')

const exists = (p) => fs.access(p).then(() => true, () => false)

/** Runs argv in cwd with env and a timeout; never throws: { code, stdout, stderr, seconds, timedOut }. */
export function runCommand (argv, { cwd, env, timeoutS }) {
  const started = process.hrtime.bigint()
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, timeout: timeoutS * 1000, killSignal: 'SIGKILL', maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const timedOut = Boolean(err?.killed)
      const code = err ? (typeof err.code === 'number' ? err.code : timedOut ? 124 : 127) : 0
      resolve({ code, stdout: String(stdout), stderr: timedOut ? `timed out after ${timeoutS} s\n${stderr}` : String(stderr), seconds, timedOut })
    })
  })
}

// Extracts `git archive COMMIT` of the mirror into dir.
async function extract (gitDir, commit, dir) {
  await fs.mkdir(dir, { recursive: true })
  const r = await runCommand(['sh', '-c', 'git --git-dir="$1" archive "$2" | tar -x -C "$3"', 'extract', gitDir, commit, dir], { cwd: dir, env: {}, timeoutS: 300 })
  if (r.code !== 0) throw new Error(`git archive ${commit} of ${gitDir} failed: ${r.stderr.trim()}`)
}

async function link (target, at) {
  await fs.mkdir(path.dirname(at), { recursive: true })
  await fs.rm(at, { force: true, recursive: true })
  await fs.symlink(target, at)
}

/**
 * Materialises every corpus repository under work (emptied first): the tree at its commit, the example
 * copies, the generated inventory, the shared roles and collections folders, and each role unit's playbook
 * and inventory. Returns the repositories whose mirror (or commit) is missing, with why; their units are
 * not run.
 */
export async function materialise (corpus, { mirrors, work }) {
  const w = workLayout(work)
  await fs.rm(work, { recursive: true, force: true })
  const missing = []
  await fs.mkdir(work, { recursive: true })
  await fs.writeFile(w.vaultPasswordFile, 'not-the-owners-password\n')
  for (const entry of corpus.repos) {
    const gitDir = mirrorOf(mirrors, entry.repo)
    if (!(await exists(gitDir))) {
      missing.push({ repo: entry.repo, why: `no mirror at ${gitDir} (fetch github:${entry.repo}, or pass --mirrors DIR)` })
      continue
    }
    const dir = w.repoDir(entry.repo)
    try {
      await extract(gitDir, entry.commit, dir)
    } catch (e) {
      missing.push({ repo: entry.repo, why: `${e.message} (the mirror may predate commit ${entry.commit})` })
      continue
    }
    const base = path.join(dir, entry.base ?? '.')
    for (const [from, to] of entry.copies ?? []) await fs.copyFile(path.join(base, from), path.join(base, to))
    if (entry.kind === 'role') await link(dir, path.join(w.rolesPath, entry.role))
    if (entry.collection) await link(dir, path.join(w.collectionsPath, 'ansible_collections', ...entry.collection.split('.')))
    if (entry.units.some((u) => u.kind === 'playbook' && !u.inventory)) {
      await fs.mkdir(path.dirname(w.generatedInventory(entry.repo)), { recursive: true })
      await fs.writeFile(w.generatedInventory(entry.repo), generatedInventory(entry.groups ?? []))
    }
    for (const u of entry.units.filter((x) => x.kind === 'role')) {
      const ud = w.unitDir(u.id)
      await fs.mkdir(ud, { recursive: true })
      await fs.writeFile(path.join(ud, 'play.yml'), rolePlaybook(u.role))
      await fs.writeFile(path.join(ud, 'hosts.yml'), generatedInventory([]))
    }
  }
  return missing
}

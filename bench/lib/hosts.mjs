// Getting lab hosts ready before anything is timed: booted, and able to run Ansible's modules.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { $ } from 'zx'
import { exec } from '../../test/lab/lab.mjs'

const sh = $({ quiet: true, nothrow: true })

async function pool (items, limit, fn) {
  let next = 0
  const worker = async () => { while (next < items.length) { const i = next++; await fn(items[i], i) } }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Waits until systemd inside every host has finished booting, so that neither tool's first
 * run shares the CPU with the tail of twenty containers' boot.
 */
export async function settle (lab) {
  await pool(lab.hosts, 8, (h) => exec(lab, h, 'timeout 60 systemctl is-system-running --wait >/dev/null 2>&1; true'))
}

// Ansible's modules import much of the standard library (shutil, json, tempfile...), which
// python3-minimal lacks: only the full python3 package will do.
const HAS_PYTHON = ['dpkg-query', '-W', '-f=${db:Status-Abbrev}', 'python3']
const installed = (r) => r.exitCode === 0 && r.stdout.startsWith('ii')

/** True when the lab image already ships Debian's python3 package (then ensurePython does nothing). */
export async function imageHasPython (image) {
  return installed(await sh`docker run --rm --entrypoint ${HAS_PYTHON[0]} ${image} ${HAS_PYTHON.slice(1)}`)
}

// The .debs python3 needs, fetched once per bench run in the first host and copied to the others,
// so that twenty hosts cost the mirror one download.
async function fetchDebs (lab, dir) {
  const first = lab.hosts[0]
  const r = await exec(lab, first, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --download-only python3')
  if (r.exitCode !== 0) throw new Error(`apt-get --download-only python3 on ${first.name} failed:\n${r.stdout}${r.stderr}`)
  const got = await sh`docker cp ${first.container + ':/var/cache/apt/archives/.'} ${dir}`
  if (got.exitCode !== 0) throw new Error(`docker cp of the python3 packages failed: ${got.stderr}`)
}

/**
 * Installs Debian's python3 into every lab host that lacks it (Ansible's modules need it; muster does not).
 * Stopgap until the lab image carries python3; not part of any timing.
 */
export async function ensurePython (lab, log = () => {}) {
  const missing = []
  await pool(lab.hosts, 8, async (h) => { if (!installed(await exec(lab, h, HAS_PYTHON))) missing.push(h) })
  if (!missing.length) return
  log(`installing python3 into ${missing.length} lab host(s) for Ansible (not timed)`)
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'muster-bench-debs-'))
  try {
    await fetchDebs(lab, dir)
    await pool(missing, 4, async (h) => {
      const cp = await sh`docker cp ${dir + '/.'} ${h.container + ':/var/cache/apt/archives/'}`
      const r = cp.exitCode === 0
        ? await exec(lab, h, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-download python3 && apt-get clean')
        : { exitCode: cp.exitCode, stdout: '', stderr: cp.stderr }
      if (r.exitCode !== 0) throw new Error(`installing python3 on ${h.name} failed:\n${r.stdout}${r.stderr}`)
    })
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

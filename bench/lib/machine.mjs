// What the figures were measured on: printed above the table so they can be compared later.
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { $ } from 'zx'

const sh = $({ quiet: true, nothrow: true })
const firstLine = (text) => text.split('\n').find((l) => l.trim())?.trim() ?? 'unknown'

function cpuModel () {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)
    if (m) return m[1].trim()
  } catch {}
  return os.cpus()[0]?.model ?? 'unknown'
}

function distro () {
  try { return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1] ?? 'unknown' } catch { return 'unknown' }
}

/** The 1, 5 and 15-minute load averages: others' work on a shared machine skews every figure. */
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ')

/** "key: value" lines describing the machine, the tools' versions and muster's commit. */
export async function machineInfo (root) {
  const [ansible, commit] = await Promise.all([
    sh`ansible-playbook --version`,
    sh`git -C ${root} rev-parse --short HEAD`,
  ])
  return [
    `cpu:     ${cpuModel()} (${os.cpus().length} cores)`,
    `memory:  ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `kernel:  ${os.type()} ${os.release()} (${distro()})`,
    `load:    ${loadAverage()} (1 / 5 / 15 min, at start)`,
    `node:    ${process.version}`,
    `ansible: ${firstLine(ansible.stdout)}`,
    `muster:  ${commit.exitCode === 0 ? commit.stdout.trim() : 'unknown commit'}`,
  ].join('\n')
}

// The two contenders, run the same way on the same lab: one playbook run each, measured.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { $ } from 'zx'
import { measure } from './measure.mjs'

const sh = $({ quiet: true, nothrow: true })

/** The playbook both tools run, relative to the project root. */
export const PLAYBOOK = 'playbooks/prepare.yml'

// Same environment for both: no colour codes to parse around, a plain C.UTF-8 locale.
const baseEnv = () => ({ ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LC_ALL: 'C.UTF-8' })

/** One `muster play` run against the lab (forks = number of hosts, as for Ansible). */
export function runMuster (lab, root) {
  const argv = ['node', 'bin/muster.js', 'play', '-i', lab.inventoryPath, '--forks', String(lab.hosts.length), PLAYBOOK]
  return measure(argv, { cwd: root, env: { ...baseEnv(), MUSTER_KNOWN_HOSTS: lab.knownHostsPath } })
}

/**
 * One tuned ansible-playbook run against the lab (bench/ansible.cfg, forks = number of hosts).
 * Each run gets its own ControlPath directory and closes its masters afterwards, so every run,
 * like muster's, pays for its own SSH connections rather than inheriting the previous run's.
 */
export async function runAnsible (lab, root) {
  const cpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mb-cp-'))
  try {
    const argv = ['ansible-playbook', '-i', lab.inventoryPath, '--forks', String(lab.hosts.length), PLAYBOOK]
    return await measure(argv, {
      cwd: root,
      env: {
        ...baseEnv(),
        ANSIBLE_CONFIG: path.join(root, 'bench/ansible.cfg'),
        ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir,
        // The lab's known_hosts, strictly, as muster gets it through MUSTER_KNOWN_HOSTS.
        ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile="${lab.knownHostsPath}" -o StrictHostKeyChecking=yes`,
      },
    })
  } finally {
    await closeMasters(cpDir)
  }
}

async function closeMasters (cpDir) {
  const sockets = await fs.readdir(cpDir).catch(() => [])
  await Promise.all(sockets.map((s) => sh`ssh -o ControlPath=${path.join(cpDir, s)} -O exit bench-control-master`))
  await fs.rm(cpDir, { recursive: true, force: true })
}

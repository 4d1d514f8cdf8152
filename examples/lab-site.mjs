// Brings up the demo lab for examples/lab-site.sh (hosts able to run Docker, the agent's port published)
// and writes its fleet inventory; siteInventory is also what test/e2e/builtin/site.test.ts runs site on.
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import { startLab } from '../test/lab/lab.mjs'

/** A fleet inventory for a lab: every host a PC in the agents group, its agent reached on its published port. */
export function siteInventory (lab, { k3s = false, labels = { zone: 'lab' } } = {}) {
  const hosts = Object.fromEntries(lab.hosts.map((h) => [h.name, {
    ansible_host: h.address,
    ansible_port: h.port,
    // The controller reaches each agent through the port Docker publishes on 127.0.0.1.
    muster_agent_address: h.address,
    muster_agent_port: h.ports[7443],
    muster_labels: labels,
  }]))
  return {
    all: {
      vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, site_k3s: k3s },
      children: {
        pcs: { hosts },
        agents: { children: { pcs: null } },
      },
    },
  }
}

/** Starts lab `name` with `count` hosts and writes .lab/NAME/site-inventory.yml; returns its path. */
export async function startSiteLab ({ name = 'demo', count = 3 } = {}) {
  const lab = await startLab({ name, count, docker: true, ports: [7443] })
  const file = path.join(lab.dir, 'site-inventory.yml')
  await fs.writeFile(file, `# written by examples/lab-site.mjs for lab ${name}\n` + YAML.stringify(siteInventory(lab)))
  return file
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, count] = process.argv.slice(2)
  console.log(await startSiteLab({ name, count: Number(count ?? 3) }))
}

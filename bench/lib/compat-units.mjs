// Where each corpus unit lives once materialised, the files generated for it, and the four commands run on
// it. Pure: a corpus entry and the work directory in, paths, texts and argv out.
import path from 'node:path'

/** The repository's folder name under the work directory (and under --mirrors): owner+name. */
export const slug = (repo) => repo.replace('/', '+')

/** A unit id as a folder name. */
export const unitSlug = (id) => id.replace(/[^A-Za-z0-9._-]+/g, '_')

/** The generated playbook that runs one role on every host. */
export const rolePlaybook = (role) => `- name: compat ${role}\n  hosts: all\n  roles:\n    - role: ${role}\n`

/** A YAML inventory with one host in each named group (one ungrouped host when there are none). */
export function generatedInventory (groups) {
  if (groups.length === 0) return 'all:\n  hosts:\n    host1:\n'
  const lines = ['all:', '  children:']
  for (const [i, g] of groups.entries()) lines.push(`    ${JSON.stringify(g)}:`, '      hosts:', `        host${i + 1}:`)
  return `${lines.join('\n')}\n`
}

/** The folders of the work directory: materialised repos, the shared roles and collections paths, role units. */
export function workLayout (work) {
  return {
    repoDir: (repo) => path.join(work, 'repos', slug(repo)),
    rolesPath: path.join(work, 'roles'),
    collectionsPath: path.join(work, 'collections'),
    unitDir: (id) => path.join(work, 'units', unitSlug(id)),
    generatedInventory: (repo) => path.join(work, 'inventories', `${slug(repo)}.yml`),
    vaultPasswordFile: path.join(work, 'vault-password'),
  }
}

/**
 * How one unit runs: its working directory (the repo's base for a playbook, the unit's own folder for a
 * role), the playbook and inventory paths, the -e arguments, and the environment both tools get (the same
 * roles path, the repo's ansible.cfg roles_path then the corpus' roles: ANSIBLE_ROLES_PATH for Ansible,
 * MUSTER_ROLES_PATH for muster; the corpus' collections for Ansible).
 */
export function unitRun (entry, unit, work, env = {}) {
  const w = workLayout(work)
  const extra = (unit.extraVars ?? []).flatMap((e) => ['-e', e])
  const base = path.join(w.repoDir(entry.repo), entry.base ?? '.')
  // the repo's ansible.cfg roles_path, which the environment variable would otherwise hide from Ansible
  const rolesPath = [...(entry.rolesPath ?? []).map((p) => path.join(base, p)), w.rolesPath].join(':')
  const shared = {
    ...env,
    ANSIBLE_NOCOLOR: '1',
    NO_COLOR: '1',
    LC_ALL: 'C.UTF-8',
    ANSIBLE_ROLES_PATH: rolesPath,
    MUSTER_ROLES_PATH: rolesPath,
    ANSIBLE_COLLECTIONS_PATH: `${w.collectionsPath}:/usr/share/ansible/collections`,
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
    // a repo's ansible.cfg may name a vault password file only its owner has; loading needs none
    ANSIBLE_VAULT_PASSWORD_FILE: w.vaultPasswordFile,
  }
  if (unit.kind === 'role') {
    const dir = w.unitDir(unit.id)
    return { cwd: dir, playbook: path.join(dir, 'play.yml'), inventory: path.join(dir, 'hosts.yml'), extra, env: shared }
  }
  const inventory = unit.inventory ? path.join(base, unit.inventory) : w.generatedInventory(entry.repo)
  return { cwd: base, playbook: path.join(base, unit.playbook), inventory, extra, env: shared }
}

/** The argv of one measure: tool 'ansible' or 'muster', mode 'syntax-check' or 'list-tasks'. */
export function commandFor (tool, mode, run, root) {
  const tail = ['-i', run.inventory, ...run.extra, `--${mode}`, run.playbook]
  return tool === 'ansible' ? ['ansible-playbook', ...tail] : [process.execPath, path.join(root, 'bin/muster.js'), 'play', ...tail]
}

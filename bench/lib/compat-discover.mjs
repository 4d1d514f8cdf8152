// Finds the units of one corpus repository: its playbooks (with the inventory it ships, else a generated
// one) and its roles (each wrapped later in a generated `hosts: all` playbook). Pure: the file list and a
// reader in, a description out; bench/compat/build-corpus.mjs does the I/O and keeps what Ansible loads.
import path from 'node:path'
import { parse } from 'yaml'

const YAML_FILE = /\.ya?ml$/
// Files that are YAML lists but never playbooks.
const NOT_PLAYBOOKS = /(^|\/)(requirements|galaxy|meta|Taskfile|docker-compose|compose|mkdocs|\.[^/]*)\.ya?ml$|(^|\/)(group_vars|host_vars|vars|defaults|tasks|handlers|templates|files|molecule|tests?|\.github|collections|inventor(y|ies))\//
// Inventories a repository may ship, in the order they are tried (after ansible.cfg's `inventory =`).
const INVENTORY_NAMES = [
  'inventory.yml', 'inventory.yaml', 'hosts.yml', 'hosts.yaml', 'inventory.ini', 'hosts.ini', 'inventory', 'hosts',
  'inventory-sample.yml', 'inventory/sample/hosts.ini', 'inventory/sample/hosts.yml', 'inventory/hosts.ini', 'inventory/hosts.yml', 'inventory/hosts',
]
const INVENTORY_LIKE = /^inventor(y|ies)\/(([^/]+)\/)?(hosts|inventory)(\.ya?ml|\.ini)?$/
// Host patterns that need no group in a generated inventory.
const NO_GROUP = new Set(['all', '*', 'localhost', '127.0.0.1', 'ungrouped'])

const safeParse = (text) => {
  try { return parse(text, { uniqueKeys: false, logLevel: 'error' }) } catch { return undefined }
}

/** Whether YAML text is a playbook: a non-empty list of plays (`hosts:`) and playbook imports. */
export function isPlaybook (text) {
  const doc = safeParse(text)
  return Array.isArray(doc) && doc.length > 0 && doc.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p)
    && ('hosts' in p || 'import_playbook' in p || 'ansible.builtin.import_playbook' in p))
}

/** The group names a playbook's `hosts:` patterns name (templated and special patterns left out). */
export function hostGroups (text) {
  const doc = safeParse(text)
  if (!Array.isArray(doc)) return []
  const groups = new Set()
  for (const play of doc) {
    const hosts = play?.hosts
    const patterns = Array.isArray(hosts) ? hosts : typeof hosts === 'string' ? hosts.split(/[,:]/) : []
    for (let p of patterns) {
      p = String(p).trim().replace(/^[!&]/, '')
      if (p && !p.includes('{{') && !p.includes('*') && !p.startsWith('~') && !p.includes('[') && !NO_GROUP.has(p)) groups.add(p)
    }
  }
  return [...groups].sort()
}

/** A key of an ansible.cfg's [defaults] (the first of `names` found), or undefined. */
export function cfgDefault (text, names) {
  let section = ''
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim()
    const s = line.match(/^\[(.+)\]$/)
    if (s) section = s[1].trim()
    const m = line.match(/^([\w-]+)\s*[=:]\s*(.+)$/)
    if (m && section === 'defaults' && names.includes(m[1])) return m[2].trim()
  }
  return undefined
}

/** `inventory = X` of an ansible.cfg's [defaults] (the first of a comma list), or undefined. */
export const cfgInventory = (text) => cfgDefault(text, ['inventory', 'hostfile'])?.split(',')[0].trim()

/** `roles_path` of an ansible.cfg's [defaults]: its relative folders (home and absolute ones are not the repo's). */
export const cfgRolesPath = (text) =>
  (cfgDefault(text, ['roles_path']) ?? '').split(/[:,]/).map((p) => p.trim()).filter((p) => p && !p.startsWith('/') && !p.startsWith('~') && !p.includes('$'))

/** Copies a repository expects its user to make: example.X or X.example to X, when X is absent. */
export function exampleCopies (files) {
  const have = new Set(files)
  const copies = []
  for (const f of files) {
    const dir = path.posix.dirname(f)
    const base = path.posix.basename(f)
    const m = base.match(/^example\.(.+)$/) ?? base.match(/^(.+)\.example$/)
    if (!m) continue
    const to = dir === '.' ? m[1] : `${dir}/${m[1]}`
    if (!have.has(to) && !copies.some(([, t]) => t === to)) copies.push([f, to])
  }
  return copies
}

/** The galaxy name of a role repository: meta's namespace (else the owner) and role_name (else the repo's name). */
export function roleName (owner, name, metaText) {
  const info = safeParse(metaText ?? '')?.galaxy_info ?? {}
  const ns = String(info.namespace ?? owner).toLowerCase().replace(/-/g, '_')
  const role = String(info.role_name ?? name.replace(/^ansible-role-/, '')).replace(/-/g, '_')
  return `${ns}.${role}`
}

/** `namespace.name` from a collection's galaxy.yml, or undefined. */
export function collectionName (galaxyText) {
  const g = safeParse(galaxyText ?? '')
  return g?.namespace && g?.name ? `${g.namespace}.${g.name}` : undefined
}

// The inventory a playbook unit is run with: ansible.cfg's, else the first the repo ships; null = generated.
function shippedInventory (files, cfgText) {
  const have = new Set(files)
  const fromCfg = cfgInventory(cfgText)
  if (fromCfg && !fromCfg.startsWith('/') && !fromCfg.includes('~')) {
    const p = path.posix.normalize(fromCfg)
    if (have.has(p)) return p
    // a directory inventory: its hosts file
    const inside = files.filter((f) => f.startsWith(`${p}/`) && /^(hosts|inventory)(\.ya?ml|\.ini)?$/.test(f.slice(p.length + 1)))
    if (inside.length) return inside.sort()[0]
  }
  const named = INVENTORY_NAMES.find((n) => have.has(n))
  if (named) return named
  return files.filter((f) => INVENTORY_LIKE.test(f)).sort()[0] ?? null
}

const unitId = (repo, what) => `${repo}:${what}`

/**
 * The candidate units of one repository. `files` are paths relative to the repository's root; `read(path)`
 * gives a file's text (undefined when absent); `seed` may set `base` (the folder with the playbooks),
 * `inventory`, `extraVars` and `skip` (paths left out, with why). Returns the kind (role, collection or
 * playbooks), the base, the example copies to make, the galaxy names, ansible.cfg's roles_path (relative to
 * the base), the units and the groups a generated inventory needs.
 */
export function discoverUnits ({ repo, files, read, seed = {} }) {
  const [owner, name] = repo.split('/')
  const skip = seed.skip ?? {}
  if (files.includes('tasks/main.yml') || files.includes('tasks/main.yaml')) {
    const role = roleName(owner, name, read('meta/main.yml') ?? read('meta/main.yaml'))
    return { kind: 'role', base: '.', copies: [], role, units: [{ id: unitId(repo, `role ${role}`), kind: 'role', role }], groups: [] }
  }
  const collection = files.includes('galaxy.yml') ? collectionName(read('galaxy.yml')) : undefined
  const base = seed.base ?? (files.some((f) => !f.includes('/') && YAML_FILE.test(f) && isPlaybook(read(f) ?? '')) || !files.some((f) => f.startsWith('ansible/')) ? '.' : 'ansible')
  const inBase = (base === '.' ? files : files.filter((f) => f.startsWith(`${base}/`)).map((f) => f.slice(base.length + 1)))
  const local = (f) => read(base === '.' ? f : `${base}/${f}`)
  const copies = exampleCopies(inBase.filter((f) => !f.includes('/')))
  const all = [...inBase, ...copies.map(([, to]) => to)]
  const units = []
  if (collection) {
    for (const f of files.filter((x) => /^roles\/[^/]+\/tasks\/main\.ya?ml$/.test(x)).sort()) {
      const role = `${collection}.${f.split('/')[1]}`
      units.push({ id: unitId(repo, `role ${role}`), kind: 'role', role })
    }
  }
  const inventory = seed.inventory ?? shippedInventory(all, local('ansible.cfg'))
  const groups = new Set()
  const candidates = inBase.filter((f) => YAML_FILE.test(f) && !NOT_PLAYBOOKS.test(f) && (!f.includes('/') || /^playbooks\/[^/]+$/.test(f))).sort()
  for (const f of candidates) {
    if (skip[f]) continue
    const text = local(f) ?? ''
    if (!isPlaybook(text)) continue
    for (const g of hostGroups(text)) groups.add(g)
    units.push({ id: unitId(repo, f), kind: 'playbook', playbook: f, inventory, ...(seed.extraVars ? { extraVars: seed.extraVars } : {}) })
  }
  const rolesPath = cfgRolesPath(local('ansible.cfg'))
  return {
    kind: collection ? 'collection' : 'playbooks',
    base,
    copies,
    ...(collection ? { collection } : {}),
    ...(rolesPath.length ? { rolesPath } : {}),
    units,
    groups: [...groups].sort(),
  }
}

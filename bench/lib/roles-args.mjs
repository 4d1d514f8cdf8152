// Command-line options of bench/roles.mjs and the checks of its pinned roles (bench/roles/roles.json).
// Pure: argv, JSON and playbook text in; options, roles or a UsageError out.
import os from 'node:os'
import path from 'node:path'
import YAML from 'yaml'
import { eachOption, nonEmpty, positive, UsageError } from './args.mjs'

/** The usage line printed by --help and after a bad option. */
export const rolesUsage =
  'usage: node bench/roles.mjs [--hosts N] [--only ID,...] [--mirrors DIR] [--work DIR] [--out FILE] [--keep] [--no-build] [--help]'

/**
 * Reads --hosts (hosts per lab), --only (role ids, comma-separated, run in roles.json's order), --mirrors
 * (git mirrors, one owner+name/repo each), --work (where the roles are extracted; emptied first), --out (the
 * full differences as JSON), --keep (leave both labs running), --no-build and --help.
 */
export function parseRolesArgs (argv, root) {
  const opts = {
    hosts: 1,
    only: null,
    mirrors: '/work/.mirror',
    work: path.join(os.tmpdir(), 'muster-roles'),
    out: path.join(os.tmpdir(), 'muster-roles.json'),
    keep: false,
    build: true,
    help: false,
  }
  eachOption(argv, (name, value) => {
    switch (name) {
      case 'hosts': opts.hosts = positive('--hosts', value()); break
      case 'only': opts.only = nonEmpty('--only', value()).split(',').map((s) => s.trim()).filter(Boolean); break
      case 'mirrors': opts.mirrors = path.resolve(nonEmpty('--mirrors', value())); break
      case 'work': opts.work = path.resolve(nonEmpty('--work', value())); break
      case 'out': opts.out = path.resolve(nonEmpty('--out', value())); break
      case 'keep': opts.keep = true; break
      case 'no-build': opts.build = false; break
      case 'help': opts.help = true; break
      default: throw new UsageError(`unknown option --${name}`)
    }
  })
  if (opts.work === '/' || opts.work === root) throw new UsageError(`--work ${opts.work} would be emptied: name a folder of its own`)
  return opts
}

const COMMIT = /^[0-9a-f]{40}$/

/**
 * roles.json's parsed content -> its roles, checked: ids unique and simple, repo owner/name, commit of 40
 * hex digits, a role name and a playbook. only (ids) keeps those, in the file's order; an unknown id is an error.
 */
export function checkRoles (json, only = null) {
  const roles = json?.roles
  if (!Array.isArray(roles) || roles.length === 0) throw new UsageError('roles.json: "roles" must be a non-empty list')
  const ids = new Set()
  for (const [i, r] of roles.entries()) {
    const at = `roles.json: role ${i + 1}${r?.id ? ` (${r.id})` : ''}`
    if (typeof r?.id !== 'string' || !/^[a-z0-9-]+$/.test(r.id)) throw new UsageError(`${at}: "id" must be lower-case letters, digits and dashes`)
    if (ids.has(r.id)) throw new UsageError(`${at}: id "${r.id}" appears twice`)
    ids.add(r.id)
    if (typeof r.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(r.repo)) throw new UsageError(`${at}: "repo" must be owner/name`)
    if (typeof r.commit !== 'string' || !COMMIT.test(r.commit)) throw new UsageError(`${at}: "commit" must be 40 hex digits`)
    if (typeof r.role !== 'string' || !r.role) throw new UsageError(`${at}: "role" must name the role as the playbook does`)
    if (typeof r.playbook !== 'string' || !r.playbook.endsWith('.yml')) throw new UsageError(`${at}: "playbook" must be a .yml file under bench/roles`)
  }
  if (!only) return roles
  const unknown = only.filter((id) => !ids.has(id))
  if (unknown.length) throw new UsageError(`--only: no role ${unknown.join(', ')} (known: ${[...ids].join(', ')})`)
  return roles.filter((r) => only.includes(r.id))
}

/**
 * The first play's vars, role names and the first role's parameters (the keys of its entry other than
 * role/name) in a playbook's text, to check them against roles.json.
 */
export function playOf (text) {
  const plays = YAML.parse(text)
  const play = Array.isArray(plays) ? plays[0] : null
  if (!play || typeof play !== 'object') throw new Error('the playbook holds no play')
  const entries = play.roles ?? []
  const roles = entries.map((r) => (typeof r === 'string' ? r : r.role ?? r.name))
  const first = entries[0] && typeof entries[0] === 'object' ? entries[0] : {}
  const params = Object.fromEntries(Object.entries(first).filter(([k]) => k !== 'role' && k !== 'name'))
  return { vars: play.vars ?? {}, roles, params }
}

/** Where the role of a pinned repository is extracted: WORK/roles/ROLE (the roles_path both tools get). */
export const roleDir = (work, role) => path.join(work, 'roles', role.role)

/** A repository's git directory under the mirrors folder (as the fetch tool lays it out). */
export const mirrorDir = (mirrors, repo) => path.join(mirrors, repo.replace('/', '+'), 'repo')

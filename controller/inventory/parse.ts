/**
 * Reads Ansible's YAML inventory format into a draft: a mapping of groups (with or without `all:` at the
 * root), each with `hosts`, `vars` and `children`; also the `-i h1,h2,` host list.
 */
import { didYouMean, formatPos, MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { posOf } from '../../shared/yaml.js';
import { addChild, addHost, ensureGroup, type Draft } from './draft.js';
import { expandHostRange, splitHostPort } from './ranges.js';

const SECTIONS = ['hosts', 'vars', 'children'];

/** Adds the groups of one parsed YAML inventory file to the draft. Throws E_SCHEMA with positions. */
export function addYamlInventory(d: Draft, data: unknown, file: string): void {
  if (data === null || data === undefined) {
    d.warnings.push(`${file}: the inventory is empty`);
    return;
  }
  if (!isMapping(data)) {
    throw new MusterError('E_SCHEMA', `the inventory must be a mapping of group names, found ${kindOf(data)}`, {
      pos: posOf(data) ?? { file, line: 1, col: 1 },
      hint: 'start with `all:` (or a group name) and list hosts under `hosts:`',
    });
  }
  if ('plugin' in data) {
    throw new MusterError('E_SCHEMA', 'inventory plugin configuration files are not supported', {
      pos: posOf(data, 'plugin', 'key'),
      hint: 'write the hosts out in a YAML inventory (groups with hosts:, vars: and children:)',
    });
  }
  for (const [name, body] of Object.entries(data)) readGroup(d, name, body, data, file);
}

/** Adds the hosts of an `-i h1,h2:2222,` list to `ungrouped` (no ranges, as Ansible's host_list). */
export function addHostList(d: Draft, list: string): void {
  for (const item of list.split(',')) {
    const spec = item.trim();
    if (!spec) continue;
    const { pattern, port } = splitHostPort(spec);
    addHost(d, 'ungrouped', pattern, port === undefined ? {} : { ansible_port: port });
  }
}

function readGroup(d: Draft, name: string, body: unknown, holder: object, file: string): void {
  if (body !== null && !isMapping(body)) {
    throw new MusterError('E_SCHEMA', `group "${name}" must be a mapping, found ${kindOf(body)}`, {
      pos: posOf(holder, name) ?? fileStart(file),
      hint: 'under a group name write `hosts:`, `vars:` and/or `children:`; hosts are keys under `hosts:`, like `web1:`',
    });
  }
  ensureGroup(d, name, posOf(holder, name, 'key'));
  if (body === null) return;
  for (const [key, value] of Object.entries(body)) {
    if (value === null) continue;
    const at = posOf(body, key) ?? fileStart(file);
    if (key === 'vars') readVars(d, name, sectionMap(name, key, value, at));
    else if (key === 'children') readChildren(d, name, sectionMap(name, key, value, at), at);
    else if (key === 'hosts') readHosts(d, name, sectionMap(name, key, value, at), at);
    else {
      const at = posOf(body, key, 'key');
      d.warnings.push(
        `${at ? `${formatPos(at)}: ` : ''}unknown key "${key}" in group "${name}" ignored (a group takes hosts, vars and children)${didYouMean(key, SECTIONS)}`,
      );
    }
  }
}

function readVars(d: Draft, group: string, vars: Record<string, unknown>): void {
  const g = ensureGroup(d, group);
  for (const [k, v] of Object.entries(vars)) {
    if (k === 'ansible_group_priority' && !Number.isInteger(Number(v))) {
      throw new MusterError('E_SCHEMA', `ansible_group_priority of group "${group}" must be a whole number, found ${JSON.stringify(v)}`, {
        pos: posOf(vars, k),
        hint: 'groups of higher priority win over groups of the same depth; the default is 1',
      });
    }
    g.vars[k] = k === 'ansible_group_priority' ? Number(v) : v;
  }
}

function readChildren(d: Draft, group: string, children: Record<string, unknown>, section: Pos): void {
  for (const [child, body] of Object.entries(children)) {
    // Linked before its body is read, so a loop is reported at the entry that closes it.
    addChild(d, group, child, posOf(children, child, 'key') ?? section);
    readGroup(d, child, body, children, section.file);
  }
}

function readHosts(d: Draft, group: string, hosts: Record<string, unknown>, section: Pos): void {
  for (const [key, vars] of Object.entries(hosts)) {
    const at = posOf(hosts, key, 'key') ?? section;
    if (vars !== null && !isMapping(vars)) {
      throw new MusterError('E_SCHEMA', `the variables of host "${key}" must be a mapping, found ${kindOf(vars)}`, {
        pos: posOf(hosts, key) ?? at,
        hint: 'write `name: value` pairs under the host, or leave it empty (`web1:`)',
      });
    }
    const { pattern, port } = splitHostPort(key);
    let names: string[];
    try {
      names = expandHostRange(pattern);
    } catch (e) {
      throw e instanceof MusterError ? e.withContext({ pos: at }) : e;
    }
    const own: Vars = { ...(port === undefined ? {} : { ansible_port: port }), ...(vars ?? {}) };
    for (const n of names) addHost(d, group, n, own);
  }
}

/** A section as a mapping; a lone string is one entry (`hosts: web1`), as Ansible accepts. */
function sectionMap(group: string, key: string, value: unknown, at: Pos): Record<string, unknown> {
  if (typeof value === 'string' && key !== 'vars') return { [value]: null };
  if (isMapping(value)) return value;
  const example = key === 'vars' ? '`name: value` pairs' : key === 'hosts' ? 'one `web1:` per line (a colon after each host)' : 'one `groupname:` per line';
  throw new MusterError('E_SCHEMA', `"${key}" of group "${group}" must be a mapping, found ${kindOf(value)}`, {
    pos: at,
    hint: `write ${example}`,
  });
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  return `a ${typeof v}`;
}

function fileStart(file: string): Pos {
  return { file, line: 1, col: 1 };
}

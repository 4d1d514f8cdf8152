/**
 * Loading an inventory from `-i`: a YAML or INI file, a directory of them, or a comma-separated host list;
 * then group_vars/ and host_vars/ beside it (and, with withVarsDir, beside the playbook).
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { parseYaml, readText } from '../../shared/yaml.js';
import { buildInventory } from './build.js';
import { finishDraft, newDraft, type Draft } from './draft.js';
import { LOCALHOST_NAMES } from './hosts.js';
import { addIniInventory } from './ini.js';
import { addHostList, addYamlInventory } from './parse.js';
import type { Inventory, VarsSources } from './types.js';
import { readVarsLayer } from './vars-dirs.js';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

/** Loads an inventory: a file path, a directory of inventory files, or a host list like `h1,h2,`. */
export function loadInventory(source: string): Inventory {
  const kind = statSync(source, { throwIfNoEntry: false });
  const d = newDraft();
  let base: string | undefined;
  if (kind?.isDirectory()) {
    for (const file of inventoryFiles(source, d)) addInventoryFile(d, file);
    base = source;
  } else if (kind) {
    addInventoryFile(d, source);
    base = dirname(source);
  } else if (source.includes(',')) {
    addHostList(d, source);
  } else {
    throw new MusterError('E_FILE', `cannot read inventory ${source}: no such file`, {
      hint: 'give a YAML inventory file, or a comma-separated host list such as `-i web1,web2,` (a single host needs the trailing comma)',
    });
  }
  finishDraft(d);
  const inline: VarsSources = { groups: new Map(), hosts: d.hosts, layers: [] };
  for (const g of d.groups.values()) inline.groups.set(g.name, g.vars);
  const inv = buildInventory(source, { groups: d.groups, hosts: [...d.hosts.keys()] }, inline, d.warnings);
  return base === undefined ? inv : withVarsDir(inv, base);
}

/** A new inventory with dir/group_vars and dir/host_vars added above the layers it already has. */
export function withVarsDir(inv: Inventory, dir: string): Inventory {
  const src: VarsSources = inv.sources ?? sourcesOf(inv);
  if (src.layers.some((l) => sameDir(l.dir, dir))) return inv;
  const hostNames = new Set([...inv.hosts.keys(), ...LOCALHOST_NAMES]);
  const { layer, warnings } = readVarsLayer(dir, inv.groups.keys(), hostNames);
  const next: VarsSources = { ...src, layers: [...src.layers, layer] };
  return buildInventory(inv.source, { groups: inv.groups, hosts: [...inv.hosts.keys()] }, next, [...inv.warnings, ...warnings]);
}

/**
 * One inventory file into the draft. As in Ansible, a .yml/.yaml/.json file is YAML; any other file is
 * INI, unless it is plainly a YAML mapping of groups (muster has always read those whatever their name).
 */
function addInventoryFile(d: Draft, file: string): void {
  const text = readText(file);
  if (YAML_EXTENSIONS.includes(extname(file)) || (!looksLikeIni(text) && yamlMapping(text, file))) addYamlInventory(d, parseInventoryText(text, file), file);
  else addIniInventory(d, text, file);
}

function yamlMapping(text: string, file: string): boolean {
  try {
    const data = parseYaml(text, file);
    return data === null || (typeof data === 'object' && !Array.isArray(data));
  } catch {
    return false;
  }
}

/**
 * Parses one YAML inventory file. INI lines in a file named as YAML are refused by name, since they would
 * otherwise surface as a puzzling YAML error or as one odd host.
 */
export function parseInventoryText(text: string, file: string): unknown {
  let data: unknown;
  try {
    data = parseYaml(text, file);
  } catch (e) {
    if (looksLikeIni(text)) throw iniError(text, file);
    throw e;
  }
  if (typeof data === 'string' || (Array.isArray(data) && looksLikeIni(text))) throw iniError(text, file);
  return data;
}

/** A section header (`[web]`, `[web:vars]`) or a `host key=value` line: INI, not YAML. */
export function looksLikeIni(text: string): boolean {
  return text.split('\n').some((line) => /^\s*\[[^\]\s,]+\]\s*([#;].*)?$/.test(line) || /^[^\s:#=]+\s+[\w.]+=\S/.test(line));
}

function iniError(text: string, file: string): MusterError {
  const line = text.split('\n').findIndex((l) => /^\s*\[[^\]\s,]+\]/.test(l));
  return new MusterError('E_SCHEMA', `${file} looks like an INI inventory but is named as YAML`, {
    pos: { file, line: line < 0 ? 1 : line + 1, col: 1 },
    hint: 'rename it without the .yml/.yaml/.json extension (INI inventories are read from files such as hosts or inventory.ini), or write it in YAML',
  });
}

// what Ansible leaves out of an inventory directory (INVENTORY_IGNORE_EXTS)
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

/** The inventory files of a directory, in lexical order: YAML, and INI files without an extension. */
function inventoryFiles(dir: string, d: Draft): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~') || entry === 'group_vars' || entry === 'host_vars') continue;
    const path = join(dir, entry);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    if (IGNORED_EXTENSIONS.includes(extname(entry))) d.warnings.push(`${path}: skipped, as Ansible skips ${extname(entry)} files in an inventory directory`);
    else out.push(path);
  }
  return out;
}

/** Sources for an inventory built by hand: its group and host vars taken as the inline ones. */
function sourcesOf(inv: Inventory): VarsSources {
  const groups = new Map([...inv.groups].map(([n, g]) => [n, g.vars] as const));
  return { groups, hosts: new Map([...inv.hosts].map(([n, h]) => [n, h.vars] as const)), layers: [] };
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return real(a) === real(b);
}

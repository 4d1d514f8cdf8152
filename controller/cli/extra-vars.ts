/** `-e`: k=v pairs, an inline JSON/YAML mapping, or @file (YAML or JSON). Later ones win. */
import { MusterError } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { parseKv } from '../playbook/kv.js';
import { loadYamlFile, parseYaml } from '../../shared/yaml.js';

/** Merges every -e value into one mapping. */
export function parseExtraVars(values: string[]): Vars {
  const out: Vars = {};
  for (const v of values) Object.assign(out, one(v));
  return out;
}

function one(v: string): Vars {
  const text = v.trim();
  if (text.startsWith('@')) return mapping(loadYamlFile(text.slice(1)), text.slice(1));
  if (text.startsWith('{')) return mapping(parseYaml(text, '-e'), '-e');
  const kv = parseKv(text);
  if ('_raw_params' in kv) {
    throw new MusterError('E_OPTION', `-e "${v}": expected key=value pairs, a {mapping} or @file`);
  }
  return kv;
}

function mapping(v: unknown, source: string): Vars {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new MusterError('E_OPTION', `extra vars from ${source} must be a mapping of names to values`);
  }
  return v as Vars;
}

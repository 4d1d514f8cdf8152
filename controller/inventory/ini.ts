/**
 * Ansible's INI inventory format, read into a draft as ansible-core's ini plugin reads it: `[group]`,
 * `[group:vars]` and `[group:children]` sections, hosts before any section in `ungrouped`, host lines
 * split like a shell line (quotes, `#` comments) with `key=value` variables, values read as Python
 * literals when they are one (`8080` a number, `True` a boolean, `"x"` a string) and as text otherwise.
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { addChild, addHost, ensureGroup, type Draft } from './draft.js';
import { pythonLiteral } from './python-literal.js';
import { expandHostRange, splitHostPort } from './ranges.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** Adds the groups and hosts of one INI inventory file to the draft. Throws E_SCHEMA at file:line. */
export function addIniInventory(d: Draft, text: string, file: string): void {
  let group = 'ungrouped';
  let state = 'hosts';
  // groups named in [x:vars] or [x:children] before they exist: an error if they never do
  const pending = new Map<string, { line: number; state: string; parents: string[] }>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const pos: Pos = { file, line: i + 1, col: 1 };
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1];
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        throw fail(pos, `section [${section[1]}:${state}] has an unknown type "${state}"`, 'a section is [group], [group:vars] or [group:children]');
      }
      if (!d.groups.has(group) && state === 'vars' && !pending.has(group)) pending.set(group, { line: i + 1, state, parents: [] });
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        for (const parent of waiting.parents) addChild(d, parent, group, pos);
        pending.delete(group);
      }
      ensureGroup(d, group, pos);
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw fail(pos, `invalid section "${line}"`, 'write [group], [group:vars] or [group:children] with no spaces inside the brackets');
    }
    if (state === 'hosts') {
      hostLine(d, group, line, pos);
      return;
    }
    if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw fail(pos, `expected key=value in [${group}:vars], got "${line}"`, 'write one variable per line: name=value');
      ensureGroup(d, group).vars[line.slice(0, eq).trim()] = pythonLiteral(line.slice(eq + 1).trim());
      return;
    }
    const child = GROUP_NAME.exec(line)?.[1];
    if (!child) throw fail(pos, `expected a group name in [${group}:children], got "${line}"`, 'write one group name per line');
    if (d.groups.has(child)) addChild(d, group, child, pos);
    else {
      const waiting = pending.get(child);
      if (waiting) waiting.parents.push(group);
      else pending.set(child, { line: i + 1, state: 'children', parents: [group] });
    }
  });
  for (const [name, decl] of pending) {
    const pos: Pos = { file, line: decl.line, col: 1 };
    if (decl.state === 'vars') throw fail(pos, `section [${name}:vars] is for a group that is never defined`, `add a [${name}] section, or fix the name`);
    throw fail(
      pos,
      `[${decl.parents[decl.parents.length - 1]}:children] includes "${name}", a group that is never defined`,
      `add a [${name}] section, or fix the name`,
    );
  }
}

function hostLine(d: Draft, group: string, line: string, pos: Pos): void {
  const tokens = shellWords(line, pos);
  if (!tokens.length) return;
  const [spec, ...rest] = tokens;
  if (spec.trim() === '---') throw fail(pos, 'a host named "---"', 'this looks like a YAML file: give it a .yml name, or write INI');
  const { pattern, port } = splitHostPort(spec);
  if (spec.endsWith(':') && port === undefined) throw fail(pos, `host "${spec}" ends with ":"`, 'after ":" comes a port number: web1:2222');
  const vars: Vars = port === undefined ? {} : { ansible_port: port };
  for (const token of rest) {
    const eq = token.indexOf('=');
    if (eq < 0) throw fail(pos, `expected key=value after the host, got "${token}"`, 'host variables are written name=value, space-separated');
    vars[token.slice(0, eq)] = pythonLiteral(token.slice(eq + 1));
  }
  let names: string[];
  try {
    names = expandHostRange(pattern);
  } catch (e) {
    throw e instanceof MusterError ? e.withContext({ pos }) : e;
  }
  for (const n of names) addHost(d, group, n, vars);
}

/** A line split as POSIX shlex does with comments: quotes group and go, backslash escapes, `#` ends the line. */
export function shellWords(line: string, pos: Pos): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#') {
      break;
    } else if (c === "'" || c === '"') {
      const end = closing(line, i, c);
      if (end < 0) throw fail(pos, `a quote is never closed in "${line}"`, `close the ${c} quote`);
      const body = line.slice(i + 1, end);
      word = (word ?? '') + (c === '"' ? body.replace(/\\([\\"$`])/g, '$1') : body);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function closing(line: string, start: number, q: string): number {
  for (let i = start + 1; i < line.length; i++) {
    if (q === '"' && line[i] === '\\') i++;
    else if (line[i] === q) return i;
  }
  return -1;
}

function fail(pos: Pos, message: string, hint: string): MusterError {
  return new MusterError('E_SCHEMA', message, { pos, hint });
}

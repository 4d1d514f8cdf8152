/**
 * ansible.cfg's INI dialect, as Python's configparser reads it for Ansible (ConfigParser with `;` as the
 * only inline comment prefix, values read raw): `[section]` headers, `key = value` or `key: value`, keys
 * case-insensitive, full-line comments starting with `#` or `;`, ` ;` starting an inline comment, lines
 * indented deeper than their key continuing its value, `[DEFAULT]` values seen in every section, and a
 * duplicate section or key refused. Pure: text in, sections out; errors name file:line and what to do.
 */
import { MusterError } from '../../shared/errors.js';

/** One value and the line its key was written on. */
export interface IniEntry {
  value: string;
  line: number;
}

/** A parsed file: its path as shown, and each section's keys (lower-cased) in order. */
export interface IniFile {
  file: string;
  sections: Map<string, Map<string, IniEntry>>;
}

const DEFAULT_SECTION = 'DEFAULT';
const SECTION = /^\[(.+)\]$/;
const OPTION = /^(.*?)\s*[=:]\s*(.*)$/;

/** Parses INI text; E_SCHEMA with file:line on a line configparser would refuse. */
export function parseIni(text: string, file: string): IniFile {
  const sections = new Map<string, Map<string, IniEntry>>();
  let current: Map<string, IniEntry> | undefined;
  let open: { entry: IniEntry; indent: number; lines: string[] } | undefined;
  const fail = (line: number, message: string, hint: string): never => {
    throw new MusterError('E_SCHEMA', message, { pos: { file, line, col: 1 }, hint });
  };
  const close = () => {
    if (!open) return;
    while (open.lines.length > 1 && open.lines.at(-1) === '') open.lines.pop();
    open.entry.value = open.lines.join('\n');
    open = undefined;
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const content = stripInlineComment(raw).trimEnd();
    const indent = content.length - content.trimStart().length;
    if (content.trim() === '') {
      // an empty line may sit inside a multi-line value; trailing ones are dropped when the value closes
      if (open) open.lines.push('');
      return;
    }
    if (open && indent > open.indent) {
      open.lines.push(content.trim());
      return;
    }
    close();
    const header = SECTION.exec(content.trim());
    if (header) {
      const name = header[1];
      if (sections.has(name)) fail(n, `section [${name}] appears twice`, `merge the two [${name}] sections into one`);
      current = new Map();
      sections.set(name, current);
      return;
    }
    if (!current) fail(n, 'a setting before any [section] header', 'start the file with a section such as [defaults]');
    const option = OPTION.exec(content.trim());
    if (!option) fail(n, `cannot read "${content.trim()}": not a [section] header nor key = value`, 'write key = value, or comment the line out with # or ;');
    const key = (option as RegExpExecArray)[1].toLowerCase();
    if (key === '') fail(n, `a value without a key: "${content.trim()}"`, 'write key = value');
    const section = current as Map<string, IniEntry>;
    if (section.has(key)) fail(n, `"${key}" is set twice in this section (first on line ${section.get(key)?.line})`, 'keep one of the two lines');
    const entry: IniEntry = { value: '', line: n };
    section.set(key, entry);
    open = { entry, indent, lines: [(option as RegExpExecArray)[2]] };
  });
  close();
  return { file, sections };
}

/** The text before an inline comment: a `;` at the start of the value or after whitespace. */
function stripInlineComment(line: string): string {
  for (let i = 0; i < line.length; i++) if (line[i] === ';' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  return line;
}

/** A key's entry in a section, falling back to [DEFAULT] as configparser does. */
export function iniGet(ini: IniFile, section: string, key: string): IniEntry | undefined {
  const own = ini.sections.get(section);
  if (!own && section !== DEFAULT_SECTION) return undefined;
  return own?.get(key) ?? ini.sections.get(DEFAULT_SECTION)?.get(key);
}

/** Ansible's unquote(): one pair of matching surrounding quotes removed. */
export function unquote(v: string): string {
  if (v.length > 1 && v[0] === v.at(-1) && (v[0] === '"' || v[0] === "'") && v.at(-2) !== '\\') return v.slice(1, -1);
  return v;
}

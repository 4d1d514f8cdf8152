/**
 * The ini lookup: a value from an INI file's section, or from a Java-style properties file, read as
 * Python's ConfigParser reads it (`=` or `:`, `#`/`;` comments, indented continuation lines, `%(name)s`
 * interpolation, keys folded to lower case unless case_sensitive).
 */
import { toBool } from '../../../shared/boolean.js';
import { pyRegex } from '../pyregex.js';
import { typeName } from '../values.js';
import { candidates, findFile } from './files.js';
import type { Lookup, LookupCtx } from './types.js';

const OPTIONS = ['type', 'file', 'section', 're', 'encoding', 'default', 'case_sensitive', 'allow_no_value', 'allow_none'];

/** A parsed INI file: sections (in order) of keys to values (null: a key written without a value). */
export type Ini = Map<string, Map<string, string | null>>;

/** Parses INI text as ConfigParser does; throws an Error naming the line for what it refuses. */
export function parseIni(text: string, opts: { caseSensitive: boolean; allowNoValue: boolean }): Ini {
  const out: Ini = new Map();
  const fold = (k: string) => (opts.caseSensitive ? k : k.toLowerCase());
  let section: Map<string, string | null> | undefined;
  let key: string | undefined;
  let lines: string[] | undefined; // the value being read, line by line
  let indent = 0;
  const finish = () => {
    if (section && key !== undefined && lines) section.set(key, lines.join('\n').trimEnd());
    key = undefined;
    lines = undefined;
  };
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const n = i + 1;
    const stripped = raw.trim();
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
      // blank lines belong to a value being read; comments are skipped
      if (stripped === '' && lines) lines.push('');
      continue;
    }
    const lead = raw.length - raw.trimStart().length;
    if (lines && key !== undefined && lead > indent) {
      lines.push(stripped);
      continue;
    }
    finish();
    indent = lead;
    const header = /^\[(.+)\]/.exec(stripped);
    if (header) {
      if (out.has(header[1])) throw new Error(`section "${header[1]}" appears twice (line ${n})`);
      section = new Map();
      out.set(header[1], section);
      continue;
    }
    if (!section) throw new Error(`line ${n} comes before any [section] header: ${JSON.stringify(raw)}`);
    const option = /^(.*?)\s*([=:])\s*(.*)$/.exec(stripped);
    const name = fold((option ? option[1] : stripped).trimEnd());
    if (section.has(name)) throw new Error(`option "${name}" appears twice in section (line ${n})`);
    if (!option) {
      if (!opts.allowNoValue) throw new Error(`line ${n} is neither "key = value" nor a [section]: ${JSON.stringify(raw)}`);
      section.set(name, null);
      continue;
    }
    key = name;
    lines = [option[3]];
    section.set(name, '');
  }
  finish();
  return out;
}

// ConfigParser's BasicInterpolation: %(name)s from the same section, %% for a percent sign
function interpolate(value: string, section: Map<string, string | null>, fold: (k: string) => string, depth = 0): string {
  if (depth > 10) throw new Error(`interpolation of ${JSON.stringify(value)} goes deeper than 10 levels`);
  return value.replace(/%(%|\(([^)]*)\)s|.?)/gs, (m, what: string, name: string | undefined) => {
    if (what === '%') return '%';
    if (name === undefined) throw new Error(`'%' must be followed by '%' or '(' in ${JSON.stringify(value)}, found ${JSON.stringify(m)}`);
    const ref = section.get(fold(name));
    if (ref === undefined || ref === null) throw new Error(`${JSON.stringify(value)} refers to "${name}", which the section does not define`);
    return interpolate(ref, section, fold, depth + 1);
  });
}

// `KEY type=properties file=x.ini` -> the key and the options written inline (values may hold spaces)
function inlineTerm(term: string, ctx: LookupCtx): { key: string; options: Record<string, string> } {
  let current = 'key';
  const params = new Map<string, string>();
  for (const [i, word] of term
    .split(/\s+/)
    .filter((w) => w !== '')
    .entries()) {
    if (word.includes('=')) current = OPTIONS.find((k) => word.includes(`${k}=`)) ?? current;
    const prev = params.get(current);
    params.set(current, i === 0 || !prev ? word : `${prev} ${word}`);
  }
  const options: Record<string, string> = {};
  let key: string | undefined;
  for (const value of params.values()) {
    const eq = value.indexOf('=');
    if (eq < 0) {
      key ??= value;
      continue;
    }
    const name = value.slice(0, eq);
    if (!OPTIONS.includes(name) || value.indexOf('=', eq + 1) >= 0)
      ctx.fail(`${name} is not a valid option (in ${JSON.stringify(term)})`, `ini takes: ${OPTIONS.join(', ')}`);
    options[name] = value.slice(eq + 1);
  }
  if (key === undefined) return ctx.fail(`no key to look up in ${JSON.stringify(term)}`, "write the key first: lookup('ini', 'user section=db file=app.ini')");
  return { key, options };
}

const ini: Lookup = {
  options: OPTIONS,
  io: true,
  run(terms, options, ctx) {
    const io = ctx.io ?? ctx.fail("needs the controller's files, which are not available here", 'use it in a task run by muster play');
    // like Ansible, options written inline in one term stay set for the terms after it
    const o: Record<string, unknown> = {
      type: 'ini',
      file: 'ansible.ini',
      section: 'global',
      re: false,
      encoding: 'utf-8',
      default: '',
      case_sensitive: false,
      allow_no_value: false,
      ...options,
    };
    const out: unknown[] = [];
    for (const t of terms) {
      if (typeof t !== 'string') return ctx.fail(`expects text keys, got ${typeName(t)}`);
      let key = t;
      if (t.includes('=') || t.trim().includes(' ')) {
        const parsed = inlineTerm(t, ctx);
        key = parsed.key;
        Object.assign(o, parsed.options);
      }
      const file = String(o.file);
      const enc = String(o.encoding).toLowerCase().replace(/_/g, '-');
      if (!['utf-8', 'utf8', 'ascii', 'latin-1', 'latin1', 'iso-8859-1'].includes(enc))
        ctx.fail(`the encoding "${o.encoding}" is not supported`, 'muster reads utf-8, ascii and latin-1');
      const found = findFile(io, file, 'files');
      const text = found === undefined ? undefined : io.readText(found);
      if (text === undefined) return ctx.fail(`could not find the file "${file}"`, `looked in: ${candidates(io, file, 'files').join(', ')}`);
      const properties = o.type === 'properties';
      if (!properties && o.type !== 'ini') ctx.fail(`type must be ini or properties, got ${JSON.stringify(o.type)}`);
      // as in Ansible, these two shape the parser made before the terms: inline ones change nothing
      const caseSensitive = toBool(options.case_sensitive);
      const fold = (k: string) => (caseSensitive ? k : k.toLowerCase());
      let parsed: Ini;
      try {
        parsed = parseIni(properties ? `[java_properties]\n${text}` : text, {
          caseSensitive,
          allowNoValue: toBool(options.allow_no_value) || toBool(options.allow_none),
        });
      } catch (e) {
        return ctx.fail(`cannot read "${file}": ${(e as Error).message}`);
      }
      const sectionName = properties ? 'java_properties' : String(o.section);
      const section = parsed.get(sectionName);
      if (!section) return ctx.fail(`no section "${sectionName}" in ${file}`, `its sections: ${[...parsed.keys()].join(', ') || 'none'}`);
      const value = (v: string | null) => {
        try {
          return v === null ? null : interpolate(v, section, fold);
        } catch (e) {
          return ctx.fail(`in ${file}: ${(e as Error).message}`, 'write %% for a literal percent sign');
        }
      };
      if (toBool(o.re)) {
        let re: RegExp;
        try {
          re = pyRegex(key, '', true);
        } catch (e) {
          return ctx.fail((e as Error).message, 're=true reads the key as a Python regular expression');
        }
        for (const [k, v] of section) if (re.test(k)) out.push(value(v));
        continue;
      }
      const v = section.has(fold(key)) ? value(section.get(fold(key)) ?? null) : o.default;
      if (v !== null && v !== undefined) out.push(v);
    }
    return out;
  },
};

/** The ini lookup, by name. */
export const iniLookups: Record<string, Lookup> = { ini };

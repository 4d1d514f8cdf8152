/**
 * ansible_local: the custom facts in /etc/ansible/facts.d/*.fact, as Ansible reads them. An executable file is
 * run and its output used, any other is read; the text is JSON, else INI (sections of lower-cased options).
 */
import type { Vars } from '../modules/types.js';

/** The INI reading of Python's ConfigParser for the simple files people write; undefined when it is no INI. */
export function parseIni(text: string): Vars | undefined {
  const sections = new Map<string, Map<string, string>>();
  const defaults = new Map<string, string>();
  let current: Map<string, string> | undefined;
  let last: { map: Map<string, string>; key: string } | undefined;
  for (const raw of text.split('\n')) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    if (/^\s/.test(raw) && last) {
      last.map.set(last.key, `${last.map.get(last.key)}\n${raw.trim()}`);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      current = header[1] === 'DEFAULT' ? defaults : (sections.get(header[1]) ?? new Map());
      if (header[1] !== 'DEFAULT') sections.set(header[1], current);
      last = undefined;
      continue;
    }
    const option = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw.trim());
    if (!current || !option) return undefined;
    const key = option[1].toLowerCase();
    current.set(key, option[2]);
    last = { map: current, key };
  }
  const out: Vars = {};
  for (const [name, options] of sections) out[name] = Object.fromEntries([...defaults, ...options]);
  return out;
}

/** One fact file's value: parsed JSON, INI sections, or Ansible's message saying why not. */
function factValue(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseIni(text) ?? `error loading facts as JSON or ini - please check content: ${path}`;
  }
}

/** The `local` section: "@@fact NAME RC" lines (RC '-' for a file read, not run), each followed by its text. */
export function localFacts(text: string): Vars {
  const local: Vars = {};
  const parts = text.split(/^@@fact /m).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const [file, rc] = (nl < 0 ? part : part.slice(0, nl)).trim().split(' ');
    const body = nl < 0 ? '' : part.slice(nl + 1);
    const path = `/etc/ansible/facts.d/${file}`;
    const name = file.replace(/\.fact/g, '');
    if (rc !== '-' && rc !== '0') local[name] = `Failure executing fact script (${path}), rc: ${rc}, err: `;
    else local[name] = factValue(path, body);
  }
  return { local };
}

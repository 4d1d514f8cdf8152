/**
 * `locale_gen`: locales generated (or removed) on Debian: their line in /etc/locale.gen is turned on (taken
 * from /usr/share/i18n/SUPPORTED when the file lacks it) or commented out here, then `locale-gen` rebuilds.
 */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { fileSection, fileText, linesOf, textOf } from './config-files.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words } from './probe.js';
import { replaceFile } from './replace.js';

const LOCALE_GEN = '/etc/locale.gen';
const SUPPORTED = '/usr/share/i18n/SUPPORTED';

const args: ArgSpecs = {
  name: { type: 'list', elements: 'str', required: true },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
};

/** What the probe found. */
export interface LocaleState {
  missing: string[];
  /** `locale -a` */
  available: string[];
  /** /etc/locale.gen; undefined when missing */
  gen?: string;
  /** SUPPORTED's lines for the asked names (`name charset`) */
  supported: string[];
}

/** How `locale -a` spells a locale: the codeset lower case without dashes (en_US.UTF-8 -> en_US.utf8). */
export function normalLocale(name: string): string {
  const dot = name.indexOf('.');
  if (dot < 0) return name;
  const at = name.indexOf('@', dot);
  const codeset = name.slice(dot + 1, at < 0 ? undefined : at);
  return `${name.slice(0, dot)}.${codeset.toLowerCase().replace(/-/g, '')}${at < 0 ? '' : name.slice(at)}`;
}

const names = (a: Args) => (Array.isArray(a.name) ? a.name : [a.name]).map((n) => String(n ?? '').trim()).filter(Boolean);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The probe: locale-gen's presence, the generated locales, locale.gen, and SUPPORTED's lines for the names. */
export function probeLocale(a: Args): Script {
  const patterns = names(a).flatMap((n) => ['-e', `^${escapeRe(n)} `]);
  return withSbin(
    section('tools', missingTools(['locale-gen'])),
    section('available', sh`locale -a 2>/dev/null`),
    fileSection('gen', LOCALE_GEN),
    section('supported', sh`grep -E ${patterns} ${SUPPORTED} 2>/dev/null; :`),
  );
}

/** Pure: probe output -> state. */
export function parseLocale(stdout: string): LocaleState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return {
    missing: words(s.get('tools')),
    available: words(s.get('available')),
    gen: fileText(s.get('gen'), LOCALE_GEN),
    supported: linesOf(s.get('supported')?.text ?? ''),
  };
}

/** A locale.gen line for `name` (`name charset`), live or commented; its charset. */
function lineFor(line: string, name: string): { live: boolean; charset: string } | undefined {
  const m = /^(#?)\s*(\S+)\s+(\S+)\s*$/.exec(line);
  return m && m[2] === name ? { live: m[1] === '', charset: m[3] } : undefined;
}

/** Pure: locale.gen with `name` turned on (or off); undefined when the file has no line for it and none is given. */
export function setLocaleLine(text: string, name: string, on: boolean, supported?: string): string | undefined {
  let found = false;
  const out = linesOf(text).map((l) => {
    const f = lineFor(l, name);
    if (!f) return l;
    found = true;
    if (f.live === on) return l;
    return on ? `${name} ${f.charset}` : `# ${name} ${f.charset}`;
  });
  if (found) return textOf(out);
  if (!on) return text;
  return supported === undefined ? undefined : textOf([...out, supported]);
}

/** Pure: what to do. */
export function planLocale(a: Args, s: LocaleState): Plan {
  const on = a.state !== 'absent';
  const wanted = names(a);
  const data = { name: wanted, state: a.state };
  const have = new Set(s.available.map(normalLocale));
  let after = s.gen ?? '';
  for (const n of wanted) {
    const next = setLocaleLine(
      after,
      n,
      on,
      s.supported.find((l) => l.split(/\s+/)[0] === n),
    );
    if (next === undefined) return { kind: 'fail', msg: `locale ${n} is not supported: it is neither in ${LOCALE_GEN} nor in ${SUPPORTED}` };
    after = next;
  }
  const edited = after !== (s.gen ?? '');
  const regen = wanted.some((n) => have.has(normalLocale(n)) !== on);
  if (!edited && !regen) return { kind: 'noop', reason: `${wanted.join(', ')} ${on ? 'already generated' : 'not generated'}`, data };
  if (s.missing.includes('locale-gen')) return { kind: 'fail', msg: 'locale-gen not found on the host (Debian: the "locales" package)' };
  const steps: Step[] = [];
  if (edited) steps.push({ exec: replaceFile(LOCALE_GEN, '0644'), stdin: after });
  steps.push({ exec: withSbin(cmd('locale-gen')) });
  return { kind: 'change', steps, diff: edited ? [{ path: LOCALE_GEN, before: s.gen ?? '', after }] : undefined, data };
}

const localePlanned: PlannedModule<LocaleState> = {
  name: 'locale_gen',
  args,
  checkMode: true,
  probe: probeLocale,
  parse: (out) => parseLocale(out.stdout),
  plan: planLocale,
};

/** The `locale_gen` module. */
export const localeGen = planned(localePlanned);

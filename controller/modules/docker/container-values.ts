/**
 * docker_container's argument values in the forms Docker stores them: commands split into words, env
 * files read, port, mount and device specs, durations in nanoseconds, healthchecks. Pure.
 */
import type { Args } from '../types.js';
import { strMap } from './cli.js';

type Obj = Record<string, unknown>;

/** A container's (or an image's) Config. */
export const cfg = (c: Obj) => (c.Config ?? {}) as Obj;
/** A list's items as text; anything else is no items. */
export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** What the wanted side needs besides the arguments: the image's config and the env file's text. */
export interface Context {
  image?: Obj;
  envFile?: string;
}

/** Splits a command string the way a POSIX shell splits words (quotes and backslashes), without expansions. */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let any = false;
  let q: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q === "'") {
      if (ch === "'") q = undefined;
      else cur += ch;
    } else if (q === '"') {
      if (ch === '"') q = undefined;
      else if (ch === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      q = ch;
      any = true;
    } else if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
      any = true;
    } else if (/\s/.test(ch)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += ch;
  }
  if (cur || any) out.push(cur);
  return out;
}

/** The command as a list: a string is split into words, a list is taken as it is. */
export function commandList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String) : shellWords(String(v));
}

/** KEY=VALUE lines of an env file (comments and blank lines skipped, as docker --env-file reads them). */
export function envFileVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Env list (KEY=VALUE) as a map. */
/** KEY=value lines (a list) as a map. */
export function envMap(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of strs(list)) {
    const i = e.indexOf('=');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

/** The environment the container should have: the image's, then the env file's, then `env`. */
export function wantedEnv(a: Args, ctx: Context): Record<string, string> {
  return { ...envMap(cfg(ctx.image ?? {}).Env), ...(ctx.envFile !== undefined ? envFileVars(ctx.envFile) : {}), ...strMap(a.env) };
}

/** Published ports as `ip:hostPort:containerPort/proto` (ranges expanded; no host port: empty). */
export function portSpecs(list: unknown): string[] {
  const out: string[] = [];
  for (const p of strs(list)) {
    const [spec, proto = 'tcp'] = p.split('/');
    const parts = spec.split(':');
    const container = parts.pop() as string;
    const hostPort = parts.pop() ?? '';
    const ip = parts.join(':').replace(/^\[|\]$/g, '');
    const cs = range(container);
    const hs = hostPort ? range(hostPort) : cs.map(() => '');
    cs.forEach((c, i) => {
      out.push(`${ip}:${hs[i] ?? hs[0]}:${c}/${proto}`);
    });
  }
  return out;
}

function range(s: string): string[] {
  const m = /^(\d+)-(\d+)$/.exec(s);
  if (!m) return [s];
  const out: string[] = [];
  for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(String(i));
  return out;
}

/** A bind or volume entry without the default `rw` mode. */
/** A bind mount as Docker lists it. */
export function bind(v: string): string {
  const parts = v.split(':');
  if (parts.length === 3) {
    const modes = parts[2].split(',').filter((m) => m !== 'rw');
    return modes.length ? `${parts[0]}:${parts[1]}:${modes.sort().join(',')}` : `${parts[0]}:${parts[1]}`;
  }
  return v;
}

/** A --mount dict as `type:source:target[:ro]`. */
export function mountSpec(m: Obj): string {
  const ro = m.read_only === true || m.ReadOnly === true;
  return `${String(m.type ?? m.Type ?? 'volume')}:${String(m.source ?? m.Source ?? '')}:${String(m.target ?? m.Target ?? '')}${ro ? ':ro' : ''}`;
}

/** A device as `host:container:permissions`, filled in as Docker fills it. */
export function deviceSpec(d: string): string {
  const [h, c, p] = d.split(':');
  return `${h}:${c || h}:${p || 'rwm'}`;
}

/** A capability as Docker lists it: upper case, without CAP_. */
export const cap = (c: string) => c.toUpperCase().replace(/^CAP_/, '');

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go-style duration ("1m30s", "500ms", "10") in nanoseconds; a bare number is seconds. */
export function durationNs(v: unknown): number | undefined {
  if (typeof v === 'number') return v * 1e9;
  if (typeof v !== 'string') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1e9;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g;
  let m: RegExpExecArray | null;
  let seen = '';
  while ((m = re.exec(v))) {
    total += Number(m[1]) * UNIT_NS[m[2]];
    seen += m[0];
  }
  return seen === v.replace(/\s/g, '') && seen ? Math.round(total) : undefined;
}

/** The healthcheck test as the CLI stores it: a string, or a CMD list joined, runs in a shell (CMD-SHELL). */
export function healthTest(t: unknown): string[] {
  if (!Array.isArray(t)) return ['CMD-SHELL', String(t)];
  const list = t.map(String);
  return list[0] === 'CMD' ? ['CMD-SHELL', list.slice(1).join(' ')] : list;
}

/** A healthcheck's settings as comparable text, from the arguments or from `docker container inspect`. */
export function healthDict(h: Obj, fromArgs: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const keys: [string, string, boolean][] = [
    ['test', 'Test', false],
    ['interval', 'Interval', true],
    ['timeout', 'Timeout', true],
    ['retries', 'Retries', false],
    ['start_period', 'StartPeriod', true],
  ];
  for (const [arg, key, duration] of keys) {
    const v = fromArgs ? h[arg] : h[key];
    if (v === undefined || v === null) continue;
    if (arg === 'test') out.test = JSON.stringify(fromArgs ? healthTest(v) : v);
    else out[arg] = String(fromArgs && duration ? durationNs(v) : v);
  }
  return out;
}

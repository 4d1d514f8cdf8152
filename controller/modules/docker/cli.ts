/**
 * What the Docker modules share: the probe sections that read `docker ... inspect` (JSON), the message when
 * the docker CLI is missing, and small parsers (JSON lines, sizes, key=value lists) for what it prints.
 */
import { sh, type Script } from '../../command.js';
import { type Section, section, sectionsOf, withSbin } from '../system/probe.js';
import type { ExecResult } from '../../transport/types.js';
import { apply, planned } from '../planned.js';
import type { Args, Module, PlannedModule } from '../types.js';

export { section, sectionsOf, withSbin };

/** The probe section saying whether the docker CLI is there (its text is "yes"). */
export function dockerSection(): Script {
  return section('docker', sh`command -v docker >/dev/null 2>&1 && echo yes`);
}

/** Why a Docker module cannot run: no docker CLI on the host. */
export const NO_DOCKER = 'the docker CLI is not on the host (Debian: apt-get install docker.io, and docker-cli on Debian 13); install Docker first';

/** Whether the probe found the docker CLI. */
export function hasDocker(s: Map<string, Section>): boolean {
  return s.get('docker')?.text.trim() === 'yes';
}

/** `docker KIND inspect NAME` as a section: rc 0 and a JSON array when the object exists. */
export function inspectSection(name: string, kind: 'volume' | 'network' | 'image' | 'container', ref: string): Script {
  return section(name, sh`docker ${kind} inspect ${ref} 2>/dev/null`);
}

/** The first object of an inspect section, or undefined when it does not exist. */
export function inspected(s: Section | undefined): Record<string, unknown> | undefined {
  if (s?.rc !== 0) return undefined;
  const list = parseJson(s.text);
  return Array.isArray(list) && list[0] && typeof list[0] === 'object' ? (list[0] as Record<string, unknown>) : undefined;
}

/** JSON text or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Objects from a JSON array or from one JSON object per line (docker and compose print either, by version). */
export function jsonRows(text: string): Record<string, unknown>[] {
  const t = text.trim();
  if (!t) return [];
  const whole = parseJson(t);
  if (Array.isArray(whole)) return whole.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
  return t
    .split('\n')
    .map((l) => parseJson(l.trim()))
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r));
}

/** A record of strings from a mapping argument (numbers and booleans as Ansible renders them). */
export function strMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x)]));
}

/** `k=v` words for flags like --label and --opt, sorted so that commands are stable. */
export function pairs(m: Record<string, string>): string[] {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`);
}

/** The keys whose wanted value differs from the current one (keys only in `current` do not count). */
export function differingKeys(wanted: Record<string, string>, current: Record<string, unknown> | null | undefined): string[] {
  return Object.keys(wanted).filter((k) => current?.[k] !== wanted[k]);
}

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's size syntax ("512m", "1g", "1048576", "2GB") in bytes, or undefined when it is not a size. */
export function sizeBytes(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v);
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(v);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] || 'b').toLowerCase()]);
}

/** A step's output as a failure message: the last lines of stderr, else stdout. */
export function failureText(r: ExecResult): string {
  return (r.stderr.trim() || r.stdout.trim() || `exit code ${r.rc}`).split('\n').slice(-5).join('\n');
}

/**
 * A planned Docker module whose result carries the object as `docker ... inspect` shows it after the change
 * (Ansible's `volume`, `network`, `image`, `container` return values): the plan's data holds it before.
 */
export function inspecting<S>(m: PlannedModule<S>, key: string, reinspect: (args: Args) => Script | undefined): Module & { planned: PlannedModule<S> } {
  const base = planned(m);
  return {
    ...base,
    async run(args, ctx) {
      const decision = m.plan(args, m.parse(await ctx.exec(m.probe(args)), args));
      const r = await apply(decision, ctx);
      const again = reinspect(args);
      if (decision.kind !== 'change' || ctx.check || r.failed || !again) return r;
      const out = await ctx.exec(again);
      const data = { ...r.data };
      for (const k of ['rc', 'stdout', 'stderr']) delete data[k];
      return { ...r, data: { ...data, [key]: inspected({ text: out.stdout, rc: out.rc }) ?? {} } };
    },
  };
}

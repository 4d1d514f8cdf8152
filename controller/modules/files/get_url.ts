/**
 * get_url: downloads a URL ON THE HOST (curl, else wget, else busybox wget) into dest. An existing dest
 * whose checksum matches (or any existing dest when force is false and no checksum is given) is left alone;
 * otherwise the download goes to a temp file, is verified, and replaces dest only if its bytes differ.
 */
import { join, raw, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { apply } from '../planned.js';
import type { ArgSpecs, Args, Module, ModuleResult, Plan } from '../types.js';
import { finalAttrs, planAttrs, wantAttrs } from './attrs.js';
import { known } from './checks.js';
import { formatMode } from './mode.js';
import {
  contextLines,
  digestLine,
  first,
  parseContext,
  parseStat,
  pathVar,
  probeFailure,
  probeLines,
  statLine,
  type FileStat,
  type HostContext,
} from './probe.js';
import { mktempBeside, putAttrs } from './writes.js';

const args: ArgSpecs = {
  url: { type: 'str', required: true },
  dest: { type: 'path', required: true },
  checksum: { type: 'str', default: '' },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
  force: { type: 'bool', default: false },
  timeout: { type: 'int', default: 10 },
  validate_certs: { type: 'bool', default: true },
  headers: { type: 'dict' },
};

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
type Algo = (typeof ALGOS)[number];

/** A parsed `algo:hex` checksum argument. */
export interface Checksum {
  algo: Algo;
  hex: string;
}

/** Parses `sha256:HEX` (any of md5/sha1/sha224/sha256/sha384/sha512); undefined for ''. Throws a message string on bad input. */
export function parseChecksum(text: string): Checksum | undefined | string {
  if (!text) return undefined;
  const m = /^([a-z0-9]+):([0-9a-fA-F]+)$/.exec(text.trim());
  if (!m) return `checksum must be ALGORITHM:HEX, e.g. sha256:3b0c...; got "${text}"`;
  if (!ALGOS.includes(m[1] as Algo)) return `unsupported checksum algorithm ${m[1]} (use one of ${ALGOS.join(', ')})`;
  return { algo: m[1] as Algo, hex: m[2].toLowerCase() };
}

/** The file name a URL gives when dest is a directory. */
export function urlFileName(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/^[a-z]+:\/\/[^/]*/i, '');
  const name = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  return name || 'index.html';
}

/** What the get_url probe found. */
export interface GetUrlState {
  error?: string;
  path: string;
  stat?: FileStat;
  digest?: string;
  host: HostContext;
}

/** The probe: which file dest means (dest/NAME for a directory), its stat and checksum. */
export function getUrlProbe(a: Args): Script {
  const dest = String(a.dest);
  const sum = parseChecksum(String(a.checksum ?? ''));
  const p = pathVar('p');
  const parts = [
    sh`if [ -d ${dest} ]; then p=${dest.replace(/\/+$/, '') + '/' + urlFileName(String(a.url))}; else p=${dest}; fi; printf 'path %s\\n' "$p"`,
    statLine('stat', p, true),
    contextLines(),
  ];
  if (sum && typeof sum === 'object') parts.push(digestLine('digest', p, sum.algo));
  return join(parts);
}

/** Parses getUrlProbe's output. */
export function parseGetUrl(out: ExecResult, a: Args): GetUrlState {
  const lines = probeLines(out.stdout);
  return {
    error: probeFailure(out),
    path: first(lines, 'path') ?? String(a.dest),
    stat: parseStat(first(lines, 'stat')),
    digest: first(lines, 'digest'),
    host: parseContext(lines),
  };
}

/** Pure: keep dest (maybe fixing attributes), or download. */
export function planGetUrl(a: Args, s: GetUrlState): Plan {
  if (s.error) return { kind: 'fail', msg: s.error };
  const sum = parseChecksum(String(a.checksum ?? ''));
  if (typeof sum === 'string') return { kind: 'fail', msg: sum };
  const url = String(a.url);
  const want = wantAttrs(a);
  const data: Record<string, unknown> = { url, dest: s.path, state: 'file' };
  if (s.stat?.kind === 'directory') return { kind: 'fail', msg: `${s.path} is a directory`, data };
  // as Ansible: force downloads every time; otherwise an existing dest stays unless its checksum is wrong
  const keep = s.stat && a.force !== true && (sum ? s.digest === sum.hex : true);
  if (keep && s.stat) {
    const attrs = planAttrs(s.path, want, s.stat, { umask: s.host.umask });
    Object.assign(data, finalAttrs(s.stat, want, attrs.after.mode ? parseInt(attrs.after.mode, 8) : s.stat.mode), { size: s.stat.size });
    const reason = sum ? 'file already exists and its checksum matches' : 'file already exists (force is false)';
    if (attrs.scripts.length === 0) return { kind: 'noop', reason, data };
    return { kind: 'change', steps: attrs.scripts.map((exec) => ({ exec })), data, msg: 'ownership, perms or SE linux context changed' };
  }
  const attrs = putAttrs(want, s.stat, s.host);
  const alreadyOk = s.stat ? planAttrs(s.path, want, s.stat, { umask: s.host.umask }).scripts : [];
  Object.assign(data, finalAttrs(s.stat, want, attrs.mode));
  const script = downloadScript({
    url,
    dest: s.path,
    checksum: sum,
    timeout: Number(a.timeout ?? 10),
    insecure: a.validate_certs === false,
    headers: headerList(a.headers),
    ...attrs,
    attrFix: alreadyOk,
  });
  return { kind: 'change', steps: [{ exec: script, capture: true }], data };
}

function headerList(h: unknown): string[] {
  if (!h || typeof h !== 'object') return [];
  return Object.entries(h as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`);
}

/** What downloadScript needs. */
export interface Download {
  url: string;
  dest: string;
  checksum?: Checksum;
  timeout: number;
  insecure: boolean;
  headers: string[];
  mode: number;
  owner?: string;
  group?: string;
  /** attribute commands for dest when the download turns out identical */
  attrFix: Script[];
}

/**
 * One script: fetch into a temp file with the first tool present, verify, then either drop it (same bytes:
 * prints `unchanged`, fixing attributes) or move it over dest (prints `changed`).
 */
export function downloadScript(d: Download): Script {
  const t = Math.max(1, Math.floor(d.timeout));
  // curl: --speed-time/--speed-limit make `timeout` a stall timeout like wget's -T, not a cap on the whole transfer
  const curl = ['-fsSL', d.insecure ? '-k' : undefined, '--connect-timeout', t, '--speed-time', t, '--speed-limit', 1, ...d.headers.flatMap((h) => ['-H', h])];
  const wget = ['-q', d.insecure ? '--no-check-certificate' : undefined, '-T', t, ...d.headers.map((h) => `--header=${h}`)];
  const owner = d.owner && d.group ? `${d.owner}:${d.group}` : d.owner;
  const lines = [
    mktempBeside(d.dest),
    sh`d=${d.dest}`,
    sh`trap 'rm -f "$t"' EXIT`,
    sh`if command -v curl >/dev/null 2>&1; then curl ${curl} -o "$t" ${d.url} || exit 1`,
    sh`elif command -v wget >/dev/null 2>&1; then wget ${wget} -O "$t" ${d.url} || exit 1`,
    sh`elif command -v busybox >/dev/null 2>&1; then busybox wget ${wget} -O "$t" ${d.url} || exit 1`,
    sh`else echo 'get_url needs curl or wget on the host' >&2; exit 127; fi`,
  ];
  if (d.checksum) {
    const tool = raw(`${d.checksum.algo}sum`);
    lines.push(
      sh`got=$(${tool} < "$t" | cut -d' ' -f1); if [ "$got" != ${d.checksum.hex} ]; then echo "The checksum for $d did not match ${raw(d.checksum.hex)}; it was $got." >&2; exit 1; fi`,
    );
  }
  const fix = d.attrFix.length ? join(d.attrFix, ' && ') : sh`:`;
  lines.push(
    sh`if [ -f "$d" ] && [ "$(sha256sum < "$t")" = "$(sha256sum < "$d")" ]; then ${fix} || exit 1; echo ${d.attrFix.length ? 'attributes' : 'unchanged'}; exit 0; fi`,
    sh`chmod ${formatMode(d.mode)} "$t" || exit 1`,
  );
  if (owner) lines.push(sh`chown ${owner} "$t" || exit 1`);
  else if (d.group) lines.push(sh`chgrp ${d.group} "$t" || exit 1`);
  lines.push(sh`mv -f "$t" "$d" || exit 1`, sh`printf 'changed %s\\n' "$(wc -c < "$d")"`);
  return join(lines);
}

/** Reads the download script's verdict: changed (with size), only attributes fixed, or unchanged. */
export function downloadOutcome(stdout: string): { changed: boolean; size?: number; msg: string } {
  const last = stdout.trim().split('\n').pop() ?? '';
  if (last.startsWith('changed')) {
    const size = Number(last.split(/\s+/)[1]);
    return { changed: true, size: Number.isFinite(size) ? size : undefined, msg: Number.isFinite(size) ? `OK (${size} bytes)` : 'OK' };
  }
  if (last === 'attributes') return { changed: true, msg: 'file already up to date; ownership, perms or SE linux context changed' };
  return { changed: false, msg: 'file already up to date' };
}

/** The get_url module. */
export const get_url: Module = {
  name: 'get_url',
  args,
  checkMode: true,
  validate(a) {
    const sum = known(a, args, 'checksum');
    const parsed = sum === undefined ? undefined : parseChecksum(sum);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  async run(a, ctx): Promise<ModuleResult> {
    const plan = planGetUrl(a, parseGetUrl(await ctx.exec(getUrlProbe(a)), a));
    const result = await apply(plan, ctx);
    if (plan.kind !== 'change' || ctx.check || result.failed || !plan.steps.some((s) => 'exec' in s && s.capture)) return result;
    const out = downloadOutcome(String(result.data?.stdout ?? ''));
    const { stdout: _out, stderr: _err, ...rest } = result.data ?? {};
    const data = { ...rest, ...(out.size !== undefined ? { size: out.size } : {}) };
    return { ...result, changed: out.changed, msg: out.msg, data };
  },
};

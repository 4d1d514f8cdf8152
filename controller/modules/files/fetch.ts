/**
 * fetch: a file from the host to the controller, under dest/<inventory_hostname>/<src> (or dest itself with
 * flat). Changed only when the local copy differs (sha256 compared on both sides).
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import type { ArgSpecs, Args, Module, ModuleContext, ModuleResult } from '../types.js';
import { digests } from './copy.js';
import { digestLine, first, parseStat, probeFailure, probeLines, statLine, type FileStat } from './probe.js';

const args: ArgSpecs = {
  src: { type: 'str', required: true },
  dest: { type: 'str', required: true },
  flat: { type: 'bool', default: false },
  fail_on_missing: { type: 'bool', default: true },
  validate_checksum: { type: 'bool', default: true },
};

/** The remote side, as probed. */
export interface FetchState {
  error?: string;
  stat?: FileStat;
  sha256?: string;
  readable: boolean;
}

/** What fetch decided. */
export type FetchDecision = { kind: 'noop'; reason: string } | { kind: 'fetch' } | { kind: 'fail'; msg: string } | { kind: 'skip'; msg: string };

/** The probe: the remote file's stat and sha256. */
export function fetchProbe(a: Args): Script {
  const src = String(a.src);
  return join([statLine('stat', src, true), digestLine('sha256', src, 'sha256'), sh`if [ -r ${src} ]; then echo 'readable 1'; fi`]);
}

/** Parses fetchProbe's output. */
export function parseFetch(out: ExecResult): FetchState {
  const lines = probeLines(out.stdout);
  return { error: probeFailure(out), stat: parseStat(first(lines, 'stat')), sha256: first(lines, 'sha256'), readable: lines.has('readable') };
}

/**
 * The controller-side path: relative dests are taken from the playbook's directory, `~/` from home;
 * without flat the file lands in dest/HOST/SRC.
 */
export function fetchDest(src: string, dest: string, host: string, flat: boolean, baseDir: string, home: string): string {
  const expanded = dest === '~' || dest.startsWith('~/') ? home + dest.slice(1) : dest;
  const abs = posix.isAbsolute(expanded) ? expanded : posix.join(baseDir, expanded);
  if (flat) return expanded.endsWith('/') ? posix.join(abs, posix.basename(src)) : posix.normalize(abs);
  return posix.join(abs, host, src.replace(/^\/+/, ''));
}

/** Pure: what to do given the remote state and the local copy's sha256 (undefined when absent). */
export function decideFetch(a: Args, s: FetchState, localSha256: string | undefined): FetchDecision {
  if (s.error) return { kind: 'fail', msg: s.error };
  const missing = !s.stat
    ? 'the remote file does not exist'
    : s.stat.kind === 'directory'
      ? 'remote file is a directory, fetch cannot work on directories'
      : !s.readable
        ? 'file is not readable'
        : undefined;
  if (missing) return a.fail_on_missing === false ? { kind: 'skip', msg: `${missing}, not transferring, ignored` } : { kind: 'fail', msg: missing };
  if (localSha256 !== undefined && localSha256 === s.sha256) return { kind: 'noop', reason: 'local copy already up to date' };
  return { kind: 'fetch' };
}

async function localSha256(ctx: ModuleContext, path: string): Promise<string | undefined> {
  try {
    const f = await ctx.files.read(path, 'files');
    return createHash('sha256').update(f.content).digest('hex');
  } catch {
    return undefined; // no local copy yet
  }
}

/** The fetch module. */
export const fetch: Module = {
  name: 'fetch',
  args,
  checkMode: true,
  async run(a, ctx): Promise<ModuleResult> {
    const src = String(a.src);
    const baseDir = typeof ctx.vars.playbook_dir === 'string' ? ctx.vars.playbook_dir : process.cwd();
    const host = typeof ctx.vars.inventory_hostname === 'string' ? ctx.vars.inventory_hostname : ctx.host;
    const dest = fetchDest(src, String(a.dest), host, a.flat === true, baseDir, process.env.HOME ?? '/');
    const state = parseFetch(await ctx.exec(fetchProbe(a)));
    const decision = decideFetch(a, state, await localSha256(ctx, dest));
    const data: Record<string, unknown> = { src, dest, file: src };
    if (decision.kind === 'fail') return { changed: false, failed: true, msg: decision.msg, data };
    if (decision.kind === 'skip') return { changed: false, msg: decision.msg, data };
    if (decision.kind === 'noop') return { changed: false, msg: decision.reason, data: { ...data, remote_sha256: state.sha256 } };
    if (ctx.check) return { changed: true, data };
    const content = await ctx.get(src);
    const sums = digests(content);
    if (a.validate_checksum !== false && state.sha256 !== undefined && sums.sha256 !== state.sha256)
      return { changed: false, failed: true, msg: 'checksum mismatch: the file changed on the host while it was fetched', data };
    await ctx.files.write(dest, content);
    return { changed: true, data: { ...data, checksum: sums.sha1, remote_checksum: sums.sha1, remote_sha256: state.sha256, size: content.length } };
  },
};

/**
 * unarchive: a tar archive (plain, gz, bz2, xz, zst) unpacked into an existing directory with the host's tar.
 * A controller-side src is uploaded to a temp directory first (also in check mode, to compare).
 * Idempotence: `creates` when given; otherwise GNU `tar --diff` against dest (content, size, mtime, type,
 * and mode/ownership when extraction could have restored them), or, with a non-GNU tar, whether every
 * member exists. mode/owner/group apply to every extracted member.
 */
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { apply } from '../planned.js';
import type { ArgSpecs, Args, Module, ModuleContext, ModuleResult, Plan, Step } from '../types.js';
import { sameId, wantAttrs, type WantAttrs } from './attrs.js';
import { baseName } from './copy.js';
import { parseTreeEntry, type TreeEntry } from './file.js';
import { formatMode, octalMode, resolveMode } from './mode.js';
import { contextLines, first, parseContext, parseStat, probeFailure, probeLines, statLine, type FileStat, type HostContext } from './probe.js';

const args: ArgSpecs = {
  src: { type: 'path', required: true },
  dest: { type: 'path', required: true },
  // default false; copy is its old, inverted spelling (copy: no means remote_src: yes)
  remote_src: { type: 'bool' },
  copy: { type: 'bool' },
  creates: { type: 'path' },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
  extra_opts: { type: 'list', elements: 'str', default: [] },
  exclude: { type: 'list', elements: 'str', default: [] },
  list_files: { type: 'bool', default: false },
};

/** Whether src is on the host already: remote_src, or the deprecated copy inverted (default: no). */
export function remoteSrc(a: Args): boolean {
  if (a.remote_src !== undefined) return a.remote_src === true;
  return a.copy === false;
}

/** tar's flag for the archive's compression, from its name; an error message for formats tar cannot read. */
export function compressionFlag(name: string): string | undefined | { error: string } {
  const n = name.toLowerCase();
  if (/\.(tar\.gz|tgz)$/.test(n)) return '-z';
  if (/\.(tar\.bz2|tbz2?)$/.test(n)) return '-j';
  if (/\.(tar\.xz|txz)$/.test(n)) return '-J';
  if (/\.(tar\.zst|tzst)$/.test(n)) return '--zstd';
  if (/\.(zip|jar|war|7z|rar)$/.test(n)) return { error: `${name}: only tar archives are supported (no unzip handler)` };
  return undefined; // .tar, or let tar detect it
}

/** What the first probe found. */
export interface StartState {
  error?: string;
  creates: boolean;
  dest?: FileStat;
  src?: FileStat;
  gnuTar: boolean;
  hasTar: boolean;
  tmpdir?: string;
  host: HostContext;
}

/** The first probe: `creates`, dest, a remote src, which tar, and a temp dir for an upload. */
export function unarchiveProbe(a: Args): Script {
  const creates = a.creates ? String(a.creates) : undefined;
  const parts: Script[] = [];
  if (creates) parts.push(sh`if [ -e ${creates} ]; then echo 'creates 1'; fi`);
  parts.push(statLine('dest', String(a.dest), true));
  if (remoteSrc(a)) parts.push(statLine('src', String(a.src), true));
  parts.push(sh`if command -v tar >/dev/null 2>&1; then echo 'tar 1'; fi; case "$(tar --version 2>/dev/null)" in *'GNU tar'*) echo 'gnutar 1';; esac`);
  if (!remoteSrc(a)) {
    const mk = sh`printf 'tmpdir %s\\n' "$(mktemp -d)"`;
    parts.push(creates ? sh`if [ ! -e ${creates} ]; then ${mk}; fi` : mk);
  }
  parts.push(contextLines());
  return join(parts);
}

/** Parses unarchiveProbe's output. */
export function parseStart(out: ExecResult): StartState {
  const lines = probeLines(out.stdout);
  return {
    error: probeFailure(out),
    creates: lines.has('creates'),
    dest: parseStat(first(lines, 'dest')),
    src: parseStat(first(lines, 'src')),
    gnuTar: lines.has('gnutar'),
    hasTar: lines.has('tar'),
    tmpdir: first(lines, 'tmpdir') || undefined,
    host: parseContext(lines),
  };
}

/** Pure: stop here (creates exists, bad dest or src), or go on. */
export function decideStart(a: Args, s: StartState): Plan | undefined {
  const dest = String(a.dest);
  const src = String(a.src);
  if (s.error) return { kind: 'fail', msg: s.error };
  if (s.creates) return { kind: 'noop', reason: `skipped, since ${String(a.creates)} exists`, data: { dest, src } };
  if (s.dest?.kind !== 'directory') return { kind: 'fail', msg: `dest '${dest}' must be an existing dir`, data: { dest, src } };
  if (remoteSrc(a) && !s.src) return { kind: 'fail', msg: `Source '${src}' does not exist`, data: { dest, src } };
  if (remoteSrc(a) && s.src?.kind === 'directory') return { kind: 'fail', msg: `Source '${src}' is a directory, not an archive`, data: { dest, src } };
  if (!s.hasTar) return { kind: 'fail', msg: 'unarchive needs tar on the host', data: { dest, src } };
  const flag = compressionFlag(src);
  if (typeof flag === 'object') return { kind: 'fail', msg: flag.error, data: { dest, src } };
  return undefined;
}

/** How tar is called: the archive, its compression, and the user's options. */
export interface TarCall {
  archive: string;
  dest: string;
  flag?: string;
  extra: string[];
  exclude: string[];
}

/** The tar call for these arguments and archive path. */
export function tarCall(a: Args, archive: string): TarCall {
  const flag = compressionFlag(String(a.src));
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)]);
  return {
    archive,
    dest: String(a.dest),
    flag: typeof flag === 'string' ? flag : undefined,
    extra: list(a.extra_opts),
    exclude: list(a.exclude).map((e) => `--exclude=${e}`),
  };
}

/** --strip-components=N from extra_opts (tar -t does not apply it, so listings are stripped by hand). */
export function stripCount(extra: string[]): number {
  for (const o of extra) {
    const m = /^--strip(?:-components)?=(\d+)$/.exec(o);
    if (m) return Number(m[1]);
  }
  return 0;
}

/** tar's words for one operation: -t lists, -d compares with dest, -x extracts into dest. */
function tarWords(c: TarCall, op: '-t' | '-d' | '-x'): (string | undefined)[] {
  const words = [op, '-f', c.archive, c.flag];
  if (op === '-t') return [...words, ...c.exclude];
  return [...words, '-C', c.dest, ...c.extra, ...c.exclude];
}

function listing(c: TarCall): Script {
  const n = stripCount(c.extra);
  // each member name, with the leading components --strip-components removes taken off (empty ones dropped)
  return sh`tar ${tarWords(c, '-t')} | while IFS= read -r f; do n=${n}; while [ "$n" -gt 0 ]; do case $f in */*) f=\${f#*/};; *) f=;; esac; n=$((n-1)); done; if [ -n "$f" ]; then printf '%s\\n' "$f"; fi; done`;
}

/** The compare script: member names, differences against dest, and (when asked) members' attributes. */
export function compareScript(c: TarCall, gnu: boolean, attrs: boolean): Script {
  const parts: Script[] = [
    sh`if ! tar ${['-t', '-f', c.archive, c.flag]} >/dev/null 2>&1; then echo 'bad 1'; exit 0; fi`,
    sh`${listing(c)} | while IFS= read -r f; do printf 'entry %s\\n' "$f"; done`,
  ];
  if (gnu) parts.push(sh`tar ${tarWords(c, '-d')} 2>&1 | while IFS= read -r l; do printf 'diff %s\\n' "$l"; done`);
  else
    parts.push(
      sh`${listing(c)} | while IFS= read -r f; do if [ ! -e ${c.dest}/"$f" ] && [ ! -L ${c.dest}/"$f" ]; then printf 'diff %s: missing\\n' "$f"; fi; done`,
    );
  if (attrs) parts.push(sh`${listing(c)} | while IFS= read -r f; do stat -c 'attr %f|%u|%g|%U|%G' ${c.dest}/"$f" 2>/dev/null; done | sort -u`);
  return join(parts);
}

/** What the compare script printed. */
export interface Compare {
  bad: boolean;
  entries: string[];
  diffs: string[];
  attrs: TreeEntry[];
}

/** Parses compareScript's output. */
export function parseCompare(out: ExecResult): Compare {
  const lines = probeLines(out.stdout);
  return {
    bad: lines.has('bad'),
    entries: lines.get('entry') ?? [],
    diffs: lines.get('diff') ?? [],
    attrs: (lines.get('attr') ?? []).map(parseTreeEntry).filter((e): e is TreeEntry => e !== undefined),
  };
}

/** The differences that mean "extract again"; ones extraction could not have avoided are ignored. */
export function relevantDiffs(diffs: string[], want: WantAttrs, uid: number): string[] {
  const ownerSet = want.owner !== undefined || want.group !== undefined || uid !== 0;
  const modeSet = want.mode !== undefined || uid !== 0;
  return diffs.filter((d) => {
    if (/^tar: : /.test(d)) return false; // the root member that --strip-components removed
    if (ownerSet && /: (Uid|Gid) differs$/.test(d)) return false;
    if (modeSet && /: Mode differs$/.test(d)) return false;
    return true;
  });
}

function attrsDiffer(want: WantAttrs, attrs: TreeEntry[], umask: number): boolean {
  return attrs.some(
    (e) =>
      (want.owner !== undefined && !sameId(want.owner, e.uid, e.owner)) ||
      (want.group !== undefined && !sameId(want.group, e.gid, e.group)) ||
      (want.mode !== undefined && e.kind !== 'link' && resolveMode(want.mode, e.mode, e.kind === 'directory', umask) !== e.mode),
  );
}

/** chown/chmod every member (links: ownership only). */
export function memberAttrsScript(c: TarCall, want: WantAttrs): Script | undefined {
  const owner = want.owner && want.group ? `${want.owner}:${want.group}` : want.owner;
  const cmds: Script[] = [];
  if (owner) cmds.push(sh`chown -h ${owner} "$f"`);
  else if (want.group) cmds.push(sh`chgrp -h ${want.group} "$f"`);
  if (want.mode !== undefined) {
    const octal = octalMode(want.mode);
    cmds.push(sh`if [ ! -L "$f" ]; then chmod ${octal === undefined ? want.mode : formatMode(octal)} "$f"; fi`);
  }
  if (!cmds.length) return undefined;
  return sh`${listing(c)} | (cd ${c.dest} && while IFS= read -r f; do ${join(cmds, ' && ')} || exit 1; done)`;
}

/** Pure: extract (then set attributes), only set attributes, or nothing. */
export function planExtract(a: Args, start: StartState, cmp: Compare, c: TarCall): Plan {
  const data: Record<string, unknown> = { dest: c.dest, src: String(a.src) };
  if (a.list_files) data.files = cmp.entries;
  if (cmp.bad) return { kind: 'fail', msg: `Failed to find handler for "${String(a.src)}": tar cannot read it`, data };
  const want = wantAttrs(a);
  const diffs = relevantDiffs(cmp.diffs, want, start.host.uid);
  const fix = memberAttrsScript(c, want);
  const steps: Step[] = [];
  if (diffs.length) {
    steps.push({ exec: sh`tar ${tarWords(c, '-x')}`, capture: true });
    if (fix) steps.push({ exec: fix });
    return { kind: 'change', steps, data: { ...data, differences: diffs.slice(0, 20) } };
  }
  if (fix && attrsDiffer(want, cmp.attrs, start.host.umask))
    return { kind: 'change', steps: [{ exec: fix }], data, msg: 'ownership, perms or SE linux context changed' };
  return { kind: 'noop', reason: 'archive already extracted', data };
}

async function unpack(a: Args, ctx: ModuleContext, start: StartState): Promise<ModuleResult> {
  const src = String(a.src);
  let archive = src;
  if (!remoteSrc(a)) {
    const local = await ctx.files.read(src, 'files');
    archive = `${start.tmpdir}/${baseName(src) || 'archive'}`;
    await ctx.put(local.content, archive, { mode: '0600' });
  }
  const c = tarCall(a, archive);
  const want = wantAttrs(a);
  const needAttrs = want.owner !== undefined || want.group !== undefined || want.mode !== undefined;
  const cmp = parseCompare(await ctx.exec(compareScript(c, start.gnuTar, needAttrs)));
  const result = await apply(planExtract(a, start, cmp, c), ctx);
  if (result.data && 'rc' in result.data) {
    const { rc, stdout, stderr, ...rest } = result.data;
    result.data = { ...rest, extract_results: { rc, out: stdout, err: stderr, cmd: sh`tar ${tarWords(c, '-x')}`.shown } };
  }
  return result;
}

/** The unarchive module. */
export const unarchive: Module = {
  name: 'unarchive',
  args,
  checkMode: true,
  validate: (a) => (a.copy !== undefined && a.remote_src !== undefined ? 'parameters are mutually exclusive: copy, remote_src' : undefined),
  async run(a, ctx): Promise<ModuleResult> {
    const start = parseStart(await ctx.exec(unarchiveProbe(a)));
    const stop = decideStart(a, start);
    try {
      if (stop) return await apply(stop, ctx);
      if (!remoteSrc(a) && !start.tmpdir) return { changed: false, failed: true, msg: 'could not create a temp directory on the host (mktemp -d)' };
      return await unpack(a, ctx, start);
    } finally {
      if (start.tmpdir) await ctx.exec(sh`rm -rf ${start.tmpdir}`);
    }
  },
};

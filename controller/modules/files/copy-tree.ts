/**
 * copy with a controller-side directory as src: `src: dir/` copies what is in dir into dest, `src: dir`
 * the directory itself (dest/dir/...), recursively. Each file goes through copy's own one-file flow
 * (sha256 compare, mode/owner/group, backup, check and diff modes), so an unchanged tree changes nothing;
 * missing directories are made with mkdir -p. Empty source directories are not recreated.
 */
import type { Args, Diff, ModuleContext, ModuleResult } from '../types.js';
import { baseName, copyFrom } from './copy.js';

/** Where one file of the tree goes: the directory (ending in /) and the file name. */
export interface TreeTarget {
  /** the file's path relative to the source directory */
  rel: string;
  destDir: string;
  name: string;
}

/** Pure: the target of each file (paths relative to the source directory, '/'-separated). */
export function treeTargets(src: string, dest: string, rels: readonly string[]): TreeTarget[] {
  const root = dest.endsWith('/') ? dest : `${dest}/`;
  // without a trailing slash the directory itself is copied, under its own name
  const base = src.endsWith('/') ? '' : `${baseName(src)}/`;
  return rels.map((rel) => {
    const slash = rel.lastIndexOf('/');
    return { rel, destDir: `${root}${base}${slash < 0 ? '' : rel.slice(0, slash + 1)}`, name: rel.slice(slash + 1) };
  });
}

/** Copies every regular file under the controller directory `dir` (what `src` named). */
export async function copyTree(a: Args, ctx: ModuleContext, dir: string): Promise<ModuleResult> {
  const src = String(a.src);
  const dest = String(a.dest);
  const walk = ctx.files.walk;
  if (!walk) return { changed: false, failed: true, msg: `copying the directory ${src} needs the controller's files, which are not available here` };
  const targets = treeTargets(src, dest, walk(dir));
  let changed = false;
  const diff: Diff[] = [];
  let last: ModuleResult | undefined;
  for (const t of targets) {
    const local = await ctx.files.read(`${dir.replace(/\/+$/, '')}/${t.rel}`, 'files');
    const r = await copyFrom({ ...a, dest: t.destDir }, ctx, { kind: 'content', content: local.content, name: t.name, origin: local.path });
    if (r.failed) return { ...r, changed: changed || r.changed, msg: `${t.destDir}${t.name}: ${r.msg ?? 'copy failed'}` };
    changed ||= r.changed;
    if (r.diff) diff.push(...r.diff);
    last = r;
  }
  // as Ansible: one file reports as that file's copy; a tree reports its dest and src
  if (targets.length === 1 && last) return last;
  return { changed, diff: diff.length ? diff : undefined, data: { dest: dest.endsWith('/') ? dest : `${dest}/`, src } };
}

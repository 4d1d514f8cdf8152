/** Owner, group and mode: what a path should have, what it has, and the commands in between. */
import { sh, type Script } from '../../command.js';
import type { Args } from '../types.js';
import { formatMode, resolveMode } from './mode.js';
import type { FileStat } from './probe.js';

/** The attributes a task asks for (each optional). */
export interface WantAttrs {
  mode?: string;
  owner?: string;
  group?: string;
}

/** Attribute commands and the before/after values they change. */
export interface AttrPlan {
  scripts: Script[];
  before: Record<string, string>;
  after: Record<string, string>;
}

/** The mode/owner/group arguments of a task. */
export function wantAttrs(args: Args): WantAttrs {
  const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'number' ? v.toString(8) : String(v));
  const mode = typeof args.mode === 'number' ? args.mode.toString(8) : str(args.mode);
  return { mode, owner: str(args.owner), group: str(args.group) };
}

/** Whether a wanted user/group (a name or a numeric id) is the one a path has. */
export function sameId(want: string, id: number, name: string): boolean {
  return /^\d+$/.test(want) ? Number(want) === id : want === name;
}

/**
 * The commands that bring `path` from `cur` to `want`. chown runs before chmod because chown clears the
 * setuid/setgid bits. With noDeref the link itself is changed (and its mode, which Linux ignores, is left).
 */
export function planAttrs(path: string, want: WantAttrs, cur: FileStat, opts: { umask: number; noDeref?: boolean }): AttrPlan {
  const plan: AttrPlan = { scripts: [], before: {}, after: {} };
  const h = opts.noDeref ? '-h' : undefined;
  const owner = want.owner !== undefined && !sameId(want.owner, cur.uid, cur.owner) ? want.owner : undefined;
  const group = want.group !== undefined && !sameId(want.group, cur.gid, cur.group) ? want.group : undefined;
  if (owner !== undefined && group !== undefined) plan.scripts.push(sh`chown ${[h, `${owner}:${group}`, path]}`);
  else if (owner !== undefined) plan.scripts.push(sh`chown ${[h, owner, path]}`);
  else if (group !== undefined) plan.scripts.push(sh`chgrp ${[h, group, path]}`);
  if (owner !== undefined) {
    plan.before.owner = cur.owner;
    plan.after.owner = owner;
  }
  if (group !== undefined) {
    plan.before.group = cur.group;
    plan.after.group = group;
  }
  if (want.mode !== undefined && !(opts.noDeref && cur.kind === 'link')) {
    const mode = resolveMode(want.mode, cur.mode, cur.kind === 'directory', opts.umask);
    if (mode !== cur.mode) {
      plan.scripts.push(sh`chmod ${formatMode(mode)} ${path}`);
      plan.before.mode = formatMode(cur.mode);
      plan.after.mode = formatMode(mode);
    }
  }
  return plan;
}

/** The attributes a path ends up with, for results (`mode`, `owner`, `group`, `uid`, `gid`). */
export function finalAttrs(cur: FileStat | undefined, want: WantAttrs, mode: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (mode !== undefined) out.mode = formatMode(mode);
  const owner = want.owner ?? cur?.owner;
  const group = want.group ?? cur?.group;
  if (owner !== undefined) out.owner = owner;
  if (group !== undefined) out.group = group;
  if (cur && (want.owner === undefined || sameId(want.owner, cur.uid, cur.owner))) out.uid = cur.uid;
  if (cur && (want.group === undefined || sameId(want.group, cur.gid, cur.group))) out.gid = cur.gid;
  return out;
}

/** `key: value` lines for a --diff of attributes or states. */
export function describe(values: Record<string, unknown>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${String(v)}\n`)
    .join('');
}

/**
 * Which ansible.cfg file Ansible would read, and the settings a run takes: the command line over the
 * ANSIBLE_* environment over the file over Ansible's defaults (play keywords and inventory variables then
 * win over all of these, in the loader and the runner). Pure: the file system is a predicate passed in.
 */
import { dirname, join } from 'node:path';
import { type AnsibleSettings, convert, DEFINITIONS, expandPath, fromEnv, fromIni, type PathContext } from './ansible-cfg.js';
import type { IniFile } from './ini.js';

/** How the file system looks to the search: whether a path is a directory, a readable file. */
export interface FsView {
  isDir(path: string): boolean;
  isReadableFile(path: string): boolean;
  /** whether others may write the directory (Ansible then ignores its ansible.cfg) */
  worldWritable(path: string): boolean;
}

/** The file found (or none) and a warning when a world-writable directory's ansible.cfg was skipped. */
export interface Found {
  path?: string;
  warning?: string;
}

/** Ansible's search: $ANSIBLE_CONFIG (a file, or a directory holding ansible.cfg), ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg. */
export function findConfigFile(ctx: PathContext, fs: FsView): Found {
  const candidates: string[] = [];
  let fromEnvPath: string | undefined;
  const named = ctx.env.ANSIBLE_CONFIG;
  if (named !== undefined) {
    const p = expandPath(named, ctx.cwd, ctx);
    fromEnvPath = fs.isDir(p) ? join(p, 'ansible.cfg') : p;
    candidates.push(fromEnvPath);
  }
  const local = join(ctx.cwd, 'ansible.cfg');
  const skipLocal = fs.worldWritable(ctx.cwd);
  if (!skipLocal) candidates.push(local);
  candidates.push(join(ctx.home, '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const path = candidates.find((c) => fs.isReadableFile(c));
  const warning =
    skipLocal && path !== fromEnvPath && fs.isReadableFile(local)
      ? `muster is being run in a world writable directory (${ctx.cwd}), ignoring its ansible.cfg; make the directory writable only by you (chmod o-w), or point ANSIBLE_CONFIG at the file`
      : undefined;
  return { path, warning };
}

/** Settings given on the command line (undefined: not given). */
export type CliSettings = Partial<
  Pick<AnsibleSettings, 'inventory' | 'remoteUser' | 'forks' | 'become' | 'becomeUser' | 'becomeAskPass' | 'privateKeyFile' | 'timeout' | 'forceHandlers'>
>;

/** The settings of a run, and where each came from ("command line", an env variable, file:line). */
export interface Resolved {
  settings: AnsibleSettings;
  from: Partial<Record<keyof AnsibleSettings, string>>;
  /** keys of the file muster does not use (reported with -v) */
  ignored: string[];
}

const DEFAULT_ROLES_PATH = ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'];
const DEFAULT_COLLECTIONS_PATH = ['~/.ansible/collections', '/usr/share/ansible/collections'];

/** Resolves every setting: command line, then environment, then the file (parsed, at `file.file`), then defaults. */
export function resolveSettings(cli: CliSettings, file: IniFile | undefined, ctx: PathContext): Resolved {
  const settings: AnsibleSettings = {};
  const from: Resolved['from'] = {};
  const fileDir = file ? dirname(file.file) : ctx.cwd;
  for (const name of Object.keys(DEFINITIONS) as (keyof AnsibleSettings)[]) {
    const given = (cli as Record<string, unknown>)[name];
    if (given !== undefined) {
      (settings as Record<string, unknown>)[name] = given;
      from[name] = 'command line';
      continue;
    }
    const def = DEFINITIONS[name];
    const raw = fromEnv(ctx.env, def, ctx.cwd) ?? (file ? fromIni(file, def, fileDir) : undefined);
    if (!raw) continue;
    (settings as Record<string, unknown>)[name] = convert(name, raw, ctx);
    from[name] = raw.from;
  }
  settings.rolesPath ??= DEFAULT_ROLES_PATH.map((p) => expandPath(p, ctx.cwd, ctx));
  settings.collectionsPath ??= DEFAULT_COLLECTIONS_PATH.map((p) => expandPath(p, ctx.cwd, ctx));
  return { settings, from, ignored: file ? ignoredKeys(file) : [] };
}

/** `[section] key` of every file entry no definition reads. */
function ignoredKeys(file: IniFile): string[] {
  const used = new Set(Object.values(DEFINITIONS).flatMap((d) => d.ini.map(([s, k]) => `${s}\0${k}`)));
  const out: string[] = [];
  for (const [section, keys] of file.sections) for (const key of keys.keys()) if (!used.has(`${section}\0${key}`)) out.push(`[${section}] ${key}`);
  return out;
}

/** Warnings a run prints for settings muster reads but does not follow. */
export function settingWarnings(r: Resolved): string[] {
  const out: string[] = [];
  if (r.settings.hostKeyChecking === false)
    out.push(
      `host_key_checking is off (${r.from.hostKeyChecking}), but muster keeps verifying SSH host keys: pass --accept-new-host-keys to record the keys of new hosts, a changed key is always refused`,
    );
  return out;
}

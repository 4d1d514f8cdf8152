/**
 * The ansible.cfg settings muster reads: where each comes from (its ini section and key, its ANSIBLE_*
 * environment variables) and how its text becomes a value (Ansible's types: bool, int, path, pathlist,
 * pathspec). Pure: the file is parsed text, the environment a record.
 */
import { isAbsolute, resolve } from 'node:path';
import { BOOL_WORDS, parseBool } from '../../shared/boolean.js';
import { MusterError, type Pos } from '../../shared/errors.js';
import { iniGet, type IniFile, unquote } from './ini.js';

/** The settings muster takes from ansible.cfg and the environment. */
export interface AnsibleSettings {
  inventory?: string[];
  remoteUser?: string;
  rolesPath?: string[];
  collectionsPath?: string[];
  forks?: number;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo';
  becomeAskPass?: boolean;
  privateKeyFile?: string;
  hostKeyChecking?: boolean;
  timeout?: number;
  gathering?: Gathering;
  forceHandlers?: boolean;
}

/** When a play gathers facts without `gather_facts:` (implicit: always; explicit: never; smart: once per host). */
export type Gathering = 'implicit' | 'explicit' | 'smart';

type Kind = 'str' | 'bool' | 'int' | 'path' | 'pathlist' | 'pathspec' | 'gathering' | 'become_method';

interface Definition {
  /** [section, key] pairs, later ones winning (as Ansible's list of ini entries) */
  ini: [string, string][];
  /** environment variables, later ones winning */
  env: string[];
  kind: Kind;
}

/** Every setting: its ini entries, environment variables and type (from Ansible's base.yml). */
export const DEFINITIONS: Record<keyof AnsibleSettings, Definition> = {
  inventory: {
    ini: [
      ['defaults', 'hostfile'],
      ['defaults', 'inventory'],
    ],
    env: ['ANSIBLE_INVENTORY'],
    kind: 'pathlist',
  },
  remoteUser: { ini: [['defaults', 'remote_user']], env: ['ANSIBLE_REMOTE_USER'], kind: 'str' },
  rolesPath: { ini: [['defaults', 'roles_path']], env: ['ANSIBLE_ROLES_PATH'], kind: 'pathspec' },
  collectionsPath: {
    ini: [
      ['defaults', 'collections_paths'],
      ['defaults', 'collections_path'],
    ],
    env: ['ANSIBLE_COLLECTIONS_PATHS', 'ANSIBLE_COLLECTIONS_PATH'],
    kind: 'pathspec',
  },
  forks: { ini: [['defaults', 'forks']], env: ['ANSIBLE_FORKS'], kind: 'int' },
  become: {
    ini: [
      ['defaults', 'become'],
      ['privilege_escalation', 'become'],
    ],
    env: ['ANSIBLE_BECOME'],
    kind: 'bool',
  },
  becomeUser: {
    ini: [
      ['defaults', 'become_user'],
      ['privilege_escalation', 'become_user'],
    ],
    env: ['ANSIBLE_BECOME_USER'],
    kind: 'str',
  },
  becomeMethod: {
    ini: [
      ['defaults', 'become_method'],
      ['privilege_escalation', 'become_method'],
    ],
    env: ['ANSIBLE_BECOME_METHOD'],
    kind: 'become_method',
  },
  becomeAskPass: {
    ini: [
      ['defaults', 'become_ask_pass'],
      ['privilege_escalation', 'become_ask_pass'],
    ],
    env: ['ANSIBLE_BECOME_ASK_PASS'],
    kind: 'bool',
  },
  privateKeyFile: { ini: [['defaults', 'private_key_file']], env: ['ANSIBLE_PRIVATE_KEY_FILE'], kind: 'path' },
  hostKeyChecking: { ini: [['defaults', 'host_key_checking']], env: ['ANSIBLE_HOST_KEY_CHECKING'], kind: 'bool' },
  timeout: { ini: [['defaults', 'timeout']], env: ['ANSIBLE_TIMEOUT'], kind: 'int' },
  gathering: { ini: [['defaults', 'gathering']], env: ['ANSIBLE_GATHERING'], kind: 'gathering' },
  forceHandlers: { ini: [['defaults', 'force_handlers']], env: ['ANSIBLE_FORCE_HANDLERS'], kind: 'bool' },
};

/** Where a raw value was found: a file line or an environment variable; paths resolve against `base`. */
export interface Raw {
  text: string;
  /** "ansible.cfg:3 (remote_user)" or "ANSIBLE_REMOTE_USER" */
  from: string;
  pos?: Pos;
  base: string;
}

/** What path expansion needs: the home directory, the environment (for $VAR) and the working directory. */
export interface PathContext {
  home: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The winning ini entry of a setting, or undefined. `dir` is the file's directory (relative paths). */
export function fromIni(ini: IniFile, def: Definition, dir: string): Raw | undefined {
  let found: Raw | undefined;
  for (const [section, key] of def.ini) {
    const e = iniGet(ini, section, key);
    if (e) found = { text: unquote(e.value), from: `${ini.file}:${e.line} ([${section}] ${key})`, pos: { file: ini.file, line: e.line, col: 1 }, base: dir };
  }
  return found;
}

/** The winning environment variable of a setting (an empty one counts as unset), or undefined. */
export function fromEnv(env: Record<string, string | undefined>, def: Definition, cwd: string): Raw | undefined {
  let found: Raw | undefined;
  for (const name of def.env) {
    const v = env[name];
    if (v !== undefined && v !== '') found = { text: v, from: name, base: cwd };
  }
  return found;
}

/** A raw value as its setting's type; E_SCHEMA naming where it was written and what is accepted. */
export function convert(name: keyof AnsibleSettings, raw: Raw, ctx: PathContext): AnsibleSettings[keyof AnsibleSettings] {
  const kind = DEFINITIONS[name].kind;
  const t = raw.text.trim();
  const bad = (what: string, hint: string): never => {
    throw new MusterError('E_SCHEMA', `${raw.from}: ${what}`, { pos: raw.pos, hint });
  };
  switch (kind) {
    case 'str':
      return t;
    case 'bool': {
      const b = parseBool(t);
      return b ?? bad(`"${t}" is not a boolean`, `write one of ${BOOL_WORDS}`);
    }
    case 'int': {
      const n = Number(t);
      return /^\d+$/.test(t) && n >= 1 ? n : bad(`"${t}" is not a positive whole number`, 'write a number such as 10');
    }
    case 'path':
      return expandPath(t, raw.base, ctx);
    case 'pathlist':
      return t
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
        .map((p) => expandPath(p, raw.base, ctx));
    case 'pathspec':
      return t
        .split(':')
        .filter((p) => p !== '')
        .map((p) => expandPath(p, raw.base, ctx));
    case 'gathering':
      return t === 'implicit' || t === 'explicit' || t === 'smart'
        ? t
        : bad(`gathering "${t}" is not implicit, explicit or smart`, 'write implicit, explicit or smart');
    case 'become_method':
      return t === 'sudo'
        ? 'sudo'
        : bad(
            `become_method "${t}" is not supported: muster becomes with sudo only`,
            'remove become_method (or set it to sudo) and give the remote user sudo rights; su, doas and the others are not supported',
          );
  }
}

/** Ansible's path resolution: {{CWD}}, $VAR and ${VAR}, a leading ~, then relative to `base`. */
export function expandPath(p: string, base: string, ctx: PathContext): string {
  let s = p.replaceAll('{{CWD}}', ctx.cwd);
  s = s.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a, b) => ctx.env[a ?? b] ?? whole);
  if (s === '~' || s.startsWith('~/')) s = ctx.home + s.slice(1);
  return isAbsolute(s) ? resolve(s) : resolve(base, s);
}

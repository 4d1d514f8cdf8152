/** The CLI's edge to ansible.cfg: finds the file as Ansible does, reads it, resolves the settings of a run. */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { MusterError } from '../../shared/errors.js';
import type { PathContext } from '../config/ansible-cfg.js';
import { parseIni } from '../config/ini.js';
import { type CliSettings, findConfigFile, type FsView, type Resolved, resolveSettings } from '../config/precedence.js';

/** The resolved settings, the file they came from (if any) and warnings to print. */
export interface RunConfig extends Resolved {
  file?: string;
  warnings: string[];
}

const fsView: FsView = {
  isDir: (p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  isReadableFile: (p) => {
    try {
      accessSync(p, constants.R_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
  worldWritable: (p) => {
    try {
      return (statSync(p).mode & 0o002) !== 0;
    } catch {
      return false;
    }
  },
};

/** Reads ansible.cfg (if one is found) and resolves the run's settings; command-line values win. */
export function loadRunConfig(cli: CliSettings, env: Record<string, string | undefined> = process.env, cwd = process.cwd(), home = homedir()): RunConfig {
  const ctx: PathContext = { env, cwd, home };
  const found = findConfigFile(ctx, fsView);
  let text: string | undefined;
  if (found.path) {
    try {
      text = readFileSync(found.path, 'utf8');
    } catch (e) {
      throw new MusterError('E_FILE', `cannot read ${found.path}: ${(e as Error).message}`, {
        hint: 'make the file readable, or point ANSIBLE_CONFIG elsewhere',
      });
    }
  }
  const ini = text === undefined || !found.path ? undefined : parseIni(text, found.path);
  const resolved = resolveSettings(cli, ini, ctx);
  return { ...resolved, file: found.path, warnings: found.warning ? [found.warning] : [] };
}

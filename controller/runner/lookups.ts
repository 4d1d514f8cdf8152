/** The controller's side of lookups: files, environment, commands and the password store, lent to expressions. */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Secret } from '../command.js';
import type { LookupIO } from '../expr/lookups/index.js';
import { renderText } from '../template/index.js';
import type { Where } from '../template/index.js';

/** What the runner knows where a task runs. */
export interface LookupPlace {
  searchDirs: readonly string[];
  playbookDir: string;
  where: Where;
  /** the hosts a pattern selects in the run's inventory */
  hosts(pattern: string): string[];
  secret(s: Secret): void;
  warn(message: string): void;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

/** A LookupIO over the controller's file system, environment and shell. */
export function lookupIO(p: LookupPlace): LookupIO {
  return {
    searchPath: p.searchDirs,
    playbookDir: p.playbookDir,
    readText(path) {
      try {
        return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    isFile: (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false,
    isDir: (path) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false,
    listFiles(dir) {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isFile() || (d.isSymbolicLink() && (statSync(join(dir, d.name), { throwIfNoEntry: false })?.isFile() ?? false)))
          .map((d) => d.name);
      } catch {
        return [];
      }
    },
    env: (name) => process.env[name],
    run(command) {
      const r = spawnSync('/bin/sh', ['-c', command], { cwd: p.playbookDir, encoding: 'utf8', maxBuffer: MAX_OUTPUT });
      if (r.error) return { rc: 127, stdout: '', stderr: r.error.message };
      return { rc: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
    },
    writeAtomic(path, text, mode) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.muster-${process.pid}-${Date.now()}.tmp`;
      const fd = openSync(tmp, 'w', mode);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
    render: (text, vars, source) => renderText(text, vars, { ...p.where, source }),
    randomInt: (n) => randomInt(n),
    hosts: p.hosts,
    secret: p.secret,
    warn: p.warn,
  };
}

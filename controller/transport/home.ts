/** `~` expansion for paths taken from inventories and options (the shell is not there to do it). */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Replaces a leading `~` or `~/` with the home directory; other paths are returned as they are. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

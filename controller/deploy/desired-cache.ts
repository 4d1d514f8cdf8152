/**
 * The last desired set read from each agent, kept in the controller's state directory. When a node does not
 * answer, its replicas that hold data (named volumes) are still known to be there: the scheduler makes them
 * wait for their node instead of starting them empty elsewhere. Stateless replicas move on, as before.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic.js';
import { canonicalJson } from '../../shared/spec-hash.js';
import type { DesiredSet } from '../../shared/wire.js';
import { ensurePrivateDir, statePaths } from '../fleet/state-dir.js';

const FILE = 'desired.json';

/** Keeps `set` as the node's last known desired set (written only when it changed; atomically). */
export async function rememberDesired(stateDir: string, node: string, set: DesiredSet): Promise<void> {
  const dir = statePaths(stateDir).node(node);
  const text = `${canonicalJson(set)}\n`;
  if ((await readFile(join(dir, FILE), 'utf8').catch(() => undefined)) === text) return;
  await ensurePrivateDir(dir);
  await writeFileAtomic(dir, FILE, text);
}

/** The node's last known desired set, or undefined (none kept, or unreadable: then nothing is assumed). */
export async function lastDesired(stateDir: string, node: string): Promise<DesiredSet | undefined> {
  try {
    const set = JSON.parse(await readFile(join(statePaths(stateDir).node(node), FILE), 'utf8')) as DesiredSet;
    return Number.isInteger(set?.generation) && Array.isArray(set.containers) ? set : undefined;
  } catch {
    return undefined;
  }
}

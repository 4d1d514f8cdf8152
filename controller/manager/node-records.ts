/**
 * What the manager knows of each node's health, kept in the state directory (manager/nodes.json, written
 * atomically on every change of state), so that a restarted manager still says since when a node is down and
 * does not count its failure again. Reports and sets are not kept here: the agents hold those.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic.js';
import { ensurePrivateDir } from '../fleet/state-dir.js';
import type { Health } from './health.js';

const FILE = 'nodes.json';

/** The manager's directory in a state directory. */
export const managerDir = (stateDir: string): string => join(stateDir, 'manager');

/** The kept records by node ({} when none, or unreadable: then the manager starts from what it sees). */
export async function readNodeRecords(stateDir: string): Promise<Record<string, Health>> {
  try {
    const data = JSON.parse(await readFile(join(managerDir(stateDir), FILE), 'utf8')) as Record<string, Health>;
    const out: Record<string, Health> = {};
    for (const [node, h] of Object.entries(data ?? {}))
      if ((h?.state === 'up' || h?.state === 'down') && Number.isFinite(h.since))
        out[node] = { state: h.state, since: h.since, ...(Number.isFinite(h.lastSeen) ? { lastSeen: h.lastSeen } : {}) };
    return out;
  } catch {
    return {};
  }
}

/** Writes the records (states and times only; never an error text, which may name addresses). */
export async function writeNodeRecords(stateDir: string, health: ReadonlyMap<string, Health>): Promise<void> {
  const out: Record<string, Health> = {};
  for (const [node, h] of [...health].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (h.state !== 'unknown') out[node] = { state: h.state, since: h.since, ...(h.lastSeen !== undefined ? { lastSeen: h.lastSeen } : {}) };
  await ensurePrivateDir(managerDir(stateDir));
  await writeFileAtomic(managerDir(stateDir), FILE, `${JSON.stringify(out, null, 1)}\n`);
}

/** Pure: a node's health at start, from whether it answered now and what was kept. */
export function healthAtStart(answered: boolean, kept: Health | undefined, now: number): Health {
  if (answered) return { state: 'up', since: kept?.state === 'up' ? kept.since : now, lastSeen: now };
  if (kept?.state === 'down') return kept;
  // kept as up (or unknown) but silent now: counted from its last answer, else from now
  return { state: 'unknown', since: kept?.lastSeen ?? now };
}

/**
 * Replicas a plan took away from a node that did not answer (`--move` of a replica waiting for its data, a
 * scale-down): the node could not be told, so its agent runs them again when it returns. The controller
 * keeps their names in its state directory (nodes/<node>/fenced.json) before it applies; once the node
 * answers, such a replica whose slot runs elsewhere is stale and removed by the next plan: the explicit move
 * wins. A name leaves the file when the node's set no longer holds it.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic.js';
import type { DesiredSet } from '../../shared/wire.js';
import { ensurePrivateDir, statePaths } from '../fleet/state-dir.js';
import type { CurrentReplica, Plan } from '../scheduler/types.js';
import { parseReplicaName } from './names.js';

const FILE = 'fenced.json';

/** A node as the fence reads it: the set it holds when it answered, the one it last held when it did not. */
export interface FenceNode {
  name: string;
  desired?: DesiredSet | null;
  lastDesired?: DesiredSet;
}

const holds = (set: DesiredSet | undefined, r: CurrentReplica): string | undefined =>
  set?.containers.find((c) => c.stack === r.stack && c.service === r.service && c.replica === r.slot && parseReplicaName(c.name, c.stack)?.hash8 === r.specHash)
    ?.name;

/**
 * Pure: by node, the held containers the plan takes away from nodes that did not answer: moved or removed
 * ones, and those whose slot the plan gives to another node (a stateless replica of a node that does not
 * answer is not in `current`: its slot is simply placed again). Global replicas (slot 0) wait for their node.
 */
export function fencedBy(plan: Plan, nodes: FenceNode[]): Map<string, string[]> {
  const away = new Map(nodes.filter((n) => n.desired === undefined && n.lastDesired).map((n) => [n.name, n.lastDesired as DesiredSet]));
  const out = new Map<string, string[]>();
  const add = (node: string, name: string) => out.set(node, [...new Set([...(out.get(node) ?? []), name])].sort());
  const taken = [...plan.assignments.flatMap((a) => (a.action === 'move' && a.from ? [a.from] : [])), ...plan.removals];
  for (const r of taken) {
    const name = away.has(r.node) ? holds(away.get(r.node), r) : undefined;
    if (name) add(r.node, name);
  }
  const placed = new Set(plan.assignments.filter((a) => a.slot > 0).map((a) => `${a.stack}\0${a.service}\0${a.slot}\0${a.node}`));
  const elsewhere = new Set(plan.assignments.filter((a) => a.slot > 0).map((a) => `${a.stack}\0${a.service}\0${a.slot}`));
  for (const [node, set] of away)
    for (const c of set.containers) {
      const slot = `${c.stack}\0${c.service}\0${c.replica}`;
      if (c.replica > 0 && elsewhere.has(slot) && !placed.has(`${slot}\0${node}`)) add(node, c.name);
    }
  return out;
}

/** The names fenced on a node ([] when none, or the file is unreadable: then nothing is assumed stale). */
export async function readFenced(stateDir: string, node: string): Promise<string[]> {
  try {
    const names = JSON.parse(await readFile(join(statePaths(stateDir).node(node), FILE), 'utf8')) as unknown;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes a node's fenced names atomically (the file goes when none are left). */
export async function writeFenced(stateDir: string, node: string, names: string[]): Promise<void> {
  const dir = statePaths(stateDir).node(node);
  if (!names.length) return rm(join(dir, FILE), { force: true });
  await ensurePrivateDir(dir);
  await writeFileAtomic(dir, FILE, `${JSON.stringify([...new Set(names)].sort())}\n`);
}

/** Adds the plan's fenced names to each node's file, before the plan is applied. */
export async function recordFenced(stateDir: string, plan: Plan, nodes: FenceNode[]): Promise<void> {
  for (const [node, names] of fencedBy(plan, nodes)) await writeFenced(stateDir, node, [...(await readFenced(stateDir, node)), ...names]);
}

/** Drops the fenced names of a node that its set no longer holds (once written or read back). */
export async function pruneFenced(stateDir: string, node: string, set: DesiredSet | null | undefined): Promise<string[]> {
  const fenced = await readFenced(stateDir, node);
  const still = fenced.filter((name) => set?.containers.some((c) => c.name === name));
  if (still.length !== fenced.length) await writeFenced(stateDir, node, still);
  return still;
}

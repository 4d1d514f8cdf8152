/**
 * The desired set on disk: written atomically before a PUT is acknowledged, reloaded at start.
 * A corrupt file is moved aside (never deleted) and the agent waits for the controller to send the set again.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import type { DesiredSet } from '../../shared/wire.js';
import { oneAtATime, removeStaleTemps, writeFileAtomic } from '../../shared/atomic.js';
import { canonicalJson } from '../../shared/spec-hash.js';

/** The file name of the desired set in the state directory. */
export const DESIRED_FILE = 'desired.json';
const FORMAT = 1;

/** What was found at start. */
export type LoadedDesired = { kind: 'ok'; set: DesiredSet } | { kind: 'absent' } | { kind: 'corrupt'; error: MusterError; keptAt: string };

/** The outcome of offering a new desired set. */
export type PutOutcome = { kind: 'accepted'; generation: number } | { kind: 'unchanged'; generation: number } | { kind: 'stale'; current: number };

/** Pure: may `incoming` replace `current`? Newer generations win; the same generation with the same content is a harmless retry. */
export function judgeGeneration(current: DesiredSet | null, incoming: DesiredSet): PutOutcome {
  if (current === null || incoming.generation > current.generation) return { kind: 'accepted', generation: incoming.generation };
  if (incoming.generation === current.generation && canonicalJson(incoming) === canonicalJson(current)) {
    return { kind: 'unchanged', generation: current.generation };
  }
  return { kind: 'stale', current: current.generation };
}

/** Pure: the shape a saved desired set must have; returns what is wrong, or undefined. */
export function desiredShapeProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const o = v as Record<string, unknown>;
  if (!Number.isSafeInteger(o.generation) || (o.generation as number) < 0) return '`generation` is not a whole number';
  if (!Array.isArray(o.containers)) return '`containers` is not a list';
  for (const [i, c] of o.containers.entries()) {
    const e = c as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.image !== 'string') {
      return `containers[${i}] has no name or image`;
    }
  }
  return undefined;
}

/** Reads the desired set saved in `dir`; cleans temp files of interrupted writes; moves a corrupt file aside. */
export async function loadDesired(dir: string, now: Date = new Date()): Promise<LoadedDesired> {
  await removeStaleTemps(dir, DESIRED_FILE);
  const path = join(dir, DESIRED_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw new MusterError('E_FILE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      hint: 'check that the state directory belongs to the user the agent runs as',
      cause: e,
    });
  }
  const problem = parseProblem(text);
  if (problem.set) return { kind: 'ok', set: problem.set };
  const keptAt = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, keptAt);
  const error = new MusterError('E_FILE', `the saved desired set ${path} is unreadable (${problem.why}); it was moved to ${keptAt}`, {
    hint: 'the agent runs no container changes until the controller sends the desired set again (run the deploy again)',
  });
  return { kind: 'corrupt', error, keptAt };
}

function parseProblem(text: string): { set?: DesiredSet; why?: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { why: `bad JSON: ${(e as Error).message}` };
  }
  const o = doc as { format?: unknown; desired?: unknown } | null;
  if (o === null || typeof o !== 'object' || o.format !== FORMAT) return { why: `not a format ${FORMAT} desired-set file` };
  const why = desiredShapeProblem(o.desired);
  return why ? { why } : { set: o.desired as DesiredSet };
}

/** Saves the desired set durably (returns once it is on disk). */
export async function saveDesired(dir: string, set: DesiredSet): Promise<void> {
  await writeFileAtomic(dir, DESIRED_FILE, `${JSON.stringify({ format: FORMAT, desired: set }, null, 1)}\n`);
}

/** The agent's one desired set: in memory, mirrored on disk, replaced one PUT at a time. */
export interface DesiredStore {
  /** the set being converged to; null until the controller sent one (or after a corrupt file) */
  current(): DesiredSet | null;
  /** checks the generation, saves, then swaps; concurrent calls run one after the other */
  put(set: DesiredSet): Promise<PutOutcome>;
}

/** A store over `dir`, starting from what `loadDesired` found. */
export function desiredStore(dir: string, initial: DesiredSet | null, save = saveDesired): DesiredStore {
  let current = initial;
  const serial = oneAtATime();
  return {
    current: () => current,
    put: (set) =>
      serial(async () => {
        const outcome = judgeGeneration(current, set);
        if (outcome.kind !== 'accepted') return outcome;
        await save(dir, set); // on disk before anyone (the API, the reconciler) sees it
        current = set;
        return outcome;
      }),
  };
}

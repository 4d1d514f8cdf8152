/**
 * The reconciler's decision: from what Docker shows and what the controller wants, the next things to do, all
 * of one kind (removals before replacements before creations before starts) and at most one per container name.
 * Pure: no Docker, no clock (the caller passes `now`), no state kept between calls.
 */
import type { ObservedContainer } from '../types.js';
import type { ContainerSpec, DesiredSet } from '../../shared/wire.js';
import { restartAt, restartDelay } from './backoff.js';
import { DEFAULT_RESTART_POLICY, specHash } from '../../shared/spec-hash.js';

/** One step towards the desired set. Every action says why. */
export type Action =
  /** create the container from its spec, then start it */
  | { kind: 'create'; name: string; spec: ContainerSpec; hash: string; reason: string }
  /** start an existing, stopped container */
  | { kind: 'start'; name: string; id: string; reason: string }
  /** stop and start a running container (unhealthy) */
  | { kind: 'restart'; name: string; id: string; reason: string }
  /** remove the old container, create the new spec, start it */
  | { kind: 'replace'; name: string; id: string; spec: ContainerSpec; hash: string; reason: string }
  /** stop and remove a container */
  | { kind: 'remove'; name: string; id: string; reason: string }
  /** nothing to do now; `wakeAt` is when something may be due (a backoff ends), `converged` when all is as desired */
  | { kind: 'none'; reason: string; converged: boolean; wakeAt?: number };

/** A name the loop put on hold after failed actions: until when (ms since epoch), and how many failed in a row. */
export interface Hold {
  until: number;
  failures: number;
}

/** The loop's holds, by container name. */
export type Holds = ReadonlyMap<string, Hold>;

/**
 * A container whose start (or restart) failed this many times in a row is removed and created again. Docker
 * can keep a container it cannot start, e.g. "task already exists" after a start sent to a stopping dockerd;
 * a new container from the same spec is the way out.
 */
export const REPLACE_AFTER = 3;

/** An action that does something. */
export type DueAction = Exclude<Action, { kind: 'none' }>;
/** Nothing to do now, and why. */
export type Idle = Extract<Action, { kind: 'none' }>;

/**
 * What one observation calls for: `act` holds due actions of one class, at most one per container name, safe
 * to run side by side (each touches its own container); or `none`.
 */
export type Decision = { kind: 'act'; actions: DueAction[] } | Idle;

type Step = { rank: number; action: DueAction } | { rank: number; wait: { name: string; at: number; reason: string } };

// Removals first (they free memory and ports for what comes next), then replacements, creations, starts.
// Duplicates and undesired containers are one class (both are removals); the rank orders them within it.
const RANK = { duplicate: 1, remove: 2, replace: 3, create: 4, start: 5, wait: 9 } as const;
const classOf = (rank: number): number => Math.max(rank, RANK.remove);

/**
 * The due actions of the first class present (removals, else replacements, else creations, else starts),
 * sorted by name, one per container name, `limit` at most; or `none` with the reason and the time something
 * becomes due. A class waits for the one before it to be done, so memory and ports are free before anything new
 * is made.
 */
export function nextActions(
  observed: ObservedContainer[],
  desired: DesiredSet,
  now: number,
  holds: Holds = new Map(),
  limit = Number.POSITIVE_INFINITY,
): Decision {
  const steps = [...stepsFor(observed, desired, now, holds)];
  let wakeAt: number | undefined;
  const waits: string[] = [];
  const due: { rank: number; action: DueAction }[] = [];
  for (const s of steps) {
    const name = 'action' in s ? s.action.name : s.wait.name;
    const heldUntil = holds.get(name)?.until;
    if (heldUntil !== undefined && heldUntil > now) {
      wakeAt = Math.min(wakeAt ?? heldUntil, heldUntil);
      waits.push(`${name} on hold after a failure`);
    } else if ('action' in s) {
      due.push(s);
    } else {
      wakeAt = Math.min(wakeAt ?? s.wait.at, s.wait.at);
      waits.push(s.wait.reason);
    }
  }
  due.sort((a, b) => a.rank - b.rank || compare(a.action.name, b.action.name) || compare(idOf(a.action), idOf(b.action)));
  if (due.length > 0) return { kind: 'act', actions: firstClass(due, Math.max(1, limit)) };
  if (waits.length > 0) return { kind: 'none', reason: `waiting: ${waits.sort().join('; ')}`, converged: false, wakeAt };
  return { kind: 'none', reason: `converged: ${desired.containers.length} container(s) as desired`, converged: true };
}

// The sorted due actions of the first class, one per name (a second duplicate of a name waits for the next
// observation), `limit` at most.
function firstClass(due: { rank: number; action: DueAction }[], limit: number): DueAction[] {
  const cls = classOf(due[0].rank);
  const names = new Set<string>();
  const out: DueAction[] = [];
  for (const { rank, action } of due) {
    if (classOf(rank) !== cls || out.length >= limit) break;
    if (names.has(action.name)) continue;
    names.add(action.name);
    out.push(action);
  }
  return out;
}

function* stepsFor(observed: ObservedContainer[], desired: DesiredSet, now: number, holds: Holds): Generator<Step> {
  const byName = new Map<string, ObservedContainer[]>();
  for (const c of observed) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const wanted = new Map(desired.containers.map((s) => [s.name, s]));

  for (const [name, list] of byName) {
    if (wanted.has(name)) continue;
    for (const c of list) {
      if (c.state === 'removing') yield waitStep(name, now + 1_000, `${name} is being removed`);
      else yield { rank: RANK.remove, action: { kind: 'remove', name, id: c.id, reason: 'not in the desired set' } };
    }
  }
  for (const spec of desired.containers) yield* stepsForSpec(spec, byName.get(spec.name) ?? [], now, holds.get(spec.name)?.failures ?? 0);
}

function* stepsForSpec(spec: ContainerSpec, found: ObservedContainer[], now: number, failures: number): Generator<Step> {
  const name = spec.name;
  const hash = specHash(spec);
  if (found.length === 0) {
    yield { rank: RANK.create, action: { kind: 'create', name, spec, hash, reason: 'missing' } };
    return;
  }
  const [keep, ...extras] = [...found].sort(keepFirst(hash));
  for (const c of extras) {
    if (c.state !== 'removing') yield { rank: RANK.duplicate, action: { kind: 'remove', name, id: c.id, reason: `duplicate of ${keep.id.slice(0, 12)}` } };
  }
  if (keep.state === 'removing') {
    yield waitStep(name, now + 1_000, `${name} is being removed`);
    return;
  }
  if (keep.state === 'dead') {
    yield { rank: RANK.remove, action: { kind: 'remove', name, id: keep.id, reason: 'dead (it cannot be started); it is created again next' } };
    return;
  }
  if (keep.specHash !== hash) {
    yield { rank: RANK.replace, action: { kind: 'replace', name, id: keep.id, spec, hash, reason: `spec changed (${keep.specHash || 'none'} -> ${hash})` } };
    return;
  }
  const step = stateStep(spec, keep, now);
  if (step && 'action' in step && (step.action.kind === 'start' || step.action.kind === 'restart') && failures >= REPLACE_AFTER) {
    yield {
      rank: RANK.replace,
      action: { kind: 'replace', name, id: keep.id, spec, hash, reason: `${step.action.kind} failed ${failures} times in a row: created again` },
    };
    return;
  }
  if (step) yield step;
}

// What a container that matches its spec needs, by its state; undefined when it is fine as it is.
function stateStep(spec: ContainerSpec, c: ObservedContainer, now: number): Step | undefined {
  const policy = spec.restartPolicy ?? DEFAULT_RESTART_POLICY;
  const name = spec.name;
  if (c.state === 'created') return { rank: RANK.start, action: { kind: 'start', name, id: c.id, reason: 'created but not started' } };
  if (c.state === 'running' && c.health === 'unhealthy' && policy !== 'no') {
    // An unhealthy container has been up since startedAt; pace restarts as for crashes.
    const at = (c.startedAt ?? 0) + restartDelay(c.restartCount);
    if (now < at) return waitStep(name, at, `${name} unhealthy, restart in ${seconds(at - now)}`);
    return { rank: RANK.start, action: { kind: 'restart', name, id: c.id, reason: `unhealthy (restart #${c.restartCount + 1})` } };
  }
  if (c.state !== 'exited') return undefined; // running, restarting (Docker's own doing) or paused (by someone): left alone
  if (policy === 'no') return undefined;
  if (policy === 'on-failure' && c.exitCode === 0) return undefined;
  const at = restartAt(c);
  if (now < at) return waitStep(name, at, `${name} exited (code ${c.exitCode ?? '?'}), restart in ${seconds(at - now)}`);
  return { rank: RANK.start, action: { kind: 'start', name, id: c.id, reason: `exited with code ${c.exitCode ?? '?'} (restart #${c.restartCount + 1})` } };
}

// Of several containers for one name, keep the one with the right spec, then a running one, then the newest.
function keepFirst(hash: string): (a: ObservedContainer, b: ObservedContainer) => number {
  const score = (c: ObservedContainer): number => (c.specHash === hash ? 4 : 0) + (c.state === 'running' ? 2 : 0) + (c.state === 'removing' ? -8 : 0);
  return (a, b) => score(b) - score(a) || (b.startedAt ?? 0) - (a.startedAt ?? 0) || compare(a.id, b.id);
}

function waitStep(name: string, at: number, reason: string): Step {
  return { rank: RANK.wait, wait: { name, at, reason } };
}

function idOf(a: DueAction): string {
  return 'id' in a ? a.id : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)}s`;
}

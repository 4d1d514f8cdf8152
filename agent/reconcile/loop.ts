/**
 * The thin loop around `nextActions`: observe Docker, decide, do those things side by side (each on its own
 * container), observe again; sleep when nothing is due. It remembers only what Docker cannot tell: how often
 * it restarted each container, which names failed recently (held back with backoff so that one broken
 * container does not stall the others), and how wide a run of starts may go.
 */
import type { DockerPort } from '../docker/port.js';
import type { ObservedContainer } from '../types.js';
import type { DesiredSet } from '../../shared/wire.js';
import { nextActions, type Decision, type DueAction, type Hold } from './next-action.js';
import { restartDelay } from './backoff.js';

/** What the loop tells its owner (the log, the report). */
export type LoopEvent =
  | { kind: 'acted'; action: DueAction }
  | { kind: 'failed'; action: DueAction; error: unknown; retryInMs: number }
  | { kind: 'observe-failed'; error: unknown };

/** Where the loop stands, for the report. */
export interface LoopStatus {
  converged: boolean;
  lastAction: string | null;
  lastError: string | null;
  /** the containers seen at the last observation (with the loop's own restart counts added) */
  observed: ObservedContainer[];
}

/** What the loop needs. */
export interface LoopDeps {
  docker: DockerPort;
  desired: () => DesiredSet | null;
  intervalMs: number;
  /** how many actions run at once (`reconcile_parallelism`); 1, the default here, is one at a time */
  parallelism?: number;
  now?: () => number;
  onEvent?: (e: LoopEvent) => void;
  /**
   * called once the node converged to a generation (and again every TIDY_EVERY_MS while it stays so): removes
   * networks and files no desired container uses. Inside the loop, so never between a create and its start.
   */
  tidy?: (set: DesiredSet) => Promise<void>;
}

/** How often a converged node tidies again without a new generation (files delivered early wait this long). */
export const TIDY_EVERY_MS = 10 * 60_000;

/** The running reconciler. */
export interface Reconciler {
  /** observe, decide, do what is due (side by side); what it decided, null when there is no desired set */
  tick(): Promise<Decision | null>;
  /** runs ticks until stop(): back to back while there is work, else sleeping until due or poked */
  start(): void;
  /** wakes a sleeping loop (a new desired set arrived) */
  poke(): void;
  /** lifts the holds of failed actions and wakes the loop: what they lacked may be there now (a delivered secret) */
  retryHeld(): void;
  /** ends the loop after the actions in progress */
  stop(): Promise<void>;
  status(): LoopStatus;
}

/** Rounds of actions done back to back before the loop sleeps anyway. */
export const MAX_STREAK = 100;

/**
 * How long containers that stopped together are left before the first is started again. A dockerd going down
 * stops them all at once and may still take requests for a moment: a start sent then can leave a half-made
 * task that fails every later start ("task already exists"). By the end of this wait a dying engine no longer
 * answers, so nothing is sent to it; a lone container that died is started at once.
 */
export const SETTLE_MS = 3_000;

/** Pure: when starts of `starts` may begin: undefined at once, else the time two or more of them stopped together settle. */
export function settledAt(starts: DueAction[], seen: ObservedContainer[], now: number): number | undefined {
  const ids = new Set(starts.flatMap((a) => (a.kind === 'start' ? [a.id] : [])));
  const recent = seen.filter((c) => ids.has(c.id) && c.state === 'exited' && c.finishedAt !== undefined && now - c.finishedAt < SETTLE_MS);
  if (recent.length < 2) return undefined;
  return Math.max(...recent.map((c) => c.finishedAt as number)) + SETTLE_MS;
}

const describe = (a: DueAction): string => `${a.kind} ${a.name}: ${a.reason}`;
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A reconciler over a DockerPort. */
export function reconciler(deps: LoopDeps): Reconciler {
  const now = deps.now ?? Date.now;
  const restarts = new Map<string, number>(); // container id -> restarts done by the agent
  const failures = new Map<string, Hold>(); // name -> failures in a row, and until when it is held back
  const status: LoopStatus = { converged: false, lastAction: null, lastError: null, observed: [] };
  let running: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let poked = false;
  let tidied: { generation: number; at: number } | undefined;
  const parallelism = Math.max(1, deps.parallelism ?? 1);
  // Starts of containers that stopped together (a dockerd going down stops them all) go 1, 2, 4... at a time
  // while every start of a round works and its containers are still running at the next observation, and back
  // to 1 after a failure or any other round: a dying engine gets one start at a time, never a burst, and a
  // recovered one gets them all soon.
  let startWidth = 1;
  let startedLast: string[] = []; // ids the last round started

  async function act(a: DueAction, observed: ObservedContainer[]): Promise<void> {
    const d = deps.docker;
    switch (a.kind) {
      case 'create':
        await d.start(await d.create(a.spec, a.hash));
        return;
      case 'start':
        await d.start(a.id);
        // Starting a container that exited is a restart; starting a fresh one (state created) is not.
        if (observed.find((c) => c.id === a.id)?.state === 'exited') restarts.set(a.id, (restarts.get(a.id) ?? 0) + 1);
        return;
      case 'restart':
        await d.restart(a.id);
        restarts.set(a.id, (restarts.get(a.id) ?? 0) + 1);
        return;
      case 'replace':
        await d.remove(a.id);
        restarts.delete(a.id);
        await d.start(await d.create(a.spec, a.hash));
        return;
      case 'remove':
        await d.remove(a.id);
        restarts.delete(a.id);
        return;
    }
  }

  async function tick(): Promise<Decision | null> {
    const set = deps.desired();
    if (set === null) {
      status.converged = false;
      return null;
    }
    let listed: ObservedContainer[];
    try {
      listed = await deps.docker.list();
    } catch (error) {
      startWidth = 1;
      throw error;
    }
    const seen = listed.map((c) => ({ ...c, restartCount: c.restartCount + (restarts.get(c.id) ?? 0) }));
    if (startedLast.some((id) => seen.find((c) => c.id === id)?.state !== 'running')) startWidth = 1; // a start that did not stick
    startedLast = [];
    for (const id of restarts.keys()) if (!seen.some((c) => c.id === id)) restarts.delete(id);
    status.observed = seen;
    const t = now();
    const decision = nextActions(seen, set, t, failures, parallelism);
    if (decision.kind === 'none') {
      startWidth = 1;
      status.converged = decision.converged;
      if (decision.converged && deps.tidy && (tidied?.generation !== set.generation || t - tidied.at >= TIDY_EVERY_MS)) {
        tidied = { generation: set.generation, at: t };
        try {
          await deps.tidy(set);
        } catch (error) {
          tidied = undefined; // again at the next tick
          status.lastError = `tidy: ${message(error)}`;
        }
      }
      return decision;
    }
    status.converged = false;
    const starts = decision.actions[0].kind === 'start' || decision.actions[0].kind === 'restart';
    const settle = starts ? settledAt(decision.actions, seen, t) : undefined;
    if (settle !== undefined)
      return { kind: 'none', reason: 'containers stopped together: waiting for the engine to settle', converged: false, wakeAt: settle };
    const batch = starts ? decision.actions.slice(0, startWidth) : decision.actions;
    if (!starts) startWidth = 1;
    // Side by side: each action has a container name of its own, and nextActions gave one class only.
    const results = await Promise.allSettled(batch.map((a) => act(a, seen)));
    let failed = 0;
    for (const [i, r] of results.entries()) {
      const action = batch[i];
      if (r.status === 'fulfilled') {
        if (action.kind === 'start' || action.kind === 'restart') startedLast.push(action.id);
        failures.delete(action.name);
        status.lastAction = describe(action);
        deps.onEvent?.({ kind: 'acted', action });
        continue;
      }
      failed++;
      const count = (failures.get(action.name)?.failures ?? 0) + 1;
      const retryInMs = Math.max(1_000, restartDelay(count));
      failures.set(action.name, { failures: count, until: now() + retryInMs });
      status.lastError = `${describe(action)}: ${message(r.reason)}`;
      deps.onEvent?.({ kind: 'failed', action, error: r.reason, retryInMs });
    }
    if (starts) startWidth = failed > 0 ? 1 : Math.min(parallelism, startWidth * 2);
    return { kind: 'act', actions: batch };
  }

  // Sleeps until `ms` passed, poke() or stop().
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function run(): Promise<void> {
    let streak = 0; // rounds of actions in a row without a sleep
    while (!stopped) {
      poked = false;
      let decision: Decision | null = null;
      try {
        decision = await tick();
      } catch (error) {
        status.lastError = `observe: ${message(error)}`;
        deps.onEvent?.({ kind: 'observe-failed', error });
      }
      if (stopped) break;
      // More may be due at once; a long streak (an action that never sticks) still yields to a sleep.
      if (decision?.kind === 'act' && ++streak < MAX_STREAK) continue;
      streak = 0;
      if (poked) continue;
      const due = decision?.kind === 'none' && decision.wakeAt !== undefined ? Math.max(0, decision.wakeAt - now()) : deps.intervalMs;
      await sleep(Math.min(due, deps.intervalMs));
    }
  }

  return {
    tick,
    start() {
      stopped = false;
      running ??= run().finally(() => {
        running = undefined;
      });
    },
    poke() {
      poked = true;
      wake?.();
    },
    retryHeld() {
      failures.clear();
      poked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
    status: () => ({ ...status, observed: [...status.observed] }),
  };
}

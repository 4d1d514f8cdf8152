/**
 * Where a replica stands, judged from its node's report: ready (running, healthy when it has a healthcheck,
 * never restarted), pending (with why), or failed (with the reason: exit code, health, the agent's error).
 * A removed replica is ready once it is gone; one started again while watched, or an engine that did not answer
 * once, are judged here too. Pure.
 */
import type { NodeReport } from '../../shared/wire.js';

/** One replica a step waits for. */
export interface Watched {
  node: string;
  /** the container name */
  name: string;
  /** added: must come up; removed: must go */
  kind: 'add' | 'remove';
}

/** What a report says about a watched replica. */
export type Status = { state: 'ready' } | { state: 'pending'; why: string; agentError?: string } | { state: 'failed'; reason: string };

/** Pure: the status of `w` in its node's latest report (undefined: the agent did not answer this time). */
export function judge(w: Watched, report: NodeReport | undefined): Status {
  if (!report) return { state: 'pending', why: 'its agent did not answer' };
  const c = report.containers.find((x) => x.name === w.name);
  if (w.kind === 'remove') return c ? { state: 'pending', why: `still ${c.state}` } : { state: 'ready' };
  const err = report.reconcile?.lastError;
  const agentError = err?.includes(` ${w.name}: `) ? err : undefined;
  if (!c) return { state: 'pending', why: agentError ? `the agent: ${agentError}` : 'not created yet', ...(agentError ? { agentError } : {}) };
  const exit = c.exitCode === null ? '' : ` (exit code ${c.exitCode})`;
  if (c.state === 'exited' || c.state === 'dead') return { state: 'failed', reason: `${c.state}${exit}` };
  if (c.state === 'restarting' || c.restarts > 0) return { state: 'failed', reason: `restarted ${Math.max(1, c.restarts)} time(s)${exit}` };
  if (c.health === 'unhealthy') return { state: 'failed', reason: 'unhealthy: its healthcheck fails' };
  if (c.state !== 'running') return { state: 'pending', why: c.state };
  if (c.health === 'starting') return { state: 'pending', why: 'health: starting' };
  return { state: 'ready' };
}

/** Why `w` counts as failed although it runs: it was started again since first seen running; else undefined. */
export function restartedSince(firstStart: Map<string, string>, w: Watched, report: NodeReport | undefined): string | undefined {
  const at = report?.containers.find((c) => c.name === w.name)?.startedAt;
  if (!at) return undefined;
  const key = `${w.node}\0${w.name}`;
  const first = firstStart.get(key);
  if (first === undefined) firstStart.set(key, at);
  return first !== undefined && first !== at ? `restarted (it stopped and was started again at ${at})` : undefined;
}

/**
 * Pure: an agent error that says the node's Docker engine did not answer this once (a reset connection, a
 * busy or restarting dockerd): the agent retries it, so it fails a replica only by the step's timeout, not
 * after the short grace kept for errors that stay (an image that cannot be pulled, a bad mount).
 */
export function engineHiccup(error: string): boolean {
  return /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up)\b|does not answer/.test(error);
}

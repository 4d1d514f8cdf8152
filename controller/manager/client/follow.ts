/**
 * Following a change through the manager: the event stream is opened before the change is asked (so no event
 * of it is missed), the events of the stack are printed as they come, and the manager's picture is read again
 * after each one (and every second) until every service of the stack runs its wanted count on its current
 * spec, or the time is up.
 */
import type { ServiceRow } from '../../ops/services.js';
import type { OpsIo } from '../../ops/context.js';
import { type ManagerClient, apiPath } from '../client.js';
import type { ManagerEvent } from '../view.js';

/** What to wait for: a stack, optionally only some of its services. */
export interface FollowTarget {
  stack: string;
  /** the services that must be there and running (all the stack's when undefined) */
  services?: string[];
}

/** Pure: an event as a line of progress, or undefined when it is not about the target. */
export function eventLine(e: ManagerEvent, target: FollowTarget): string | undefined {
  if (!('stack' in e) || e.stack !== target.stack) return undefined;
  if (e.type !== 'deploy' && target.services && !target.services.includes(e.service)) return undefined;
  const who = (replica: string) => `${e.stack}_${replica}`;
  switch (e.type) {
    case 'deploy':
      return `${e.stack}: ${e.op} of version ${e.version} ${e.phase}${e.message ? ` (${e.message})` : ''}`;
    case 'placed':
      return e.from ? `moved ${who(e.replica)} from ${e.from} to ${e.node}: ${e.reason}` : `placed ${who(e.replica)} on ${e.node}: ${e.reason}`;
    case 'removed':
      return `removed ${who(e.replica)} from ${e.node}: ${e.reason}`;
    case 'pending':
      return `pending ${who(e.replica)}: ${e.reason}${e.waitingFor ? ` (waiting for ${e.waitingFor})` : ''}`;
    case 'progress':
      return `${e.stack}_${e.service}: ${e.running}/${e.wanted} running`;
  }
}

/** Pure: whether every service of the target is there and runs its wanted count on its current spec. */
export function converged(rows: ServiceRow[], target: FollowTarget): boolean {
  const mine = rows.filter((r) => r.stack === target.stack && (!target.services || target.services.includes(r.service)));
  if (target.services?.some((s) => !mine.some((r) => r.service === s))) return false;
  if (!mine.length) return false;
  // a global service that wants no node yet has not been planned by the manager's loop
  return mine.every((r) => r.running === r.wanted && !r.update.startsWith('updating') && !(r.mode === 'global' && r.wanted === 0));
}

/**
 * Opens the events, runs `act` (the request that changes something; it returns the version the manager
 * accepted, if any), then prints the target's events until it converges or `timeoutMs` passes; whether it did.
 */
export async function follow(
  client: ManagerClient,
  target: FollowTarget,
  timeoutMs: number,
  io: OpsIo,
  act: () => Promise<number | undefined>,
): Promise<boolean> {
  let poke: () => void = () => undefined;
  const versionsSeen = new Set<number>();
  const stream = await client.events((e) => {
    if (e.type === 'deploy' && e.stack === target.stack) versionsSeen.add(e.version);
    const line = eventLine(e, target);
    if (line === undefined) return;
    io.out(`  ${line}\n`);
    poke();
  });
  try {
    // with a version, the manager's own event for it comes first: the picture read before it may be the old one
    const version = await act();
    const deadline = io.now() + timeoutMs;
    for (;;) {
      const { services } = await client.get<{ services: ServiceRow[] }>(apiPath('services'));
      if ((version === undefined || versionsSeen.has(version)) && converged(services, target)) return true;
      if (io.now() >= deadline) return false;
      const woken = new Promise<void>((r) => {
        poke = r;
      });
      await Promise.race([woken, io.sleep(Math.min(1000, Math.max(0, deadline - io.now())))]);
    }
  } finally {
    stream.close();
  }
}

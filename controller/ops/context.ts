/**
 * What the inspect and operate commands read before they decide: every node (reports, held sets) in parallel,
 * and every stack's history from the state directory. I/O only; the decisions are in the pure files beside.
 */
import { homedir } from 'node:os';
import { type FleetNode, readFleet } from '../deploy/fleet.js';
import { type HistoryRecord, readAllHistory, type StackHistory } from '../deploy/history.js';
import { stateDirFor } from '../fleet/state-dir.js';
import { unreachableNotes } from './inspect-node.js';
import { knownServices, type ServiceRef } from './services-known.js';

/** The fleet and the history at one moment. */
export interface OpsContext {
  inventory: string;
  stateDir: string;
  fleet: FleetNode[];
  histories: StackHistory[];
  /** each stack's latest version that is not removed */
  latest: HistoryRecord[];
  known: ServiceRef[];
  /** one line per node that did not answer */
  notes: string[];
}

/** What the commands share from their surroundings (tests give their own). */
export interface OpsIo {
  out(s: string): void;
  env: Record<string, string | undefined>;
  tty: boolean;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real surroundings. */
export const defaultIo = (out: (s: string) => void): OpsIo => ({
  out,
  env: process.env,
  tty: process.stdout.isTTY === true,
  now: Date.now,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});

/** Reads the fleet and the history; a node that does not answer is in the fleet with its failure. */
export async function readContext(inventory: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<OpsContext> {
  const stateDir = stateDirFor(env, homedir());
  const [fleet, histories] = await Promise.all([readFleet({ inventory, timeoutMs, env }), readAllHistory(stateDir)]);
  for (const n of fleet) if (n.failure) n.failure.hint = n.failure.hint.replace('INVENTORY', inventory);
  const latest = histories.flatMap((h) => {
    const last = h.versions.at(-1);
    return last && !last.removed ? [last] : [];
  });
  return {
    inventory,
    stateDir,
    fleet,
    histories,
    latest,
    known: knownServices(
      latest,
      fleet.map((n) => n.desired),
    ),
    notes: unreachableNotes(fleet),
  };
}

/** Pure: damaged history files, as warnings. */
export function historyWarnings(histories: StackHistory[]): string[] {
  return histories.flatMap((h) => h.damaged.map((d) => `[WARNING]: history of ${h.stack}: ${d.file} skipped: ${d.error}`));
}

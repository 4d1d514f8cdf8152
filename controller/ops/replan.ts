/**
 * Re-planning recorded stacks onto the fleet as deploy does: the same snapshot, current, one pure tick, the
 * same changes, steps and files, then the same apply (controller/deploy/*). Scale, rollback and drain differ
 * only in the records they give. The plan is pure; applying it talks to the agents.
 */
import type { AgentPort, ApplyResult, Clock, DeployEvent } from '../deploy/apply.js';
import { applySteps } from '../deploy/apply.js';
import { httpsAgents } from '../deploy/agents.js';
import { changesOf } from '../deploy/desired.js';
import type { HeldSets } from '../deploy/edits.js';
import { recordFenced } from '../deploy/fence.js';
import { deliveries } from '../deploy/files.js';
import type { FleetNode } from '../deploy/fleet.js';
import { type HistoryRecord, stackOf } from '../deploy/history.js';
import { schedulerInput } from '../deploy/snapshot.js';
import type { SpecBook } from '../deploy/specs.js';
import { type Step, steps } from '../deploy/waves.js';
import { tick } from '../scheduler/tick.js';
import type { Plan } from '../scheduler/types.js';
import type { Stack } from '../stack/types.js';
import { recordBook } from './book.js';
import type { ServiceRef } from './services-known.js';

/** A plan over recorded stacks, ready to apply. */
export interface Replan {
  stacks: Stack[];
  book: SpecBook;
  plan: Plan;
  held: HeldSets;
  steps: Step[];
}

/** Pure: each node's held set (null: never got one; nodes that did not answer left out). */
export function heldOf(fleet: Pick<FleetNode, 'name' | 'report' | 'desired'>[]): HeldSets {
  const held: HeldSets = new Map();
  for (const n of fleet) if (n.report && n.desired !== undefined) held.set(n.name, n.desired);
  return held;
}

/**
 * Pure: the plan of `records` over the fleet; the services in `rollingBack` are applied with their
 * rollback_config (`rollbackConfigs`: the config of the version rolled back from) instead of update_config;
 * `allowMove` (`stack_service`) lets replicas pinned by their volume start elsewhere, as deploy's --move.
 */
export function replan(
  records: HistoryRecord[],
  fleet: FleetNode[],
  rollingBack: { ref: ServiceRef; config: Stack['services'][number]['deploy']['rollback'] }[] = [],
  allowMove: string[] = [],
): Replan {
  const stacks = records.map(stackOf);
  const book = recordBook(records);
  const { snapshot, current } = schedulerInput(fleet);
  const plan = tick(stacks, snapshot, current, { specHash: book.hash8, allowMove });
  const held = heldOf(fleet);
  // waves read update_config: a rollback is ordered by the rollback_config instead
  const ordered = stacks.map((s) => ({
    ...s,
    services: s.services.map((svc) => {
      const rb = rollingBack.find((r) => r.ref.stack === s.name && r.ref.service === svc.name);
      return rb ? { ...svc, deploy: { ...svc.deploy, update: rb.config } } : svc;
    }),
  }));
  return { stacks: ordered, book, plan, held, steps: steps(changesOf(plan, held, book.spec), ordered) };
}

/** Applies a replan's steps through the agents of `fleet` (or `agents`), fencing what it takes from nodes away; never throws for an agent's failure. */
export async function applyReplan(
  r: Replan,
  fleet: FleetNode[],
  timeoutMs: number,
  clock: Clock,
  emit: (e: DeployEvent) => void,
  agents: AgentPort = httpsAgents(fleet, 10_000),
  stop?: () => string | undefined,
): Promise<ApplyResult> {
  const stateDir = fleet.find((n) => n.stateDir)?.stateDir;
  if (stateDir) await recordFenced(stateDir, r.plan, fleet);
  const wanted = r.plan.assignments.map((a) => ({ stack: a.stack, service: a.service, node: a.node, name: r.book.spec(a).name }));
  return applySteps({ steps: r.steps, held: r.held, wanted, stacks: r.stacks, files: deliveries(r.steps, r.stacks), timeoutMs, stop }, agents, clock, emit);
}

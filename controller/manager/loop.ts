import type { AgentPort, ApplyResult, DeployEvent } from '../deploy/apply.js';
import { applySteps } from '../deploy/apply.js';
import type { HeldSets } from '../deploy/edits.js';
import type { FleetNode } from '../deploy/fleet.js';
import { type HistoryOp, type HistoryRecord, readAllHistory, type StackHistory } from '../deploy/history.js';
import { slotLabel } from '../deploy/names.js';
import { removalStep } from '../ops/rm.js';
import { applyReplan, heldOf, type Replan, replan } from '../ops/replan.js';
import { changesOf } from '../deploy/desired.js';
import { schedulerInput } from '../deploy/snapshot.js';
import { steps } from '../deploy/waves.js';
import { rebalanceMove } from './rebalance.js';
import type { ManagerOptions } from './options.js';
import { watchedAgents } from './change-agents.js';
import { lostFrom, newPending } from './plan-events.js';
import type { Plan } from '../scheduler/types.js';
import type { UpdateConfig } from '../stack/types.js';
import { EventLog } from './event-log.js';
import type { FleetWatch } from './watch.js';
import { DOWN_AFTER_MS } from './health.js';
import { fleetNow } from './picture.js';
import { liveRecords } from './reads.js';

const realClock = { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

/** A failed change is tried again after this long, unless the fleet changes first. */
const RETRY_MS = 5000;

/**
 * A change in reports alone (usage, a baseline, a container's state: the agents restart their own containers)
 * is planned again within this long. A node down or back, a set written, a new version or the end of a change
 * are planned at the next round. At 1,000 nodes some report changes every second: planning each time was
 * most of the manager's garbage.
 */
const REPORTS_REPLAN_MS = 3000;

/** The loop of `muster serve` (manager.ts is the whole manager). */
export abstract class ManagerLoop {
  readonly events = new EventLog();
  protected readonly clock: { now(): number; sleep(ms: number): Promise<void> };
  protected readonly pollMs: number;
  protected readonly pollTimeoutMs: number;
  protected readonly downAfterMs: number;
  protected readonly changeTimeoutMs: number;
  protected readonly log: (line: string) => void;
  protected stateDir = '';
  protected watch!: FleetWatch;
  /** set when anything the plan reads changed since the last replan (a quiet fleet is not planned every second) */
  protected dirty = true;
  /** set when a report changed and nothing else: planned again within REPORTS_REPLAN_MS, not at once */
  protected reportsChanged = false;
  protected replannedAt = 0;
  protected histories: StackHistory[] = [];
  protected change: Promise<void> | undefined;
  protected rollingBack: { stack: string; service: string; config: UpdateConfig }[] = [];
  protected allowMove: string[] = [];
  protected lastPlan: Plan | undefined;
  protected pendingShown = new Set<string>();
  protected retryAt = 0;
  protected stopped = false;
  /** armed when a node comes back or joins; moves one replica per round while that evens the fleet out */
  protected rebalancing = false;
  /** versions asked for through the API and not applied yet, by stack (their deploy event ends when applied) */
  protected readonly asked = new Map<string, { version: number; op: HistoryOp }>();
  /** set when a node goes down or comes back during a change: the change stops and the next round replans */
  protected halt: string | undefined;
  protected readonly counters = { ticks: 0, tickMs: 0, failovers: 0, changes: 0, changesFailed: 0 };

  protected constructor(o: ManagerOptions) {
    this.clock = o.clock ?? realClock;
    this.pollMs = o.pollMs ?? 1000;
    this.pollTimeoutMs = o.pollTimeoutMs ?? 1000;
    this.downAfterMs = o.downAfterMs ?? DOWN_AFTER_MS;
    this.changeTimeoutMs = o.changeTimeoutMs ?? 120_000;
    this.log = o.log ?? (() => {});
  }

  /** Polls and ticks until stop(). */
  async run(): Promise<void> {
    while (!this.stopped) {
      const t0 = this.clock.now();
      await this.step();
      await this.clock.sleep(Math.max(50, this.pollMs - (this.clock.now() - t0)));
    }
    await this.change;
  }

  stop(): void {
    this.stopped = true;
    this.watch.stop();
  }

  /** One round: poll every node, then start a change if the plan has one and none is running. */
  async step(): Promise<void> {
    const changed = await this.poll();
    if (changed) this.retryAt = 0;
    const t0 = this.clock.now();
    if (this.change || t0 < this.retryAt) return;
    if (!this.dirty && !(this.reportsChanged && t0 - this.replannedAt >= REPORTS_REPLAN_MS)) return;
    this.dirty = false;
    this.reportsChanged = false;
    this.replannedAt = t0;
    const fleet = fleetNow(this.watch.nodes, this.watch.health);
    const r = replan(this.liveRecords(), fleet, this.rollbackRefs(), this.allowMove);
    this.counters.ticks++;
    this.counters.tickMs = this.clock.now() - t0;
    this.lastPlan = r.plan;
    this.notePending(r.plan);
    const removal = this.removalSteps(heldOf(fleet));
    if (!r.steps.length && !removal.length) {
      // a version that changes nothing where things run is applied as soon as it is asked for
      for (const [stack, v] of this.asked) this.events.emit({ type: 'deploy', stack, version: v.version, op: v.op, phase: 'done' }, this.clock.now());
      this.asked.clear();
      if (this.rebalancing) this.rebalance(r, fleet);
      return;
    }
    const now = this.clock.now();
    for (const a of r.plan.assignments)
      if (a.action === 'create' || a.action === 'move') {
        const from = a.from?.node ?? lostFrom(this.watch.nodes, this.watch.health, a.stack, a.service, a.slot);
        if (from) this.counters.failovers++;
        this.emitPlaced(a, from);
      }
    for (const x of r.plan.removals)
      if (fleet.find((n) => n.name === x.node)?.report)
        this.events.emit(
          { type: 'removed', stack: x.stack, service: x.service, replica: slotLabel(x.service, x.slot), node: x.node, reason: 'no longer wanted' },
          now,
        );
    this.rollingBack = [];
    this.allowMove = [];
    this.start(r, removal, fleet);
  }

  /** Runs one change in the background; the loop starts no other until it ends. */
  protected start(r: Replan, removal: ReturnType<typeof removalStep>[], fleet: FleetNode[]): void {
    this.change = this.apply(r, removal, fleet)
      .catch((e) => this.log(`change failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.change = undefined;
        this.dirty = true;
      });
  }

  protected emitPlaced(a: { stack: string; service: string; slot: number; node: string; reason: string }, from: string | undefined): void {
    this.events.emit(
      { type: 'placed', stack: a.stack, service: a.service, replica: slotLabel(a.service, a.slot), node: a.node, ...(from ? { from } : {}), reason: a.reason },
      this.clock.now(),
    );
  }

  /**
   * One rebalancing move, start-first and one at a time, while a node that joined or came back leaves the
   * fleet uneven (rebalance.ts; the tick chooses the node). Disarmed once no move helps.
   */
  protected rebalance(r: Replan, fleet: FleetNode[]): void {
    const { snapshot, current } = schedulerInput(fleet);
    const found = rebalanceMove(r.stacks, snapshot, current, { specHash: r.book.hash8 });
    if (!found) {
      this.rebalancing = false;
      return;
    }
    const { move } = found;
    const stacks = r.stacks.map((st) =>
      st.name !== move.stack
        ? st
        : {
            ...st,
            services: st.services.map((v) =>
              v.name === move.service ? { ...v, deploy: { ...v.deploy, update: { ...v.deploy.update, order: 'start-first' as const, parallelism: 1 } } } : v,
            ),
          },
    );
    const plan = found.plan;
    const rb: Replan = { ...r, stacks, plan, steps: steps(changesOf(plan, r.held, r.book.spec), stacks) };
    this.lastPlan = plan;
    this.emitPlaced(move, move.from.node);
    this.start(rb, [], fleet);
  }

  /** Resolves when no change is running (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.change) await this.change;
  }

  protected async apply(r: Replan, removal: ReturnType<typeof removalStep>[], fleet: FleetNode[]): Promise<void> {
    this.counters.changes++;
    this.halt = undefined;
    this.log(`change: ${[...r.steps.map((s) => s.label), ...removal.flatMap((s) => (s ? [s.label] : []))].join('; ')}`);
    const agents = this.agents(fleet);
    const emit = (e: DeployEvent) => {
      if (e.type === 'progress')
        for (const p of e.services)
          this.events.emit({ type: 'progress', stack: p.stack, service: p.service, running: p.running, wanted: p.wanted }, this.clock.now());
      if (e.type === 'failed') this.log(`failed: ${e.replica} on ${e.node}: ${e.reason}`);
    };
    let result: ApplyResult | undefined;
    if (r.steps.length) result = await applyReplan(r, fleet, this.changeTimeoutMs, this.clock, emit, agents, () => this.halt);
    for (const step of removal) {
      if (!step) continue;
      const held: HeldSets = heldOf(this.watch.nodes);
      const done = await applySteps(
        { steps: [step], held, wanted: [], stacks: [], files: [], timeoutMs: this.changeTimeoutMs, stop: () => this.halt },
        agents,
        this.clock,
        emit,
      );
      if (done.code !== 0) result = done;
    }
    if (result?.stoppedAt && this.halt) {
      this.log(`change stopped at ${result.stoppedAt}: replanning`);
      return;
    }
    const failed = result !== undefined && result.code !== 0;
    const why = result?.failures.map((f) => `${f.replica}: ${f.reason}`).join('; ') || 'an agent did not answer';
    if (result && failed) {
      this.counters.changesFailed++;
      this.retryAt = this.clock.now() + RETRY_MS;
      this.log(`change stopped${result.stoppedAt ? ` at ${result.stoppedAt}` : ''}: ${why}`);
    }
    // the versions asked for through the API end here: done, or failed with the reason (the loop retries)
    const touched = new Set([
      ...r.plan.assignments.map((a) => a.stack),
      ...removal.flatMap((x) => (x ? x.edits.map((e) => ('add' in e ? e.add : e.remove).stack) : [])),
    ]);
    for (const [stack, v] of this.asked)
      if (touched.has(stack)) {
        this.asked.delete(stack);
        this.events.emit(
          { type: 'deploy', stack, version: v.version, op: v.op, phase: failed ? 'failed' : 'done', ...(failed ? { message: why } : {}) },
          this.clock.now(),
        );
      }
  }

  /** The AgentPort of the apply (change-agents.ts): a set an agent takes marks the plan's input changed. */
  protected agents(fleet: FleetNode[]): AgentPort {
    return watchedAgents(fleet, this.watch, {
      written: () => {
        this.dirty = true;
      },
      reread: (node) => this.reread(node),
    });
  }

  /** Reads a node again; what it said is planned at the next round. */
  protected async reread(name: string): Promise<void> {
    if (await this.watch.reread(name)) this.dirty = true;
  }

  /** Polls every node (watch.ts); true when one went down or came back. */
  protected async poll(): Promise<boolean> {
    const round = await this.watch.poll();
    if (round.moved) this.dirty = true;
    if (round.reportsChanged) this.reportsChanged = true;
    if (round.joined) this.rebalancing = true;
    const now = this.clock.now();
    for (const c of round.changes) {
      if (this.change) this.halt = `${c.name} went ${c.change}`;
      if (c.change === 'down') {
        this.events.emit({ type: 'node-down', node: c.name, reason: c.error ?? 'no answer' }, now);
        this.log(`${c.name} is down: ${c.error ?? 'no answer'}`);
      } else {
        this.events.emit({ type: 'node-up', node: c.name }, now);
        this.log(`${c.name} is up again`);
      }
    }
    return round.changes.length > 0;
  }

  /** Emits `pending` for unplaced replicas once each (again when the reason changes). */
  protected notePending(plan: Plan): void {
    const now = this.clock.now();
    const { events, shown } = newPending(plan, this.pendingShown);
    for (const e of events) this.events.emit(e, now);
    this.pendingShown = shown;
  }

  protected async readHistory(): Promise<void> {
    this.histories = await readAllHistory(this.stateDir);
    this.dirty = true;
  }

  /** Each stack's latest version that is not removed. */
  protected liveRecords(): HistoryRecord[] {
    return liveRecords(this.histories);
  }
  /** The removal step of each removed stack whose containers some node still holds. */
  protected removalSteps(held: HeldSets): ReturnType<typeof removalStep>[] {
    return this.histories.filter((h) => h.versions.at(-1)?.removed).map((h) => removalStep(held, h.stack));
  }

  protected rollbackRefs() {
    return this.rollingBack.map((r) => ({ ref: { stack: r.stack, service: r.service }, config: r.config }));
  }
}

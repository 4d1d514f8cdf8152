/**
 * The manager (`muster serve`): it holds the stacks deployed to it (the controller's history), polls every
 * agent each second, and loops the same replan (one pure tick) that deploy, scale and drain run once. A node
 * that stops answering is down after DOWN_AFTER_MS; the next tick places its stateless replicas elsewhere
 * (the fence keeps its old copies from coming back); a replica with a named volume waits for it. One change
 * is applied at a time, with the deploy's apply (update_config, monitor, rollback). Everything it knows is
 * read back from the agents and the state directory at start: a `kill -9` loses nothing.
 */
import { setAvailability as postAvailability } from '../fleet/agent-client.js';
import { planFleet } from '../deploy/fleet.js';
import { appendVersion, type HistoryOp, type HistoryRecord, recordOf, stackOf } from '../deploy/history.js';
import { MusterError } from '../../shared/errors.js';
import type { Availability } from '../../shared/wire.js';
import { chooseRollback } from '../ops/rollback.js';
import { scaledRecords } from '../ops/scale.js';
import { FleetWatch } from './watch.js';
import { replicaLogs } from './replica-logs.js';
import { managerMetrics } from './metrics.js';
import { type ManagerState, nodeOf, nodesOf, psOf, serviceOf, servicesOf } from './reads.js';
import type { ActionResult, DeployRequest, LogLine, ManagedNode, ManagerView, NodeDetail, ServiceDetail } from './view.js';

import { ManagerLoop } from './loop.js';
import type { ManagerOptions } from './options.js';

export type { ManagerOptions } from './options.js';

export class Manager extends ManagerLoop implements ManagerView {
  private constructor(o: ManagerOptions) {
    super(o);
  }

  /** Reads the inventory, the history and every agent; bad inventory values are errors. */
  static async open(o: ManagerOptions): Promise<Manager> {
    const m = new Manager(o);
    const fleet = await planFleet({ inventory: o.inventory, timeoutMs: m.pollTimeoutMs, env: o.env });
    m.stateDir = fleet.stateDir;
    m.watch = await FleetWatch.open(fleet, {
      pollMs: m.pollMs,
      pollTimeoutMs: m.pollTimeoutMs,
      downAfterMs: m.downAfterMs,
      clock: m.clock,
      log: m.log,
      ...(o.heartbeats ? { heartbeats: o.heartbeats } : {}),
      ...(o.refreshMinMs ? { refreshMinMs: o.refreshMinMs } : {}),
    });
    await m.readHistory();
    return m;
  }

  /** What the manager knows of heartbeats (for /metrics and the tests). */
  get beats() {
    return this.watch.beats;
  }

  // --- reads (ManagerView): reads.ts over what the manager holds now ---

  private state(): ManagerState {
    return { nodes: this.watch.nodes, health: this.watch.health, histories: this.histories, plan: this.lastPlan, events: this.events, nowMs: this.clock.now() };
  }

  nodes(): ManagedNode[] {
    return nodesOf(this.state());
  }

  node(name: string): NodeDetail | undefined {
    return nodeOf(this.state(), name);
  }

  services() {
    return servicesOf(this.state());
  }

  service(stack: string, service: string): ServiceDetail | undefined {
    return serviceOf(this.state(), stack, service);
  }

  ps(filter: { stack?: string; service?: string } = {}) {
    return psOf(this.state(), filter);
  }

  metrics(): string {
    return managerMetrics({
      nodes: this.nodes(),
      services: this.services(),
      unplaced: this.lastPlan?.unplaced ?? [],
      ...this.counters,
      events: this.events.count,
      heartbeats: this.beats.counts,
    });
  }

  async logs(stack: string, service: string, tail: number): Promise<LogLine[] | ActionResult> {
    if (!this.services().some((s) => s.stack === stack && s.service === service)) return notFound(`${stack}_${service}`);
    return replicaLogs(this.ps({ stack, service }), (node) => this.watch.node(node)?.target, tail);
  }

  // --- actions (ManagerView): recorded at once, applied by the loop ---

  /** Records a stack's new version (the loop applies it; its deploy event ends then): its number. */
  private async accept(stack: string, record: HistoryRecord, op: HistoryOp, message?: string): Promise<number> {
    const version = await appendVersion(this.stateDir, record);
    await this.readHistory();
    this.retryAt = 0;
    this.asked.set(stack, { version, op });
    this.events.emit({ type: 'deploy', stack, version, op, phase: 'started', ...(message ? { message } : {}) }, this.clock.now());
    return version;
  }

  async deploy(req: DeployRequest): Promise<ActionResult> {
    const stack = stackOf({ model: req.stack } as HistoryRecord);
    const record = recordOf({ stack, file: req.file, options: {}, op: 'deploy', at: new Date(this.clock.now()).toISOString() });
    const version = await this.accept(stack.name, record, 'deploy');
    this.allowMove = [...new Set([...this.allowMove, ...(req.move ?? [])])];
    return { ok: true, message: `stack ${stack.name} version ${version} accepted`, version };
  }

  async remove(stack: string): Promise<ActionResult> {
    const latest = this.liveRecords().find((r) => r.stack === stack);
    if (!latest) return notFound(`stack ${stack}`);
    const version = await this.accept(stack, { ...latest, op: 'remove', removed: true, at: new Date(this.clock.now()).toISOString() }, 'remove');
    return { ok: true, message: `stack ${stack} removed (version ${version})`, version };
  }

  async scale(stack: string, service: string, replicas: number): Promise<ActionResult> {
    const latest = this.liveRecords();
    const rec = latest.find((r) => r.stack === stack);
    if (!rec?.byService[service]) return notFound(`${stack}_${service}`);
    if (rec.byService[service].deploy.mode === 'global')
      return {
        ok: false,
        status: 409,
        code: 'E_GLOBAL',
        message: `${stack}_${service} is global: one replica per eligible node`,
        hint: 'scale a replicated service',
      };
    const [next] = scaledRecords([rec], [{ ref: { stack, service }, replicas }], new Date(this.clock.now()).toISOString());
    const version = await this.accept(stack, next, 'scale', `${service}=${replicas}`);
    return { ok: true, message: `${stack}_${service} scaled to ${replicas} (version ${version})`, version };
  }

  async rollback(stack: string, service: string): Promise<ActionResult> {
    const versions = this.histories.find((h) => h.stack === stack)?.versions ?? [];
    const running = this.watch.nodes.flatMap((n) =>
      (n.desired?.containers ?? []).filter((c) => c.stack === stack && c.service === service).map((c) => c.name.slice(-8)),
    );
    let choice: ReturnType<typeof chooseRollback>;
    try {
      choice = chooseRollback(versions, { stack, service }, running, new Date(this.clock.now()).toISOString());
    } catch (e) {
      if (e instanceof MusterError) return { ok: false, status: 409, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
      throw e;
    }
    const version = await this.accept(stack, choice.record, 'rollback', `${service} back to version ${choice.to}`);
    this.rollingBack.push({ stack, service, config: choice.config });
    return { ok: true, message: `${stack}_${service} rolls back to version ${choice.to} (version ${version})`, version };
  }

  async setAvailability(node: string, availability: Availability): Promise<ActionResult> {
    const n = this.watch.nodes.find((x) => x.name === node);
    if (!n) return notFound(`node ${node}`);
    if (!n.target) return { ok: false, status: 503, code: 'E_NO_CREDENTIALS', message: `no credentials for ${node}`, hint: n.failure?.hint };
    const r = await postAvailability(n.target, availability, 10_000);
    if (!r.ok) return { ok: false, status: 503, code: 'E_AGENT', message: `${node}: ${r.message}`, hint: r.hint };
    await this.reread(node);
    this.retryAt = 0;
    this.events.emit({ type: 'availability', node, availability }, this.clock.now());
    return { ok: true, message: `${node} is ${availability}` };
  }

  /** For tests and the bench: counters and the last plan. */
  get figures() {
    return { ...this.counters, lastPlan: this.lastPlan };
  }
}

function notFound(what: string): ActionResult {
  return { ok: false, status: 404, code: 'E_NOT_FOUND', message: `no ${what} in this manager`, hint: 'GET /v1/services lists what it holds' };
}

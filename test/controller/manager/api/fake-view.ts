/**
 * A ManagerView that keeps a small fleet in memory and changes it the way the manager would, so the API and
 * the dashboard can be tested without agents: draining a node moves its replicas to other nodes, scaling
 * adds or removes replicas, and each change appends the events the real manager would stream.
 */
import type { NodeRowOk } from '../../../../controller/fleet/nodes-view.js';
import type { PsRow } from '../../../../controller/ops/ps.js';
import type { ServiceRow } from '../../../../controller/ops/services.js';
import type {
  ActionResult,
  DeployRequest,
  EventFeed,
  LogLine,
  ManagedNode,
  ManagerView,
  NodeDetail,
  ServiceDetail,
} from '../../../../controller/manager/view.js';
import type { Availability } from '../../../../shared/wire.js';
import { DEFAULT_NODES, FakeFeed, type FakeNodeSpec, type FakeService, fakeMetrics, GiB, MiB, nodeRow, psRow, serviceRow } from './fake-fleet.js';

export { DEFAULT_NODES, FakeFeed, type FakeNodeSpec, FIX } from './fake-fleet.js';

/** What the fake was asked, in order (`scale shop/web 4`, ...). */
export type Call = string;

/** The fake manager. */
export class FakeView implements ManagerView {
  readonly feed: FakeFeed;
  readonly events: EventFeed;
  readonly calls: Call[] = [];
  /** the next action answers this instead of acting (then it is cleared) */
  refuseNext?: ActionResult;
  private readonly managed = new Map<string, ManagedNode>();
  private readonly specs = new Map<string, FakeNodeSpec>();
  private readonly services_ = new Map<string, FakeService>();
  private replicas: PsRow[] = [];

  constructor(
    nodes: FakeNodeSpec[] = DEFAULT_NODES,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.feed = new FakeFeed(clock);
    this.events = this.feed;
    const at = clock().toISOString();
    for (const s of nodes) {
      this.specs.set(s.name, s);
      this.managed.set(s.name, { row: nodeRow(s), state: 'up', since: at, lastSeen: at, availability: 'active', labels: { arch: s.arch }, role: 'worker' });
    }
    this.addService('shop', 'web', 3, 'nginx:1.27', 64 * MiB, 2);
    this.addService('shop', 'api', 2, 'registry.local/shop-api:2.1', 128 * MiB, 2);
    for (const s of this.services_.values()) s.versions.unshift({ version: 1, at, op: 'deploy' });
    // a service no node can take: its replica is pending, with why
    const big: FakeService = {
      stack: 'shop',
      service: 'report',
      wanted: 1,
      image: 'registry.local/report:1',
      memoryReservation: 32 * GiB,
      versions: [],
      rollout: 'completed',
    };
    big.versions.push({ version: 1, at, op: 'deploy' });
    this.services_.set('shop/report', big);
    this.replicas.push(psRow(big, 1, '-', 'pending', 'no suitable node (insufficient memory on 3 nodes)'));
  }

  // ----- what the tests do to the fleet -----

  /** The node stops answering. */
  markDown(node: string, reason = 'missed 3 heartbeats'): void {
    const n = this.mustNode(node);
    n.state = 'down';
    n.since = this.clock().toISOString();
    for (const r of this.replicas) if (r.node === node) Object.assign(r, { current: 'unknown', why: `${node} is down: ${reason}` });
    this.feed.emit({ type: 'node-down', node, reason });
  }

  /** The node answers again. */
  markUp(node: string): void {
    const n = this.mustNode(node);
    n.state = 'up';
    n.since = this.clock().toISOString();
    n.lastSeen = n.since;
    for (const r of this.replicas) if (r.node === node) Object.assign(r, { current: 'running', why: `placed on ${node}` });
    this.feed.emit({ type: 'node-up', node });
  }

  /** Replicas of a service on each node: `{nuc1: 2, nuc2: 1}`. */
  where(stack: string, service: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.replicas) if (r.stack === stack && r.service === service) out[r.node] = (out[r.node] ?? 0) + 1;
    return out;
  }

  // ----- ManagerView -----

  nodes(): ManagedNode[] {
    return [...this.managed.keys()].map((n) => this.fresh(n));
  }

  node(name: string): NodeDetail | undefined {
    if (!this.managed.has(name)) return undefined;
    return { node: this.fresh(name), replicas: this.replicas.filter((r) => r.node === name) };
  }

  services(): ServiceRow[] {
    return [...this.services_.values()].map((s) => this.serviceRow(s));
  }

  service(stack: string, service: string): ServiceDetail | undefined {
    const s = this.services_.get(`${stack}/${service}`);
    if (!s) return undefined;
    return {
      service: this.serviceRow(s),
      replicas: this.ps({ stack, service }),
      versions: s.versions,
      events: this.feed.all.filter((e) => 'service' in e && e.stack === stack && e.service === service).slice(-20),
      rollout: s.rollout,
    };
  }

  ps(filter?: { stack?: string; service?: string }): PsRow[] {
    return this.replicas.filter((r) => (!filter?.stack || r.stack === filter.stack) && (!filter?.service || r.service === filter.service));
  }

  async logs(stack: string, service: string, tail: number): Promise<LogLine[] | ActionResult> {
    this.calls.push(`logs ${stack}/${service} ${tail}`);
    if (!this.services_.has(`${stack}/${service}`)) return { ok: false, status: 404, code: 'E_NO_SERVICE', message: `no service ${stack}/${service}` };
    return this.ps({ stack, service }).flatMap((r) =>
      Array.from({ length: Math.min(tail, 3) }, (_, i) => ({
        replica: r.replica,
        node: r.node,
        stream: 'stdout' as const,
        text: `${r.replica} line ${i + 1}`,
      })),
    );
  }

  async deploy(req: DeployRequest): Promise<ActionResult> {
    this.calls.push(`deploy ${req.stack.name} ${req.file}`);
    const refused = this.refused();
    if (refused) return refused;
    const version = 1 + Math.max(0, ...[...this.services_.values()].filter((s) => s.stack === req.stack.name).flatMap((s) => s.versions.map((v) => v.version)));
    for (const svc of req.stack.services) {
      const replicas = (svc as { deploy?: { replicas?: number } }).deploy?.replicas ?? 1;
      this.addService(req.stack.name, svc.name, replicas, 'example:1', 32 * MiB, version);
    }
    this.feed.emit({ type: 'deploy', stack: req.stack.name, version, op: 'deploy', phase: 'started' });
    return { ok: true, message: `deploying ${req.stack.name} version ${version}`, version };
  }

  async remove(stack: string): Promise<ActionResult> {
    this.calls.push(`remove ${stack}`);
    const refused = this.refused();
    if (refused) return refused;
    const gone = [...this.services_.values()].filter((s) => s.stack === stack);
    if (gone.length === 0) return { ok: false, status: 404, code: 'E_NO_STACK', message: `no stack "${stack}"`, hint: 'GET /v1/services lists them' };
    for (const s of gone) {
      for (const r of this.ps({ stack, service: s.service })) this.removeReplica(r, 'the stack was removed');
      this.services_.delete(`${stack}/${s.service}`);
    }
    return { ok: true, message: `removing ${stack}` };
  }

  async scale(stack: string, service: string, replicas: number): Promise<ActionResult> {
    this.calls.push(`scale ${stack}/${service} ${replicas}`);
    const refused = this.refused();
    if (refused) return refused;
    const s = this.services_.get(`${stack}/${service}`);
    if (!s) return { ok: false, status: 404, code: 'E_NO_SERVICE', message: `no service ${stack}/${service}` };
    s.wanted = replicas;
    const have = this.ps({ stack, service }).sort((a, b) => a.slot - b.slot);
    for (const r of have.slice(replicas)) this.removeReplica(r, `scaled to ${replicas}`);
    for (let slot = have.length + 1; slot <= replicas; slot++) this.place(s, slot, 'scaled up');
    this.progress(s);
    return { ok: true, message: `scaling ${stack}/${service} to ${replicas}` };
  }

  async rollback(stack: string, service: string): Promise<ActionResult> {
    this.calls.push(`rollback ${stack}/${service}`);
    const refused = this.refused();
    if (refused) return refused;
    const s = this.services_.get(`${stack}/${service}`);
    if (!s) return { ok: false, status: 404, code: 'E_NO_SERVICE', message: `no service ${stack}/${service}` };
    if (s.versions.length < 2)
      return { ok: false, status: 409, code: 'E_NO_PREVIOUS', message: `${stack}/${service} has no earlier version`, hint: 'deploy one first' };
    const version = s.versions[s.versions.length - 1].version + 1;
    s.versions.push({ version, at: this.clock().toISOString(), op: 'rollback', services: [service] });
    s.rollout = 'completed';
    this.feed.emit({ type: 'deploy', stack, version, op: 'rollback', phase: 'done' });
    return { ok: true, message: `rolling ${stack}/${service} back`, version };
  }

  async setAvailability(node: string, availability: Availability): Promise<ActionResult> {
    this.calls.push(`availability ${node} ${availability}`);
    const refused = this.refused();
    if (refused) return refused;
    const n = this.managed.get(node);
    if (!n) return { ok: false, status: 404, code: 'E_NO_NODE', message: `no node "${node}"` };
    n.availability = availability;
    this.feed.emit({ type: 'availability', node, availability });
    if (availability === 'drain') {
      for (const r of this.replicas.filter((x) => x.node === node)) {
        const s = this.services_.get(`${r.stack}/${r.service}`)!;
        this.removeReplica(r, `${node} is draining`);
        this.place(s, r.slot, `moved off ${node} (drain)`, node);
      }
    }
    return { ok: true, message: `${node} is now ${availability}` };
  }

  metrics(): string {
    return fakeMetrics(this.nodes(), this.replicas);
  }

  // ----- inside -----

  private refused(): ActionResult | undefined {
    const r = this.refuseNext;
    this.refuseNext = undefined;
    return r;
  }

  private mustNode(name: string): ManagedNode {
    const n = this.managed.get(name);
    if (!n) throw new Error(`the fake has no node ${name}`);
    return n;
  }

  // The node's row with its containers and memory counted from the replicas it holds now.
  private fresh(name: string): ManagedNode {
    const n = this.managed.get(name)!;
    if (n.row.status !== 'ok') return structuredClone(n);
    const held = this.replicas.filter((r) => r.node === name);
    const reserved = held.reduce((sum, r) => sum + (this.services_.get(`${r.stack}/${r.service}`)?.memoryReservation ?? 0), 0);
    const row: NodeRowOk = {
      ...n.row,
      memory: { ...n.row.memory, reservedBytes: reserved, usedBytes: Math.round(reserved * 0.6) },
      containersRunning: held.filter((r) => r.current === 'running').length,
    };
    return { ...structuredClone(n), row };
  }

  private serviceRow(s: FakeService): ServiceRow {
    return serviceRow(s, this.ps({ stack: s.stack, service: s.service }));
  }

  private addService(stack: string, service: string, wanted: number, image: string, memoryReservation: number, version = 1): void {
    const s: FakeService = {
      stack,
      service,
      wanted,
      image,
      memoryReservation,
      versions: [{ version, at: this.clock().toISOString(), op: 'deploy' }],
      rollout: 'completed',
    };
    this.services_.set(`${stack}/${service}`, s);
    for (let slot = 1; slot <= wanted; slot++) this.place(s, slot, 'deployed');
  }

  // The node with the fewest replicas among those up and active (not `avoid`), by name on a tie.
  private pick(avoid?: string): string | undefined {
    const candidates = [...this.managed.values()].filter((n) => n.state === 'up' && n.availability === 'active' && n.row.node !== avoid);
    const load = (name: string) => this.replicas.filter((r) => r.node === name).length;
    return candidates.map((n) => n.row.node).sort((a, b) => load(a) - load(b) || a.localeCompare(b))[0];
  }

  private place(s: FakeService, slot: number, reason: string, from?: string): void {
    const node = this.pick(from);
    const replica = `${s.service}.${slot}`;
    if (node === undefined) {
      const why = 'no suitable node (no node is up and active)';
      this.replicas.push(psRow(s, slot, '-', 'pending', why));
      this.feed.emit({ type: 'pending', stack: s.stack, service: s.service, replica, reason: why });
      return;
    }
    this.replicas.push(psRow(s, slot, node, 'running', `${reason}: the least loaded node that fits`));
    this.feed.emit({ type: 'placed', stack: s.stack, service: s.service, replica, node, ...(from ? { from } : {}), reason });
  }

  private removeReplica(r: PsRow, reason: string): void {
    this.replicas = this.replicas.filter((x) => x !== r);
    if (r.node !== '-') this.feed.emit({ type: 'removed', stack: r.stack, service: r.service, replica: r.replica, node: r.node, reason });
  }

  private progress(s: FakeService): void {
    const running = this.ps({ stack: s.stack, service: s.service }).filter((r) => r.current === 'running').length;
    this.feed.emit({ type: 'progress', stack: s.stack, service: s.service, running, wanted: s.wanted });
  }
}

/**
 * What each node has given out during one tick, kept incrementally so that a placement costs O(1) to record
 * and a node's usage O(1) to read: reservations, bound host ports, replicas per service. Pure data.
 */
import type { Usage } from './filters/filter.js';
import type { NodeView } from './types.js';

/** The running totals of one tick, by node index (nodes sorted by name). */
export class Ledger {
  readonly nodes: NodeView[];
  readonly index = new Map<string, number>();
  readonly memory: Float64Array;
  readonly cpus: Float64Array;
  readonly ports: Set<string>[];
  /** replicas per node, by `stack_service`: sparse (node index -> count) */
  private readonly counts = new Map<string, Map<number, number>>();
  /** the counts of one service as a dense column, for the placement loop (see countsOf) */
  private readonly dense: number[];
  private denseKey: string | undefined;
  private readonly scratch = { memoryBytes: 0, cpus: 0, ports: new Set<string>() as ReadonlySet<string>, replicas: 0 };

  constructor(nodes: NodeView[]) {
    this.nodes = nodes;
    for (let i = 0; i < nodes.length; i++) this.index.set(nodes[i].name, i);
    this.memory = new Float64Array(nodes.length);
    this.cpus = new Float64Array(nodes.length);
    this.ports = nodes.map((n) => new Set(n.portsInUse.map((p) => `${p.port}/${p.protocol}`)));
    this.dense = new Array<number>(nodes.length).fill(0);
  }

  /**
   * The replica counts of service `key` by node index, kept current by add. One column is shared by all
   * services: it is valid until countsOf is called with another key.
   */
  countsOf(key: string): readonly number[] {
    if (this.denseKey !== key) {
      if (this.denseKey !== undefined) for (const i of this.counts.get(this.denseKey)?.keys() ?? []) this.dense[i] = 0;
      this.denseKey = key;
      for (const [i, n] of this.counts.get(key) ?? []) this.dense[i] = n;
    }
    return this.dense;
  }

  /** Replicas of service `key` on node i. */
  count(i: number, key: string): number {
    return this.counts.get(key)?.get(i) ?? 0;
  }

  /** Records a replica on node i. */
  add(i: number, key: string, memoryBytes: number, cpus: number, ports: readonly string[]): void {
    this.memory[i] += memoryBytes;
    this.cpus[i] += cpus;
    for (const p of ports) this.ports[i].add(p);
    let c = this.counts.get(key);
    if (!c) this.counts.set(key, (c = new Map()));
    c.set(i, (c.get(i) ?? 0) + 1);
    if (key === this.denseKey) this.dense[i]++;
  }

  /** Node i's usage as the filters read it, for the service `key`. */
  usage(i: number, key: string): Usage {
    return { memoryBytes: this.memory[i], cpus: this.cpus[i], ports: this.ports[i], replicas: this.count(i, key) };
  }

  /** Like usage, in one shared object valid until the next call: for hot loops that only pass it to filters. */
  peek(i: number, counts: readonly number[]): Usage {
    const u = this.scratch;
    u.memoryBytes = this.memory[i];
    u.cpus = this.cpus[i];
    u.ports = this.ports[i];
    u.replicas = counts[i];
    return u;
  }
}

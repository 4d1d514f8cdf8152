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
  /** replicas per node, by `stack_service` */
  private readonly counts = new Map<string, Int32Array>();

  constructor(nodes: NodeView[]) {
    this.nodes = nodes;
    for (let i = 0; i < nodes.length; i++) this.index.set(nodes[i].name, i);
    this.memory = new Float64Array(nodes.length);
    this.cpus = new Float64Array(nodes.length);
    this.ports = nodes.map((n) => new Set(n.portsInUse.map((p) => `${p.port}/${p.protocol}`)));
  }

  /** The per-node replica counts of a service (shared, updated in place by add). */
  countsOf(key: string): Int32Array {
    let c = this.counts.get(key);
    if (!c) this.counts.set(key, (c = new Int32Array(this.nodes.length)));
    return c;
  }

  /** Records a replica on node i. */
  add(i: number, key: string, memoryBytes: number, cpus: number, ports: readonly string[]): void {
    this.memory[i] += memoryBytes;
    this.cpus[i] += cpus;
    for (const p of ports) this.ports[i].add(p);
    this.countsOf(key)[i]++;
  }

  /** Node i's usage as the filters read it, for the service `key`. */
  usage(i: number, key: string): Usage {
    return { memoryBytes: this.memory[i], cpus: this.cpus[i], ports: this.ports[i], replicas: this.counts.get(key)?.[i] ?? 0 };
  }
}

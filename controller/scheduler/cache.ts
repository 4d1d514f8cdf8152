/**
 * What one tick computes once and reuses for every service: node attributes by spread key, the nodes that
 * pass the filters reading no usage (by the few want fields they read), and one rank table.
 * Nodes do not change during a tick, so these never go stale. Pure data.
 */
import type { Filter } from './filters/filter.js';
import { NO_USAGE } from './filters/filter.js';
import { nodeAttribute } from './node-attr.js';
import { passes } from './pipeline.js';
import type { NodeView } from './types.js';
import type { Want } from './want.js';

/** Nodes grouped by their values of some spread keys: the group id of each node, and each group's values. */
export interface SpreadGroups {
  of: Int32Array;
  values: string[][];
}

/** Per-tick memo over the (sorted) nodes. */
export class TickCache {
  private readonly nodes: NodeView[];
  private readonly fixed: Filter[];
  private readonly attrs = new Map<string, string[]>();
  private readonly eligible = new Map<string, number[]>();
  private readonly spreadGroups = new Map<string, SpreadGroups>();
  /** allocatable memory and CPUs, and the same times overcommit (what resources compares with), by node */
  readonly memory: Float64Array;
  readonly cpus: Float64Array;
  readonly memoryCap: Float64Array;
  readonly cpuCap: Float64Array;
  /** the rank table, refilled for each service (never read across services) */
  readonly rank: { spread: number[][]; replicas: number[]; memoryAfter: Float64Array; cpuAfter: Float64Array; names: string[] };

  constructor(nodes: NodeView[], filters: Filter[]) {
    this.nodes = nodes;
    this.fixed = filters.filter((f) => !f.usesUsage && f.name !== 'volume-pin');
    this.memory = Float64Array.from(nodes, (n) => n.memory.allocatableBytes);
    this.cpus = Float64Array.from(nodes, (n) => n.cpus.allocatable);
    this.memoryCap = Float64Array.from(nodes, (n) => n.memory.allocatableBytes * n.overcommit);
    this.cpuCap = Float64Array.from(nodes, (n) => n.cpus.allocatable * n.overcommit);
    const empty: number[] = [];
    this.rank = {
      spread: nodes.map(() => empty),
      replicas: new Array<number>(nodes.length).fill(0),
      memoryAfter: new Float64Array(nodes.length),
      cpuAfter: new Float64Array(nodes.length),
      names: nodes.map((n) => n.name),
    };
  }

  /** Every node's value of a spread key ('' where it has none). */
  attribute(key: string): string[] {
    let a = this.attrs.get(key);
    if (!a) this.attrs.set(key, (a = this.nodes.map((n) => nodeAttribute(n, key) ?? '')));
    return a;
  }

  /** The nodes' spread groups under these spread keys (one group, id 0, without keys). */
  groupsOf(keys: string[]): SpreadGroups {
    const k = keys.join('\0');
    let g = this.spreadGroups.get(k);
    if (!g) {
      const columns = keys.map((key) => this.attribute(key));
      const ids = new Map<string, number>();
      g = { of: new Int32Array(this.nodes.length), values: [] };
      for (let i = 0; i < this.nodes.length; i++) {
        const values = columns.map((c) => c[i]);
        const vk = values.join('\0');
        let id = ids.get(vk);
        if (id === undefined) {
          ids.set(vk, (id = g.values.length));
          g.values.push(values);
        }
        g.of[i] = id;
      }
      this.spreadGroups.set(k, g);
    }
    return g;
  }

  /**
   * Indexes of the nodes a new replica of `want` may use by the usage-free filters (ready-active,
   * memory-enforced, constraints, platform): they read only the image, the memory limit and the constraints.
   */
  eligibleFor(want: Want): number[] {
    const sig = `${want.image}\0${want.memoryLimited}\0${want.constraints.map((c) => `${c.key}${c.op}${c.value}`).join('\0')}`;
    let e = this.eligible.get(sig);
    if (!e) {
      e = [];
      const probe = { ...want, existing: false, pin: undefined };
      for (let i = 0; i < this.nodes.length; i++) if (passes(this.fixed, this.nodes[i], probe, NO_USAGE)) e.push(i);
      this.eligible.set(sig, e);
    }
    return e;
  }
}

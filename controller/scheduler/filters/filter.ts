/** The shape every filter has: can this node take this replica, and if not, the phrase that says why. */
import type { NodeView } from '../types.js';
import type { Want } from '../want.js';

/** What a node has already given out (to other stacks and to replicas placed so far in this tick). */
export interface Usage {
  memoryBytes: number;
  cpus: number;
  /** host ports bound, as `80/tcp` */
  ports: ReadonlySet<string>;
  /** replicas of the service being placed */
  replicas: number;
}

/** Why a node cannot take a replica: a phrase for `no suitable node (PHRASE on 2 nodes)`, and a fix if one exists. */
export interface Rejection {
  phrase: string;
  fix?: string;
}

/** One feasibility check, as in swarmkit: a name, a check, and how its rejections read. */
export interface Filter {
  /** the key of Unplaced.rejections */
  name: string;
  /** what it checks, in a few words (for docs and --dry-run) */
  explain: string;
  /** messages name the nodes (one or two) rather than count them: problems fixed on the node itself */
  namesNodes: boolean;
  /** the answer depends on usage (placements made earlier in the tick), not only on the node and the want */
  usesUsage: boolean;
  check(node: NodeView, want: Want, usage: Usage): Rejection | undefined;
}

/** Usage of an empty node, for checks that do not read it. */
export const NO_USAGE: Usage = { memoryBytes: 0, cpus: 0, ports: new Set(), replicas: 0 };

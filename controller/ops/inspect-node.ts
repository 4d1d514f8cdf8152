/** A node as the inspect commands read it: its report and held set, or why its agent gave none. */
import type { DesiredSet, NodeReport } from '../../shared/wire.js';

/** One node of the fleet (a subset of the fleet reader's FleetNode, so tests build it by hand). */
export interface InspectNode {
  name: string;
  report?: NodeReport;
  /** null: the agent holds no set yet; undefined: it did not answer */
  desired?: DesiredSet | null;
  /** for a node that did not answer: the last set read from it (the fleet reader keeps it) */
  lastDesired?: DesiredSet;
  failure?: { message: string; hint: string };
}

/** Pure: `agent did not answer: MESSAGE; fix: HINT`. */
export function failureText(n: InspectNode): string {
  return `its agent did not answer: ${n.failure?.message ?? 'no report'}${n.failure?.hint ? `; fix: ${n.failure.hint}` : ''}`;
}

/** Pure: one line per node that did not answer, for the end of a table. */
export function unreachableNotes(nodes: InspectNode[]): string[] {
  return nodes.filter((n) => !n.report).map((n) => `${n.name}: ${failureText(n)} (its replicas are shown as unknown)`);
}

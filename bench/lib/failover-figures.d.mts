// Types for failover-figures.mjs, so TypeScript tests can import it.
import type { Summary } from './manager-figures.mjs';

export const FAILOVER_TARGET_S: number;
export const ANCHORS: { name: string; figure: string; why: string }[];

export interface FailoverRound {
  host: string;
  downS: number | null;
  replacedS: number | null;
}

export interface FailoverFigures {
  rounds: FailoverRound[];
  down: Summary | null;
  replaced: Summary | null;
  /** rounds whose replicas did not run elsewhere in time */
  missed: number;
  /** every round replaced within the target */
  met: boolean;
}

export function failoverFigures(rounds: FailoverRound[]): FailoverFigures;
export function formatFailoverTable(f: FailoverFigures): string;
export function failoverJson(o: { machine: Record<string, string>; figures: FailoverFigures }): Record<string, unknown>;

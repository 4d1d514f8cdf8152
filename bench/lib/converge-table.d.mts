// Types for converge-table.mjs, so TypeScript tests can import it.

export type WayKey = 'run' | 'swarm' | 'muster';

export interface WayFigures {
  key: WayKey;
  name: string;
  /** every round's seconds, in the order measured */
  seconds: number[];
  median: number;
  min: number;
  max: number;
  /** the median over the floor's median; null without a floor */
  ratio: number | null;
}

export const CONVERGE_TARGET: number;
export const WAYS: { key: WayKey; name: string; floor?: boolean }[];
export function median(xs: number[]): number;
export function convergeFigures(rounds: Partial<Record<WayKey, number[]>>): WayFigures[];
export function targetMet(figures: WayFigures[]): boolean | null;
export function formatConvergeTable(figures: WayFigures[], replicas: number): string;
export function convergeJson(args: { machine: Record<string, string>; replicas: number; rounds: number; figures: WayFigures[] }): {
  machine: Record<string, string>;
  replicas: number;
  rounds: number;
  ways: WayFigures[];
  target: { muster: string; met: boolean | null };
};

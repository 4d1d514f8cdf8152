// Types for compat-table.mjs, so TypeScript tests can import it.

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}
export interface UnitResult {
  /** owner/name, set by the bench */
  repo?: string;
  id: string;
  kind: string;
  ansible: { loads: boolean; lists: boolean; syntaxSeconds: number; listSeconds: number };
  muster: { loads: boolean; lists: boolean; syntaxSeconds: number; listSeconds: number };
  listIdentical: boolean | null;
  difference: { line: number; ansible: string; muster: string } | null;
  failure: { step: '--syntax-check' | '--list-tasks'; error: string; cause: string } | null;
  ansibleError?: string;
}
export interface CompatFigures {
  units: number;
  repos: number;
  reposAllLoad: number;
  ansibleLoads: number;
  ansibleLists: number;
  musterLoads: number;
  musterLists: number;
  loadsShare: number | null;
  listIdentical: number;
  listIdenticalShare: number | null;
  templates: { identical: number; total: number; share: number | null } | null;
  seconds: {
    ansibleSyntax: number;
    ansibleList: number;
    musterSyntax: number;
    musterList: number;
    ansibleSyntaxMedian: number;
    musterSyntaxMedian: number;
  };
}
export interface Cause {
  cause: string;
  count: number;
  examples: string[];
  units: string[];
}

export const COMPAT_TARGETS: { loads: number; listIdentical: number };
export function firstDifference(a: string, b: string): { line: number; ansible: string; muster: string } | null;
export function unitResult(
  unit: { id: string; kind: string },
  runs: { ansibleSyntax: Outcome; ansibleList: Outcome; musterSyntax: Outcome; musterList: Outcome },
  roots?: string[],
): UnitResult;
export function compatFigures(results: UnitResult[], templates?: { identical: number; total: number } | null): CompatFigures;
export function formatCompatTable(f: CompatFigures): string;
export function rankFailures(results: UnitResult[]): Cause[];
export function formatRanking(ranking: Cause[], top?: number): string;

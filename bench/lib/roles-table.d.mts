// Types for roles-table.mjs, so TypeScript tests can import it.
import type { Part, Snapshot } from './roles-snapshot.mjs';

export interface Difference {
  part: Part;
  key: string;
  muster: string | null;
  ansible: string | null;
}

export interface RoleRow {
  id: string;
  what: string;
  musterS: number;
  ansibleS: number;
  differences: number;
  secondChanged: number | null;
  musterError?: string | null;
  ansibleError?: string | null;
}

export function diffSnapshots(muster: Partial<Snapshot>, ansible: Partial<Snapshot>): Difference[];
export function newDifferences(before: Difference[], after: Difference[]): Difference[];
export function ratio(musterS: number, ansibleS: number): string;
export function formatRolesTable(rows: RoleRow[]): string;
export function countByPart(diffs: Difference[]): string;
export function firstError(output: string): string;

// Types for roles-snapshot.mjs, so TypeScript tests can import it.

export type Part = 'files' | 'packages' | 'passwd' | 'group' | 'enabled' | 'active' | 'sysctl';

export interface Snapshot {
  /** false when the output stopped before its end marker */
  complete: boolean;
  files: Record<string, string>;
  packages: Record<string, string>;
  passwd: Record<string, string>;
  group: Record<string, string>;
  enabled: Record<string, string>;
  active: Record<string, string>;
  sysctl: Record<string, string>;
}

export const ROOTS: string[];
export function snapshotScript(roots?: string[]): string;
export const FILE_EXCLUSIONS: [RegExp, string][];
export const SYSCTL_EXCLUSIONS: RegExp[];
export const UNIT_EXCLUSIONS: RegExp[];
export const PARTS: Part[];
export function sectionsOf(stdout: string): Record<string, string[]>;
export function parseSnapshot(stdout: string): Snapshot;

// Types for compat-units.mjs, so TypeScript tests can import it.
import type { Discovered, Unit } from './compat-discover.mjs';

export type CorpusEntry = Discovered & { repo: string; commit: string; excluded: { id: string; why: string }[] };

export interface UnitRun {
  cwd: string;
  playbook: string;
  inventory: string;
  extra: string[];
  env: Record<string, string>;
}

export function slug(repo: string): string;
export function unitSlug(id: string): string;
export function rolePlaybook(role: string): string;
export function generatedInventory(groups: string[]): string;
export function workLayout(work: string): {
  repoDir: (repo: string) => string;
  rolesPath: string;
  collectionsPath: string;
  unitDir: (id: string) => string;
  generatedInventory: (repo: string) => string;
  vaultPasswordFile: string;
};
export function unitRun(entry: Pick<CorpusEntry, 'repo' | 'base' | 'rolesPath'>, unit: Unit, work: string, env?: Record<string, string>): UnitRun;
export function commandFor(tool: 'ansible' | 'muster', mode: 'syntax-check' | 'list-tasks', run: UnitRun, root: string): string[];

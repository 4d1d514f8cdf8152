// Types for compat-discover.mjs, so TypeScript tests can import it.

export interface PlaybookUnit {
  id: string;
  kind: 'playbook';
  /** relative to the repository's base */
  playbook: string;
  /** relative to the base; null: a generated inventory */
  inventory: string | null;
  extraVars?: string[];
}
export interface RoleUnit {
  id: string;
  kind: 'role';
  /** galaxy name, or collection.role */
  role: string;
}
export type Unit = PlaybookUnit | RoleUnit;

export interface Seed {
  base?: string;
  inventory?: string;
  extraVars?: string[];
  skip?: Record<string, string>;
}

export interface Discovered {
  kind: 'role' | 'collection' | 'playbooks';
  base: string;
  copies: [string, string][];
  role?: string;
  collection?: string;
  /** ansible.cfg's roles_path, relative to the base */
  rolesPath?: string[];
  units: Unit[];
  groups: string[];
}

export function isPlaybook(text: string): boolean;
export function hostGroups(text: string): string[];
export function cfgDefault(text: string | undefined, names: string[]): string | undefined;
export function cfgInventory(text: string | undefined): string | undefined;
export function cfgRolesPath(text: string | undefined): string[];
export function exampleCopies(files: string[]): [string, string][];
export function roleName(owner: string, name: string, metaText: string | undefined): string;
export function collectionName(galaxyText: string | undefined): string | undefined;
export function discoverUnits(args: { repo: string; files: string[]; read: (path: string) => string | undefined; seed?: Seed }): Discovered;

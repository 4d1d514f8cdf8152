// Types for roles-args.mjs, so TypeScript tests can import it.

export interface RolesOptions {
  /** hosts per lab */
  hosts: number;
  /** role ids to run (in roles.json's order), or all */
  only: string[] | null;
  /** folder of git mirrors, one owner+name/repo each */
  mirrors: string;
  /** where the roles are extracted (emptied first) */
  work: string;
  /** the full differences and outputs, as JSON */
  out: string;
  /** leave both labs running */
  keep: boolean;
  /** run `npm run build` first */
  build: boolean;
  help: boolean;
}

export interface PinnedRole {
  id: string;
  what?: string;
  repo: string;
  commit: string;
  role: string;
  playbook: string;
  docker?: boolean;
  note?: string;
  vars?: Record<string, unknown>;
  /** role parameters (they outrank the role's include_vars) */
  params?: Record<string, unknown>;
}

export const rolesUsage: string;
export function parseRolesArgs(argv: string[], root: string): RolesOptions;
export function checkRoles(json: unknown, only?: string[] | null): PinnedRole[];
export function playOf(text: string): { vars: Record<string, unknown>; roles: string[]; params: Record<string, unknown> };
export function roleDir(work: string, role: { role: string }): string;
export function mirrorDir(mirrors: string, repo: string): string;

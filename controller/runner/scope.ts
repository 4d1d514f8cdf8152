/** Keywords inherited from play to block to task, resolved as the runner walks down. */
import type { Become } from '../transport/types.js';
import type { Vars } from '../modules/types.js';
import type { Condition, Inheritable } from '../playbook/types.js';

/** One `environment:` layer: a mapping, or a template rendered per host into one. Later layers win. */
export type EnvLayer = Record<string, unknown> | string;

/** What a task inherits from its play and enclosing blocks. */
export interface Scope {
  when: Condition[];
  tags: string[];
  vars: Vars[];
  /** variables that differ per host (an include's loop item), by host name, after `vars` */
  hostLayers?: Record<string, Vars>[];
  /** role parameters of the roles around, outer to inner (they outrank set_fact) */
  roleParams?: Vars[];
  /** include_role's vars around, outer to inner (over role parameters) */
  includeParams?: Vars[];
  /** role_name, role_path... of the innermost role */
  roleMagic?: Vars;
  environment: EnvLayer[];
  /** a boolean, or a template rendered per host (becomeFor) */
  becomeFlag?: boolean | string;
  becomeUser?: string;
  /** resolved per host in the runner (needs host vars); undefined = no become */
  become?: Become;
  /** each a boolean or a template rendered per host */
  ignoreErrors?: boolean | string;
  ignoreUnreachable?: boolean | string;
  noLog?: boolean | string;
  checkMode?: boolean;
  throttle?: number;
  remoteUser?: string;
  connection?: string;
}

/** The environment layers an Inheritable adds: its template first, then its mapping. */
export function envLayers(k: Pick<Inheritable, 'environment' | 'environmentTemplate'>): EnvLayer[] {
  const out: EnvLayer[] = [];
  if (k.environmentTemplate) out.push(k.environmentTemplate);
  if (Object.keys(k.environment).length) out.push(k.environment);
  return out;
}

/** The scope of a play. */
export function playScope(p: {
  become?: boolean | string;
  becomeUser?: string;
  tags: string[];
  environment: Record<string, unknown>;
  environmentTemplate?: string;
  ignoreUnreachable?: boolean | string;
  connection?: string;
}): Scope {
  return {
    when: [],
    tags: p.tags,
    vars: [],
    environment: envLayers(p),
    becomeFlag: p.become,
    becomeUser: p.becomeUser,
    ignoreUnreachable: p.ignoreUnreachable,
    connection: p.connection,
  };
}

/** The scope inside a block (or for a task): the child's keywords over the parent's. Block `when` accumulates. */
export function enter(parent: Scope, child: Inheritable, withWhen: boolean): Scope {
  return {
    when: withWhen ? [...parent.when, ...child.when] : parent.when,
    tags: [...parent.tags, ...child.tags],
    vars: Object.keys(child.vars).length ? [...parent.vars, child.vars] : parent.vars,
    hostLayers: parent.hostLayers,
    roleParams: layered(parent.roleParams, child.roleParams),
    includeParams: layered(parent.includeParams, child.includeParams),
    roleMagic: child.roleMagic ?? parent.roleMagic,
    environment: [...parent.environment, ...envLayers(child)],
    becomeFlag: child.become ?? parent.becomeFlag,
    becomeUser: child.becomeUser ?? parent.becomeUser,
    ignoreErrors: child.ignoreErrors ?? parent.ignoreErrors,
    ignoreUnreachable: child.ignoreUnreachable ?? parent.ignoreUnreachable,
    noLog: child.noLog ?? parent.noLog,
    checkMode: child.checkMode ?? parent.checkMode,
    throttle: child.throttle ?? parent.throttle,
    remoteUser: child.remoteUser ?? parent.remoteUser,
    connection: child.connection ?? parent.connection,
  };
}

// a child's non-empty layer after its parent's
function layered(parent: Vars[] | undefined, child: Vars | undefined): Vars[] | undefined {
  if (!child || Object.keys(child).length === 0) return parent;
  return [...(parent ?? []), child];
}

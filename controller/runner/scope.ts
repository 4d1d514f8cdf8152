/** Keywords inherited from play to block to task, resolved as the runner walks down. */
import type { Become } from '../transport/types.js';
import type { Vars } from '../modules/types.js';
import type { Condition, Inheritable } from '../playbook/types.js';

/** What a task inherits from its play and enclosing blocks. */
export interface Scope {
  when: Condition[];
  tags: string[];
  vars: Vars[];
  environment: Record<string, unknown>;
  becomeFlag?: boolean;
  becomeUser?: string;
  /** resolved per host in the runner (needs host vars); undefined = no become */
  become?: Become;
  ignoreErrors?: boolean;
  noLog?: boolean;
  checkMode?: boolean;
}

/** The scope of a play. */
export function playScope(p: { become?: boolean; becomeUser?: string; tags: string[]; environment: Record<string, unknown> }): Scope {
  return { when: [], tags: p.tags, vars: [], environment: p.environment, becomeFlag: p.become, becomeUser: p.becomeUser };
}

/** The scope inside a block (or for a task): the child's keywords over the parent's. Block `when` accumulates. */
export function enter(parent: Scope, child: Inheritable, withWhen: boolean): Scope {
  return {
    when: withWhen ? [...parent.when, ...child.when] : parent.when,
    tags: [...parent.tags, ...child.tags],
    vars: Object.keys(child.vars).length ? [...parent.vars, child.vars] : parent.vars,
    environment: { ...parent.environment, ...child.environment },
    becomeFlag: child.become ?? parent.becomeFlag,
    becomeUser: child.becomeUser ?? parent.becomeUser,
    ignoreErrors: child.ignoreErrors ?? parent.ignoreErrors,
    noLog: child.noLog ?? parent.noLog,
    checkMode: child.checkMode ?? parent.checkMode,
  };
}

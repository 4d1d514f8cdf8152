/** A loaded playbook: plays, blocks and tasks with their YAML positions; nothing rendered yet. */
import type { Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';

/** An expression (when, changed_when, failed_when, until) and where it was written. */
export interface Condition {
  expr: string;
  pos: Pos;
}

/** Keywords that blocks, tasks and plays share and that children inherit. */
export interface Inheritable {
  /** a boolean, or a template rendered per host */
  become?: boolean | string;
  becomeUser?: string;
  becomePassword?: undefined;
  when: Condition[];
  tags: string[];
  vars: Vars;
  environment: Record<string, unknown>;
  /** `environment: "{{ expr }}"`: rendered per host into a mapping, under the literal one */
  environmentTemplate?: string;
  /** a boolean, or a template rendered per host */
  ignoreErrors?: boolean | string;
  /** a boolean, or a template rendered per host: an unreachable host stays in the play */
  ignoreUnreachable?: boolean | string;
  /** a boolean, or a template rendered per host */
  noLog?: boolean | string;
  checkMode?: boolean;
  /** throttle: at most this many hosts run the task at once (0 or unset: --forks) */
  throttle?: number;
  /** remote_user: the SSH user for hosts whose inventory names no ansible_user */
  remoteUser?: string;
  /** connection: local runs on the controller (a host's ansible_connection wins) */
  connection?: string;
  /** on a role's tasks and blocks: the role's parameters over those of the roles it serves (precedence 20) */
  roleParams?: Vars;
  /** on include_role's tasks: the include's vars (precedence 21, over role parameters) */
  includeParams?: Vars;
  /** on a role's tasks and blocks: role_name, role_path and the other names of the role they belong to */
  roleMagic?: Vars;
}

export interface Task extends Inheritable {
  kind: 'task';
  /** shown name: `name:` or the module name */
  name: string;
  /** set when the task has no `name:`: its module as written (`ansible.builtin.copy`), which --list-tasks shows */
  action?: string;
  /** canonical module name (short form: `copy`, not `ansible.builtin.copy`) */
  module: string;
  /** raw arguments as written (after `k=v` parsing); rendered per host at run time */
  args: Record<string, unknown>;
  pos: Pos;
  loop?: unknown; // a list, or a template string producing one
  /** with_<name>: the lookup (short name) whose results, with `loop` as its terms, are the items */
  loopLookup?: string;
  loopVar: string; // loop_control.loop_var, default "item"
  loopLabel?: string; // loop_control.label
  /** with_items: flatten the rendered list one level (set only when items are templates; literal lists come flat) */
  loopFlatten?: boolean;
  /** loop_control.pause: seconds to wait between items */
  loopPause?: number;
  /** loop_control.index_var: variable holding the item's 0-based index */
  loopIndexVar?: string;
  /** loop_control.extended: ansible_loop (index, first, last, length...) set for each item; allitems unless extended_allitems: false */
  loopExtended?: { allitems: boolean };
  register?: string;
  /** async: run in the background for at most this many seconds (a number, or a template rendered per host) */
  async?: number | string;
  /** poll: check a background task every this many seconds; 0 starts it and moves on (default 15) */
  poll?: number | string;
  /** timeout: fail the task after this many seconds (a number, or a template rendered per host) */
  timeout?: number | string;
  notify: string[];
  changedWhen?: Condition[];
  failedWhen?: Condition[];
  until?: Condition[];
  /** a number, or a template rendered per host */
  retries: number | string;
  /** a number, or a template rendered per host */
  delay: number | string;
  runOnce: boolean;
  /** delegate_to: the host (a template) whose connection runs the task; variables and results stay the task host's */
  delegateTo?: string;
  /** delegate_facts: facts the task gathers or sets go to the delegate_to host */
  delegateFacts?: boolean;
  /** set on handlers: the topics it answers besides its name */
  listen: string[];
  /** role that brought the task, for output ("role : task") */
  role?: string;
  /** controller-side directories searched for files/templates, most specific first */
  searchDirs: string[];
}

export interface Block extends Inheritable {
  kind: 'block';
  name?: string;
  pos: Pos;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  /** a dynamic include_tasks: the path (a template) rendered per host at run time, and how to read the file it names */
  include?: { path: string; pos: Pos; expand(rel: string): TaskNode[] };
  /**
   * include_tasks / include_role: the include task as --list-tasks shows it, in place of the tasks inside
   * (Ansible lists a dynamic include itself): its title and its own tags (apply's go to the tasks inside)
   */
  listed?: { title: string; tags: string[] };
  /**
   * a role named again in a play with the same parameters: --list-tasks shows its tasks again, as Ansible does,
   * but the run skips them (the role already ran)
   */
  listOnly?: boolean;
  /** include_tasks / include_role with a loop: the block runs once per item, the loop variable set */
  loop?: Pick<Task, 'loop' | 'loopLookup' | 'loopVar' | 'loopLabel' | 'loopFlatten' | 'loopPause' | 'loopIndexVar' | 'loopExtended' | 'module'>;
}

export type TaskNode = Task | Block;

export interface Play {
  name: string;
  /** hosts: as one pattern string (a YAML list joined by commas) */
  hosts: string;
  /** hosts: written as a YAML list: one pattern per item, as Ansible keeps it (a comma string is one pattern) */
  hostList?: string[];
  pos: Pos;
  file: string;
  become?: boolean | string;
  becomeUser?: string;
  gatherFacts: boolean;
  /** ansible.cfg's gathering = smart: a host whose facts an earlier play gathered is not gathered again */
  gatherOnce?: boolean;
  /** remote_user: the SSH user for the play's hosts whose inventory names no ansible_user */
  remoteUser?: string;
  /** vars_prompt: variables the CLI asks for before the run (-e wins) */
  varsPrompt: VarsPrompt[];
  /** order: the order hosts run in (inventory when unset) */
  order?: HostOrder;
  /** force_handlers: notified handlers run even on hosts that failed later */
  forceHandlers?: boolean;
  vars: Vars;
  /** variables from vars_files, in order, merged */
  varsFiles: Vars;
  /** role defaults (lowest precedence) and role vars, merged in role order */
  roleDefaults: Vars;
  roleVars: Vars;
  /** ansible_play_role_names, role_names, ansible_role_names, ansible_dependent_role_names */
  roleNames?: Vars;
  serial?: (number | string)[]; // each a count or "30%"
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  ignoreUnreachable?: boolean | string;
  /** connection: local on the play */
  connection?: string;
  tags: string[];
  environment: Record<string, unknown>;
  environmentTemplate?: string;
  preTasks: TaskNode[];
  /** role tasks first, then the play's own tasks */
  tasks: TaskNode[];
  postTasks: TaskNode[];
  handlers: Task[];
  /** directory of the playbook file (group_vars/ and host_vars/ beside it, relative paths) */
  dir: string;
}

/** The orders `order:` may name. */
export type HostOrder = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';

/** One vars_prompt entry. */
export interface VarsPrompt {
  name: string;
  prompt: string;
  default?: string;
  private: boolean;
  confirm: boolean;
  /** a crypt scheme (sha512_crypt, sha256_crypt): the value is hashed */
  encrypt?: string;
  salt?: string;
  saltSize?: number;
  pos: Pos;
}

export interface Playbook {
  file: string;
  plays: Play[];
}

/**
 * Which keys a play, a block, a task, a role entry and an include may carry, and what to say about the
 * Ansible keywords muster knows but does not support yet (a clear refusal beats a silent no-op).
 */

/** Keys a play may carry. */
export const PLAY_KEYS = [
  'name',
  'hosts',
  'become',
  'become_user',
  'vars',
  'vars_files',
  'gather_facts',
  'serial',
  'max_fail_percentage',
  'any_errors_fatal',
  'ignore_unreachable',
  'pre_tasks',
  'tasks',
  'post_tasks',
  'handlers',
  'roles',
  'tags',
  'environment',
  'remote_user',
  'collections',
  'vars_prompt',
  'module_defaults',
  'order',
  'force_handlers',
  'become_method',
  'connection',
  'timeout',
] as const;

/** Keywords shared by blocks, tasks and includes (inherited by children). */
export const INHERITABLE_KEYS = [
  'name',
  'when',
  'become',
  'become_user',
  'vars',
  'tags',
  'environment',
  'ignore_errors',
  'ignore_unreachable',
  'no_log',
  'check_mode',
  'throttle',
  'remote_user',
  'connection',
  'module_defaults',
] as const;

/** Keywords a block or include hands down to its tasks (block-keywords.ts). */
export const TASK_LEVEL_KEYS = ['run_once', 'notify', 'delegate_to', 'delegate_facts', 'timeout'] as const;

/** Keys a block may carry besides the inheritable ones. */
export const BLOCK_KEYS = [...INHERITABLE_KEYS, ...TASK_LEVEL_KEYS, 'block', 'rescue', 'always'] as const;

/** Keys a task may carry besides its module. */
export const TASK_KEYS = [
  ...INHERITABLE_KEYS,
  'loop',
  'with_items',
  'with_list',
  'loop_control',
  'register',
  'notify',
  'changed_when',
  'failed_when',
  'run_once',
  'until',
  'retries',
  'delay',
  'args',
  'action',
  'delegate_to',
  'delegate_facts',
  'local_action',
  'async',
  'poll',
  'timeout',
] as const;

/** Keys a handler may carry besides its module. */
export const HANDLER_KEYS = [...TASK_KEYS, 'listen'] as const;

/** Keys of `loop_control`. */
export const LOOP_CONTROL_KEYS = ['loop_var', 'label', 'pause', 'index_var', 'extended', 'extended_allitems'] as const;

/** Keys of an `import_tasks`/`include_tasks` entry besides the include itself. */
export const INCLUDE_KEYS = [...INHERITABLE_KEYS, ...TASK_LEVEL_KEYS] as const;

/** Keys of a roles entry that are keywords; any other key is a role parameter (a variable), as in Ansible. */
export const ROLE_ENTRY_KEYS = ['role', 'name', 'vars', 'tags', 'when', 'become', 'become_user', 'environment', 'module_defaults', 'timeout'] as const;

/** Keys of an `import_playbook` entry. */
export const IMPORT_PLAYBOOK_KEYS = ['import_playbook', 'name', 'vars', 'tags', 'when'] as const;

/** Ansible task/play keywords muster does not support yet, with what to do instead. */
export const UNSUPPORTED: Record<string, string> = {
  become_method: 'muster always becomes with sudo (become_method: sudo is accepted on a play)',
  become_flags: 'muster always becomes with sudo',
  become_exe: 'muster always becomes with sudo',
  become_password: 'set ansible_become_password in the inventory (vaulted or from the environment)',
  debugger: 'run with -vvv to see more of what happens',
  collections: 'put collections on the play, or write the module name in full (ansible.builtin.copy) or short (copy)',
  diff: 'use --diff on the command line',
  strategy: 'muster runs each task on all hosts in parallel, like the linear strategy',
  vars_prompt: 'vars_prompt goes on the play; or pass values with -e',
  order: 'order goes on the play',
  force_handlers: 'force_handlers goes on the play (or pass --force-handlers)',
  port: 'set ansible_port in the inventory instead',
  include: 'use import_tasks or include_tasks',
  apply: 'apply goes inside include_tasks or include_role: include_role: {name: ROLE, apply: {tags: [x]}}',
};

/** Hint for a `with_*` loop over a lookup muster does not know. */
export const WITH_LOOKUP_HINT =
  'with_<name> loops over any lookup muster knows (with_items, with_dict, with_fileglob, with_sequence...; docs/lookups.md lists them), or use `loop:` with a filter';

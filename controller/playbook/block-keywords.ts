/**
 * Keywords Ansible lets a block or an include give its tasks but muster keeps on tasks only: run_once, notify,
 * delegate_to, delegate_facts and timeout. They are handed down at load time to every task inside (nested
 * blocks, rescue, always, and the tasks a dynamic include reads later); a task's own setting wins, as in
 * Ansible. timeout also comes from a play or a roles entry, but not through include_tasks or include_role
 * (Ansible 2.14 gives it to the include task alone, where it does nothing).
 */
import { bool, numOrTemplate, str, strings, type Mapping } from './fields.js';
import type { Block, TaskNode } from './types.js';

/** The task-level keywords of a block or include entry; only those written. */
export interface TaskLevel {
  runOnce?: boolean;
  notify?: string[];
  delegateTo?: string;
  delegateFacts?: boolean;
  /** seconds, or a template rendered per host */
  timeout?: number | string;
}

/** Reads run_once, notify, delegate_to, delegate_facts and timeout off a block or include entry (`dynamic`: no timeout). */
export function taskLevel(entry: Mapping, dynamic = false): TaskLevel {
  const k: TaskLevel = {};
  const runOnce = bool(entry, 'run_once');
  if (runOnce !== undefined) k.runOnce = runOnce;
  if (entry.notify !== undefined && entry.notify !== null) k.notify = strings(entry, 'notify');
  const delegateTo = str(entry, 'delegate_to');
  if (delegateTo !== undefined) k.delegateTo = delegateTo;
  const delegateFacts = bool(entry, 'delegate_facts');
  if (delegateFacts !== undefined) k.delegateFacts = delegateFacts;
  const timeout = dynamic ? undefined : numOrTemplate(entry, 'timeout');
  if (timeout !== undefined) k.timeout = timeout;
  return k;
}

/** The nodes with `k` handed down to every task inside; a task's own notify, delegate_to, delegate_facts and timeout win. */
export function handDown<T extends TaskNode>(nodes: T[], k: TaskLevel): T[] {
  if (Object.keys(k).length === 0) return nodes;
  return nodes.map((n) => (n.kind === 'block' ? (handDownBlock(n, k) as T) : ({ ...n, ...taskOwn(n, k) } as T)));
}

function handDownBlock(b: Block, k: TaskLevel): Block {
  const include = b.include && { ...b.include, expand: (rel: string) => handDown(b.include!.expand(rel), k) };
  return { ...b, block: handDown(b.block, k), rescue: handDown(b.rescue, k), always: handDown(b.always, k), ...(include ? { include } : {}) };
}

function taskOwn(t: TaskNode & { kind: 'task' }, k: TaskLevel) {
  return {
    // a task's run_once: false is the default muster cannot tell from unset: the block's true wins
    runOnce: t.runOnce || (k.runOnce ?? false),
    notify: t.notify.length ? t.notify : (k.notify ?? []),
    delegateTo: t.delegateTo ?? k.delegateTo,
    delegateFacts: t.delegateFacts ?? k.delegateFacts,
    ...((t.timeout ?? k.timeout) !== undefined ? { timeout: t.timeout ?? k.timeout } : {}),
  };
}

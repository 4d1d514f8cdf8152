/**
 * What a loaded playbook should warn about before it runs (and under --syntax-check): tasks whose Ansible
 * module muster does not implement, and arguments a module accepts but ignores.
 */
import { formatPos } from '../../shared/errors.js';
import { ignoredArgs } from '../modules/args.js';
import { ansibleModule } from '../modules/not-implemented.js';
import type { Module } from '../modules/types.js';
import type { Playbook, Task, TaskNode } from './types.js';

/** One line per task worth a warning, in playbook order, each starting with the task's file:line:col. */
export function loadWarnings(book: Playbook, module: (name: string) => Module | undefined): string[] {
  const out: string[] = [];
  const visit = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        visit(n.block);
        visit(n.rescue);
        visit(n.always);
      } else {
        const w = taskWarning(n, module);
        if (w) out.push(w);
      }
    }
  };
  for (const play of book.plays) for (const nodes of [play.preTasks, play.tasks, play.postTasks, play.handlers]) visit(nodes);
  return [...new Set(out)];
}

function taskWarning(task: Task, module: (name: string) => Module | undefined): string | undefined {
  const where = `${formatPos(task.pos)}: task "${task.name}"`;
  const m = module(task.module);
  if (!m) {
    const fqcn = ansibleModule(task.module);
    if (fqcn === undefined) return undefined;
    return `${where}: module ${task.module}${fqcn !== task.module ? ` (${fqcn})` : ''} is not implemented by muster; the task fails on any host that reaches it`;
  }
  const ignored = ignoredArgs(m, task.args);
  if (!ignored.length) return undefined;
  return `${where}: ${m.name} ignores ${ignored.map((a) => `"${a.name}" (${a.reason})`).join(', ')}`;
}

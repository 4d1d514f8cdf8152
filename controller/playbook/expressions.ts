/**
 * Load-time parsing of every expression and template of a loaded playbook: conditions (when, changed_when,
 * failed_when, until) and template strings (task arguments, names, loops, delegate_to, environment, vars).
 * A malformed one is an error at its file:line:col naming the keyword that holds it, before any host runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MusterError, type Pos } from '../../shared/errors.js';
import { conditionProblem, type SyntaxReport } from '../expr/index.js';
import { isDict } from '../expr/values.js';
import { templateProblem } from '../template/check.js';
import { jinjaProblem } from '../template/jinja/check.js';
import { isTemplated } from '../template/scope.js';
import { at } from './fields.js';
import { attempt, type LoadErrors } from './load-errors.js';
import type { Block, Condition, Play, Playbook, Task, TaskNode } from './types.js';

type Each = (check: () => void) => void;

/**
 * Throws E_EXPR / E_TEMPLATE for an expression or template of the playbook that cannot parse. With the
 * load's error list, each task, block and play is checked on its own and every problem is noted there.
 */
export function checkExpressions(book: Playbook, errors?: LoadErrors): void {
  const each: Each = (check) => attempt(errors, check, undefined);
  for (const play of book.plays) {
    each(() => checkPlay(play));
    for (const nodes of [play.preTasks, play.tasks, play.postTasks, play.handlers]) checkNodes(nodes, each);
  }
}

function checkPlay(play: Play): void {
  const where = { pos: play.pos };
  deep(play.vars, 'vars', where);
  deep(play.varsFiles, 'vars_files', where);
  deep(play.roleDefaults, 'role defaults', where);
  deep(play.roleVars, 'role vars', where);
  deep(play.environment, 'environment', where);
}

function checkNodes(nodes: TaskNode[], each: Each): void {
  for (const n of nodes) {
    if (n.kind === 'block') {
      each(() => checkBlock(n));
      for (const part of [n.block, n.rescue, n.always]) checkNodes(part, each);
    } else {
      each(() => checkTask(n));
    }
  }
}

function checkBlock(b: Block): void {
  const where = { pos: b.pos, task: b.name };
  conditions(b.when, 'when', where);
  deep(b.vars, 'vars', where);
  deep(b.environment, 'environment', where);
}

function checkTask(t: Task): void {
  const where = { pos: t.pos, task: t.name };
  conditions(t.when, 'when', where);
  conditions(t.changedWhen, 'changed_when', where);
  conditions(t.failedWhen, 'failed_when', where);
  conditions(t.until, 'until', where);
  text(t.name, 'name', where);
  deep(t.args, `argument`, where, t.module);
  deep(t.vars, 'vars', where);
  deep(t.environment, 'environment', where);
  deep(t.loop, 'loop', where);
  text(t.loopLabel, 'loop_control.label', where);
  text(t.delegateTo, 'delegate_to', where);
  templateFile(t, where);
}

// a template task's .j2 file, when its name is written out: found as the task will find it, then checked
function templateFile(t: Task, where: Where): void {
  const src = t.module === 'template' ? t.args.src : undefined;
  if (typeof src !== 'string' || !src.endsWith('.j2') || isTemplated(src)) return;
  const candidates = isAbsolute(src) ? [src] : t.searchDirs.flatMap((d) => [join(d, 'templates', src), join(d, src)]);
  const path = candidates.find((p) => existsSync(p));
  if (!path) return; // a file made by an earlier task: the run says so if it is still missing
  const problem = jinjaProblem(readFileSync(path, 'utf8'));
  if (problem) fail('E_TEMPLATE', `invalid template ${path}: ${problem.message}`, problem, where);
}

interface Where {
  pos: Pos;
  task?: string;
}

function conditions(list: Condition[] | undefined, keyword: string, where: Where): void {
  for (const c of list ?? []) {
    const problem = conditionProblem(c.expr);
    if (problem) fail('E_EXPR', `invalid expression "${c.expr}" in '${keyword}': ${problem.message}`, problem, { ...where, pos: c.pos });
  }
}

function text(value: string | undefined, keyword: string, where: Where): void {
  const problem = value === undefined ? undefined : templateProblem(value);
  if (problem) fail('E_TEMPLATE', `invalid template in '${keyword}': ${problem.message}`, problem, where);
}

/** Every string inside a value (dict keys too), each located where it was written when known. */
function deep(value: unknown, keyword: string, where: Where, module?: string): void {
  const walk = (v: unknown, path: string, pos: Pos): void => {
    if (typeof v === 'string') {
      const problem = templateProblem(v);
      if (!problem) return;
      const what = module ? `argument "${path}" of ${module}` : `'${keyword}'${path ? ` (${path})` : ''}`;
      fail('E_TEMPLATE', `invalid template in ${what}: ${problem.message}`, problem, { ...where, pos });
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`, at(v, i, 'value', pos) as Pos);
    } else if (isDict(v)) {
      for (const [k, x] of Object.entries(v)) {
        const inner = path ? `${path}.${k}` : k;
        walk(k, inner, at(v, k, 'key', pos) as Pos);
        walk(x, inner, at(v, k, 'value', pos) as Pos);
      }
    }
  };
  walk(value, '', where.pos);
}

function fail(code: 'E_EXPR' | 'E_TEMPLATE', message: string, problem: SyntaxReport, where: Where): never {
  throw new MusterError(code, message, { pos: where.pos, task: where.task, hint: problem.hint });
}

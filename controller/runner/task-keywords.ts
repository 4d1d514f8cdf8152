/**
 * The task keywords rendered for one host: ignore_errors / ignore_unreachable / no_log, remote_user and
 * connection, environment, retries / delay, async / poll and timeout. Templates are rendered with the
 * host's variables; a wrong value is an error naming the keyword.
 */
import { toBool } from '../../shared/boolean.js';
import { MusterError } from '../../shared/errors.js';
import { hostOf } from '../inventory/index.js';
import type { Vars } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import { renderDeep, renderString, type Where } from '../template/index.js';
import type { EnvLayer } from './scope.js';
import type { TaskRun } from './task.js';

/** The task keywords that may be templates, rendered for one host. */
export interface Flags {
  ignoreErrors: boolean;
  ignoreUnreachable: boolean;
  noLog: boolean;
}

/** ignore_errors, ignore_unreachable and no_log of the task (over its scope's), templates rendered with the host's variables. */
export function taskFlags(r: Pick<TaskRun, 'task' | 'scope' | 'vars'>, where: Where): Flags {
  const flag = (v: boolean | string | undefined, keyword: string): boolean => {
    if (typeof v !== 'string') return v ?? false;
    try {
      return toBool(renderString(v, r.vars, where));
    } catch (e) {
      if (e instanceof MusterError) throw new MusterError(e.code, `in '${keyword}': ${e.message}`, { ...where, hint: e.hint, cause: e });
      throw e;
    }
  };
  return {
    ignoreErrors: flag(r.task.ignoreErrors ?? r.scope.ignoreErrors, 'ignore_errors'),
    ignoreUnreachable: flag(r.task.ignoreUnreachable ?? r.scope.ignoreUnreachable, 'ignore_unreachable'),
    noLog: flag(r.task.noLog ?? r.scope.noLog, 'no_log'),
  };
}

/** The connection variables a task's remote_user / connection change for this host (the inventory's own win); undefined: the host's usual connection. */
export function connectionOverride(
  r: Pick<TaskRun, 'task' | 'scope' | 'vars' | 'deps' | 'host'>,
  playUser: string | undefined,
  where: Where,
): Vars | undefined {
  const inv = r.deps.inventory.hosts.has(r.host.name) ? hostOf(r.deps.inventory, r.host.name).vars : {};
  const over: Vars = {};
  const userRaw = r.task.remoteUser ?? r.scope.remoteUser;
  const user = userRaw === undefined ? undefined : String(renderString(userRaw, r.vars, where));
  if (user !== undefined && inv.ansible_user === undefined && user !== playUser) over.ansible_user = user;
  const connRaw = r.task.connection ?? r.scope.connection;
  const conn = connRaw === undefined ? undefined : String(renderString(connRaw, r.vars, where)).trim();
  if (conn !== undefined && conn !== 'ssh' && conn !== 'smart' && inv.ansible_connection === undefined) {
    if (conn !== 'local')
      throw new MusterError('E_SCHEMA', `connection "${conn}" is not one muster has`, {
        ...where,
        hint: 'use connection: local or ssh (or set ansible_connection in the inventory)',
      });
    over.ansible_connection = 'local';
  }
  return Object.keys(over).length ? over : undefined;
}

/** The environment layers rendered for the host and merged in order (a template layer must give a mapping). */
export function renderEnv(layers: EnvLayer[], vars: Vars, where: Where): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    const v = typeof layer === 'string' ? renderString(layer, vars, where) : renderDeep(layer, vars, where);
    if (v === null || v === undefined || v === '') continue;
    if (typeof v !== 'object' || Array.isArray(v))
      throw new MusterError('E_TEMPLATE', `environment must give a mapping of variables, got ${describe(v)}`, {
        ...where,
        hint: 'make the template give a mapping, e.g. environment: "{{ proxy_env }}" with proxy_env: {http_proxy: ...}',
      });
    Object.assign(out, v);
  }
  return out;
}

const UNITS: Record<string, string> = {
  retries: 'retries',
  delay: 'seconds',
  async: 'seconds (the longest the task may run)',
  poll: 'seconds between checks (0: start it and move on)',
  timeout: 'seconds',
};

/** A count keyword (retries, delay, async, poll, timeout): a number, or a template rendered for the host. */
export function count(v: number | string, vars: Vars, where: Where, keyword: string): number {
  const n = typeof v === 'number' ? v : Number(renderString(v, vars, where));
  if (!Number.isFinite(n) || n < 0)
    throw new MusterError('E_TEMPLATE', `"${keyword}" must give a number, got ${JSON.stringify(v)}`, {
      ...where,
      hint: `make ${keyword} a whole number of ${UNITS[keyword] ?? 'units'}`,
    });
  return n;
}

/** async and poll rendered for the host: undefined when the task runs in the foreground (no async, or async: 0). */
export function asyncOf(task: Pick<Task, 'async' | 'poll'>, vars: Vars, where: Where): { limit: number; poll: number } | undefined {
  if (task.async === undefined) return undefined;
  const limit = Math.floor(count(task.async, vars, where, 'async'));
  if (limit <= 0) return undefined;
  // Ansible's DEFAULT_POLL_INTERVAL
  const poll = task.poll === undefined ? 15 : Math.floor(count(task.poll, vars, where, 'poll'));
  return { limit, poll };
}

/** timeout rendered for the host, in seconds; undefined when there is none (absent or 0, as in Ansible). */
export function timeoutOf(task: Pick<Task, 'timeout'>, vars: Vars, where: Where): number | undefined {
  if (task.timeout === undefined) return undefined;
  const n = Math.floor(count(task.timeout, vars, where, 'timeout'));
  return n > 0 ? n : undefined;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

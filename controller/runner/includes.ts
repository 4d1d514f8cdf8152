/**
 * The blocks decided per host at run time: include_tasks / include_role with a loop (one round per item) and
 * a dynamic include_tasks (its path rendered per host). Both hand the tasks they find to the play's runBlock.
 */
import { evalCondition } from '../expr/index.js';
import type { Vars } from '../modules/types.js';
import type { Block, TaskNode } from '../playbook/types.js';
import { renderString } from '../template/index.js';
import { hostVars } from './host-vars.js';
import { loopItems } from './loop.js';
import { extendedLoopVar } from './loop-vars.js';
import type { PlayRun } from './play.js';
import { enter, type Scope } from './scope.js';
import type { PlayHost } from './state.js';
import { failure } from './task.js';

/** The play's block runner (play.ts), which these call back for the tasks they expand to. */
export type RunBlock = (pr: PlayRun, block: Block, hosts: PlayHost[], parent: Scope) => Promise<Set<PlayHost>>;

/**
 * include_tasks / include_role with a loop: the included tasks run once per item, each host with its own
 * items; the i-th round runs on the hosts that have an i-th item (hosts that failed leave the rounds).
 */
export async function runLoopBlock(pr: PlayRun, block: Block, hosts: PlayHost[], parent: Scope, runBlock: RunBlock): Promise<Set<PlayHost>> {
  const l = block.loop!;
  const failed = new Set<PlayHost>();
  const items = new Map<PlayHost, unknown[]>();
  const scope = enter(parent, block, true);
  for (const h of hosts) {
    const where = { host: h.state.name, task: block.name ?? l.module, pos: block.pos };
    try {
      items.set(h, loopItems(l, hostVars(pr, h.state, scope), where) ?? []);
    } catch (e) {
      pr.deps.emit({ type: 'task', name: block.name ?? l.module, kind: 'task' });
      const o = failure(e);
      pr.deps.emit({ type: 'result', host: h.state.name, status: o.status, msg: o.msg, result: o.result });
      h.state.stats.failed++;
      h.state.failed = true;
      failed.add(h);
    }
  }
  const rounds = Math.max(0, ...[...items.values()].map((v) => v.length));
  for (let i = 0; i < rounds && !pr.ended; i++) {
    if (i > 0 && l.loopPause) await pr.deps.sleep(l.loopPause * 1000);
    const round = [...items].filter(([h, v]) => i < v.length && !failed.has(h) && !h.ended && !h.state.unreachable && !h.state.failed);
    if (!round.length) continue;
    const layer: Record<string, Vars> = {};
    for (const [h, v] of round) {
      layer[h.state.name] = {
        [l.loopVar]: v[i],
        ansible_loop_var: l.loopVar,
        ...(l.loopIndexVar ? { [l.loopIndexVar]: i } : {}),
        ...(l.loopExtended ? { ansible_loop: extendedLoopVar(v, i, l.loopExtended.allitems) } : {}),
      };
    }
    const inner: Scope = { ...parent, hostLayers: [...(parent.hostLayers ?? []), layer] };
    const f = await runBlock(
      pr,
      { ...block, loop: undefined },
      round.map(([h]) => h),
      inner,
    );
    for (const h of f) failed.add(h);
  }
  return failed;
}

/**
 * A dynamic include_tasks: its path rendered for each host, then the file each path names runs on the
 * hosts that rendered it (in the order the paths first appear). A path that fails to render, or names no
 * file, fails its hosts.
 */
export async function runDynamicInclude(pr: PlayRun, block: Block, hosts: PlayHost[], parent: Scope, runBlock: RunBlock): Promise<Set<PlayHost>> {
  const inc = block.include!;
  const failed = new Set<PlayHost>();
  const scope = enter(parent, block, true);
  const byPath = new Map<string, PlayHost[]>();
  const fail = (h: PlayHost, e: unknown) => {
    const o = failure(e);
    pr.deps.emit({ type: 'result', host: h.state.name, status: o.status, msg: o.msg, result: o.result });
    h.state.stats.failed++;
    h.state.failed = true;
    failed.add(h);
  };
  const title = block.name ?? `include_tasks: ${inc.path}`;
  let announced = false;
  for (const h of hosts) {
    const vars = hostVars(pr, h.state, scope);
    const where = { host: h.state.name, task: title, pos: inc.pos };
    try {
      // an include whose when is false is skipped before its path is rendered
      if (!scope.when.every((c) => evalCondition(c.expr, vars, { ...where, pos: c.pos }))) continue;
      const rel = String(renderString(inc.path, vars, where)).trim();
      byPath.set(rel, [...(byPath.get(rel) ?? []), h]);
    } catch (e) {
      if (!announced) pr.deps.emit({ type: 'task', name: title, kind: 'task' });
      announced = true;
      fail(h, e);
    }
  }
  for (const [rel, group] of byPath) {
    if (pr.ended) break;
    let nodes: TaskNode[];
    try {
      nodes = inc.expand(rel);
    } catch (e) {
      pr.deps.emit({ type: 'task', name: title, kind: 'task' });
      for (const h of group) fail(h, e);
      continue;
    }
    const f = await runBlock(pr, { ...block, include: undefined, loop: undefined, block: nodes }, group, parent);
    for (const h of f) failed.add(h);
  }
  return failed;
}

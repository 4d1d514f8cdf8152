/** The linear strategy: each task on every active host (in parallel up to --forks), blocks, handlers, serial. */
import type { Block, Play, Task, TaskNode } from '../playbook/types.js';
import type { Vars } from '../modules/types.js';
import type { Transport } from '../transport/types.js';
import { flushHandlers } from './handlers.js';
import { runDynamicInclude, runLoopBlock } from './includes.js';
import { metaApplies, runMeta } from './meta.js';
import { active } from './play-hosts.js';
import { enter, playScope, type Scope } from './scope.js';
import type { HostState, PlayHost, RunDeps, RunOptions, SecretStore } from './state.js';
import { selectedByTags } from './tags.js';
import { runTaskOnHosts } from './task-hosts.js';

/** Shared by everything in one play run. */
export interface PlayRun {
  play: Play;
  opts: RunOptions;
  deps: RunDeps;
  secrets: SecretStore;
  hosts: Map<string, HostState>;
  /** every host of the play (all batches), for ansible_play_hosts */
  playHosts: string[];
  /** start-at-task: name still to find (shared across plays) */
  startAt: { name?: string };
  /** set by meta: end_play or any_errors_fatal */
  ended: boolean;
  /** the transport of a delegate_to host, opened on first use and shared across plays */
  delegate: (host: string) => Transport;
  /** a host's transport opened with other connection variables (remote_user, connection: local on a task), shared across plays */
  connectAs?: (host: string, over: Vars) => Transport;
}

/** Runs the play on one serial batch of hosts. */
export async function runBatch(pr: PlayRun, batch: string[]): Promise<void> {
  const hosts: PlayHost[] = batch.map((h) => ({ state: pr.hosts.get(h)!, notified: new Set(), ended: false }));
  const scope = playScope(pr.play);
  if (pr.play.gatherFacts && !pr.startAt.name) await gather(pr, hosts);
  for (const section of [pr.play.preTasks, pr.play.tasks, pr.play.postTasks]) {
    if (pr.ended) break;
    await runNodes(pr, section, active(hosts), scope);
    await flushHandlers(pr, hosts);
  }
}

async function gather(pr: PlayRun, hosts: PlayHost[]): Promise<void> {
  // gathering = smart: hosts an earlier play gathered keep their facts
  const targets = active(hosts).filter((h) => !pr.play.gatherOnce || Object.keys(h.state.facts).length === 0);
  if (!targets.length) return;
  pr.deps.emit({ type: 'task', name: 'Gathering Facts', kind: 'facts' });
  const facts: Task = {
    kind: 'task',
    name: 'Gathering Facts',
    module: 'setup',
    args: {},
    pos: pr.play.pos,
    loopVar: 'item',
    notify: [],
    retries: 0,
    delay: 0,
    runOnce: false,
    listen: [],
    searchDirs: [pr.play.dir],
    when: [],
    tags: ['always'],
    vars: {},
    environment: {},
    checkMode: false,
  };
  await runTaskOnHosts(pr, facts, targets, playScope(pr.play));
}

/** Runs task nodes on hosts; returns the hosts that failed (they have left the nodes' remaining tasks). */
async function runNodes(pr: PlayRun, nodes: TaskNode[], hosts: PlayHost[], scope: Scope): Promise<Set<PlayHost>> {
  const failed = new Set<PlayHost>();
  for (const node of nodes) {
    if (pr.ended) break;
    // a role repeated with the same parameters is listed by --list-tasks, not run again
    if (node.kind === 'block' && node.listOnly) continue;
    const live = hosts.filter((h) => !failed.has(h) && !h.ended && !h.state.unreachable);
    if (!live.length) break;
    const f = node.kind === 'block' ? await runBlock(pr, node, live, scope) : await runOneTask(pr, node, live, scope);
    for (const h of f) failed.add(h);
  }
  return failed;
}

async function runBlock(pr: PlayRun, block: Block, hosts: PlayHost[], parent: Scope): Promise<Set<PlayHost>> {
  if (block.loop) return runLoopBlock(pr, block, hosts, parent, runBlock);
  if (block.include) return runDynamicInclude(pr, block, hosts, parent, runBlock);
  const scope = enter(parent, block, true);
  const failedInBlock = await runNodes(pr, block.block, hosts, scope);
  let stillFailed = new Set(failedInBlock);
  if (failedInBlock.size && block.rescue.length) {
    const rescuing = [...failedInBlock].filter((h) => !h.state.unreachable);
    for (const h of rescuing) h.state.failed = false;
    const failedInRescue = await runNodes(pr, block.rescue, rescuing, scope);
    for (const h of rescuing) {
      if (failedInRescue.has(h)) continue;
      h.state.stats.rescued++;
      h.state.stats.failed = Math.max(0, h.state.stats.failed - 1);
      stillFailed.delete(h);
    }
    for (const h of failedInRescue) h.state.failed = true;
  }
  if (block.always.length) {
    const everyone = hosts.filter((h) => !h.state.unreachable && !h.ended);
    const failedWasFlagged = new Map(everyone.map((h) => [h, h.state.failed]));
    for (const h of everyone) h.state.failed = false; // always runs even for hosts that failed the block
    const failedInAlways = await runNodes(pr, block.always, everyone, scope);
    for (const h of everyone) h.state.failed = failedWasFlagged.get(h)! || failedInAlways.has(h);
    stillFailed = new Set([...stillFailed, ...failedInAlways]);
  }
  return stillFailed;
}

async function runOneTask(pr: PlayRun, task: Task, hosts: PlayHost[], parent: Scope): Promise<Set<PlayHost>> {
  if (pr.startAt.name !== undefined) {
    if (task.name !== pr.startAt.name) return new Set();
    pr.startAt.name = undefined;
  }
  const scope = enter(parent, task, false);
  if (!selectedByTags(scope.tags, pr.opts.tags, pr.opts.skipTags)) return new Set();
  if (task.module === 'meta')
    return runMeta(
      pr,
      task,
      hosts.filter((h) => metaApplies(pr, task, h, scope)),
      flushHandlers,
    );
  pr.deps.emit({ type: 'task', name: taskTitle(task), kind: 'task' });
  return runTaskOnHosts(pr, task, hosts, scope);
}

/** The shown name: "role : name" for role tasks. */
function taskTitle(t: Task): string {
  return t.role ? `${t.role} : ${t.name}` : t.name;
}

/**
 * Applies the steps of a deploy: delivers secrets and configs, then per step writes each touched node's next
 * desired set (a generation the agent must not have seen: a 409 means another deploy raced, and the deploy
 * stops saying what it had written), and polls the reports until the step's replicas run (healthy, for
 * `monitor`) or fail; then the service's failure_action: pause (stop after the step), continue, rollback
 * (the service's written changes undone per its rollback_config). I/O only through the AgentPort and the Clock; events for the
 * reporter.
 */
import type { NodeReport } from '../../shared/wire.js';
import type { AgentFailure } from '../fleet/agent-request.js';
import { mapLimit } from '../runner/limit.js';
import { applyEdits, type Edit, type HeldSets, withSets } from './edits.js';
import type { Delivery } from './files.js';
import { slotLabel } from './names.js';
import { engineHiccup, judge, restartedSince, type Status, type Watched } from './watch.js';
import { rollbackSteps, updateConfigOf } from './waves.js';
import type { AgentPort, ApplyInput, ApplyResult, Clock, DeployEvent, ServiceProgress, Wanted } from './apply-types.js';

export type { AgentPort, ApplyInput, ApplyResult, Clock, DeployEvent, Failure, ServiceProgress, Wanted } from './apply-types.js';

const short = (e: Edit): string => ('add' in e ? `+${e.add.name}` : `-${e.remove.name}`);
const specOf = (e: Edit) => ('add' in e ? e.add : e.remove);
const serviceKey = (stack: string, service: string): string => `${stack}\u0000${service}`;

/** Sets written at once at most: a step over 1,000 nodes opens 64 TLS connections at a time, not 1,000. */
export const WRITES_AT_ONCE = 64;

/** Applies the steps; never throws for an agent's failure (it is in the result). */
export async function applySteps(input: ApplyInput, agents: AgentPort, clock: Clock, emit: (e: DeployEvent) => void): Promise<ApplyResult> {
  const pollMs = input.pollMs ?? 500;
  let wanted = [...input.wanted];
  const graceMs = input.errorGraceMs ?? 10_000;
  const result: ApplyResult = { code: 0, failures: [], unreachable: [], rolledBack: [], written: [] };
  let held: HeldSets = new Map(input.held);
  const reports = new Map<string, NodeReport>();
  const pollFailures = new Map<string, AgentFailure>();
  const appliedByService = new Map<string, Edit[]>();
  const stopped = new Set<string>(); // services rolled back or failed with pause: their later edits are skipped
  let pause = false;

  const unreachable = (node: string, f: AgentFailure): void => {
    if (!result.unreachable.some((u) => u.node === node)) result.unreachable.push({ node, message: f.message, hint: f.hint });
  };

  const write = async (edits: Edit[]): Promise<boolean> => {
    const next = applyEdits(held, edits);
    const answers = await mapLimit([...next], WRITES_AT_ONCE, async ([node, set]) => [node, set, await agents.putDesired(node, set)] as const);
    let ok = true;
    for (const [node, set, answer] of answers) {
      if (!answer.ok) {
        unreachable(node, answer);
        ok = false;
      } else if (answer.outcome === 'stale') {
        result.raced = { node, generation: answer.generation };
        ok = false;
      } else {
        held = withSets(held, new Map([[node, set]]));
        const mine = edits
          .filter((e) => e.node === node)
          .map(short)
          .join(' ');
        result.written.push(`${node} generation ${set.generation}: ${mine}`);
        emit({ type: 'wrote', node, generation: set.generation, edits: mine });
      }
    }
    return ok;
  };

  const poll = async (nodes: string[]): Promise<void> => {
    await Promise.all(
      nodes.map(async (node) => {
        const r = await agents.getReport(node);
        if (r.ok) {
          reports.set(node, r.report);
          pollFailures.delete(node);
        } else pollFailures.set(node, r);
      }),
    );
  };

  const progress = (): void => {
    const by = new Map<string, ServiceProgress>();
    for (const w of wanted) {
      const k = serviceKey(w.stack, w.service);
      const p = by.get(k) ?? { stack: w.stack, service: w.service, running: 0, wanted: 0 };
      p.wanted++;
      if (judge({ node: w.node, name: w.name, kind: 'add' }, reports.get(w.node)).state === 'ready') p.running++;
      by.set(k, p);
    }
    emit({ type: 'progress', services: [...by.values()] });
  };

  /** Waits until every watched replica is ready (for monitorS), failed, or the time is up; returns the failures. */
  const wait = async (watched: Watched[], monitorS: number): Promise<(Watched & { reason: string })[]> => {
    const nodes = [...new Set([...watched.map((w) => w.node), ...wanted.map((w) => w.node)])];
    const deadline = clock.now() + input.timeoutMs;
    const firstError = new Map<string, number>();
    const failed: (Watched & { reason: string })[] = [];
    let open = [...watched];
    let monitorUntil: number | undefined;
    // when each added replica was first seen running: a later start means it died and was started again (the
    // agent restarts containers itself, so Docker's restart count stays 0 and a poll can miss the exit)
    const firstStart = new Map<string, string>();
    for (;;) {
      if (input.stop?.()) return failed;
      await poll(nodes);
      progress();
      const now = clock.now();
      const statuses = open.map((w) => [w, judge(w, pollFailures.has(w.node) ? undefined : reports.get(w.node))] as [Watched, Status]);
      for (const [w, s] of statuses) {
        let reason: string | undefined;
        if (s.state === 'failed') reason = s.reason;
        else if (s.state === 'pending' && s.agentError && !engineHiccup(s.agentError)) {
          const since = firstError.get(w.name) ?? now;
          firstError.set(w.name, since);
          if (now - since >= graceMs) reason = `the agent: ${s.agentError}`;
        } else if (s.state === 'pending' && monitorUntil !== undefined && w.kind === 'add') reason = `stopped running while monitored (${s.why})`;
        else if (s.state === 'ready' && w.kind === 'add') reason = restartedSince(firstStart, w, reports.get(w.node));
        if (reason) failed.push({ ...w, reason });
      }
      open = open.filter((w) => !failed.some((f) => f.name === w.name && f.node === w.node));
      const pending = statuses.filter(([w, s]) => s.state !== 'ready' && open.includes(w));
      if (!pending.length) {
        if (monitorS <= 0 || !open.some((w) => w.kind === 'add')) return failed;
        monitorUntil ??= now + monitorS * 1000;
        if (now >= monitorUntil) return failed;
      }
      if (now >= deadline) {
        for (const [w, s] of pending) {
          const f = pollFailures.get(w.node);
          if (f) unreachable(w.node, f);
          else
            failed.push({
              ...w,
              reason: `not ${w.kind === 'add' ? 'running' : 'gone'} after ${Math.round(input.timeoutMs / 1000)}s: ${s.state === 'pending' ? s.why : ''}`,
            });
        }
        return failed;
      }
      await clock.sleep(pollMs);
    }
  };

  const watchOf = (edits: Edit[]): Watched[] => edits.map((e) => ({ node: e.node, name: specOf(e).name, kind: 'add' in e ? 'add' : 'remove' }));

  // secrets and configs first, so that no replica starts without its files
  const byNode = new Map<string, Delivery[]>();
  for (const d of input.files) byNode.set(d.node, [...(byNode.get(d.node) ?? []), d]);
  const delivered = await Promise.all(
    [...byNode].map(async ([node, list]) => {
      for (const d of list) {
        const r = await agents.putFile(node, d);
        if (!r.ok) return (unreachable(node, r), false);
      }
      emit({ type: 'files', node, count: list.length });
      return true;
    }),
  );
  if (delivered.includes(false)) return finish(result, 'the delivery of secrets and configs');

  for (const [index, step] of input.steps.entries()) {
    const edits = step.edits.filter((e) => !stopped.has(serviceKey(specOf(e).stack, specOf(e).service)));
    if (!edits.length) continue;
    emit({ type: 'step', index, total: input.steps.length, step });
    for (const e of edits) {
      const k = serviceKey(specOf(e).stack, specOf(e).service);
      appliedByService.set(k, [...(appliedByService.get(k) ?? []), e]);
    }
    if (!(await write(edits))) return finish(result, step.label);
    const failed = await wait(watchOf(edits), step.monitorS);
    const halt = input.stop?.();
    if (halt) return finish(result, `${step.label} (${halt})`);
    if (result.unreachable.length) return finish(result, step.label);
    for (const f of failed) {
      const spec = specOf(edits.find((e) => specOf(e).name === f.name) as Edit);
      const replica = `${slotLabel(spec.service, spec.replica)} (${spec.name})`;
      result.failures.push({ replica, node: f.node, reason: f.reason });
      emit({ type: 'failed', replica, node: f.node, reason: f.reason });
      const k = serviceKey(spec.stack, spec.service);
      const action = step.kind === 'remove' ? 'continue' : updateConfigOf(input.stacks, spec.stack, spec.service).failureAction;
      if (action === 'pause') pause = true;
      if (action === 'rollback' && !stopped.has(k)) {
        stopped.add(k);
        emit({ type: 'rollback', stack: spec.stack, service: spec.service });
        for (const back of rollbackSteps(appliedByService.get(k) ?? [], updateConfigOf(input.stacks, spec.stack, spec.service, 'rollback'))) {
          emit({ type: 'step', index, total: input.steps.length, step: back });
          if (!(await write(back.edits))) return finish(result, `the rollback of ${spec.service}`);
          for (const f of await wait(watchOf(back.edits), back.monitorS)) {
            result.failures.push({ replica: `${f.name} (rollback)`, node: f.node, reason: f.reason });
            emit({ type: 'failed', replica: `${f.name} (rollback)`, node: f.node, reason: f.reason });
          }
          if (back.delayS > 0) await clock.sleep(back.delayS * 1000);
        }
        result.rolledBack.push(spec.service);
        // what the service's nodes hold now is what must run: its previous replicas
        wanted = [
          ...wanted.filter((w) => serviceKey(w.stack, w.service) !== k),
          ...[...held].flatMap(([node, set]) =>
            (set?.containers ?? [])
              .filter((c) => c.stack === spec.stack && c.service === spec.service)
              .map((c) => ({ stack: c.stack, service: c.service, node, name: c.name })),
          ),
        ];
        progress();
      }
    }
    if (pause) return finish(result, step.label);
    if (step.delayS > 0 && index < input.steps.length - 1) {
      emit({ type: 'delay', seconds: step.delayS });
      await clock.sleep(step.delayS * 1000);
    }
  }
  // the replicas kept from before count too: every wanted one must run at the end
  const rest = wanted
    .filter((w) => !stopped.has(serviceKey(w.stack, w.service)) && !result.failures.some((f) => f.replica.endsWith(`(${w.name})`)))
    .map((w): Watched => ({ node: w.node, name: w.name, kind: 'add' }));
  const finalWait = await wait(rest, 0);
  const halt = input.stop?.();
  if (halt) return finish(result, `the last wait (${halt})`);
  for (const f of finalWait) {
    const w = wanted.find((x) => x.name === f.name) as Wanted;
    const replica = `${w.service} (${w.name})`;
    result.failures.push({ replica, node: f.node, reason: f.reason });
    emit({ type: 'failed', replica, node: f.node, reason: f.reason });
  }
  return finish(result);
}

function finish(result: ApplyResult, stoppedAt?: string): ApplyResult {
  if (stoppedAt) result.stoppedAt = stoppedAt;
  // stopped at someone's request (input.stop) with nothing failed: not done, so not a success either
  result.code = result.failures.length || result.raced || result.rolledBack.length ? 2 : result.unreachable.length ? 4 : stoppedAt ? 2 : 0;
  return result;
}

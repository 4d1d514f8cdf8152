/** applySteps against simulated agents (in memory, converging at once) and a fake clock. */
import t from 'tap';
import { type AgentPort, type DeployEvent, applySteps, type Wanted, WRITES_AT_ONCE } from '../../../controller/deploy/apply.js';
import { engineHiccup } from '../../../controller/deploy/watch.js';
import { changesOf } from '../../../controller/deploy/desired.js';
import type { HeldSets } from '../../../controller/deploy/edits.js';
import { steps } from '../../../controller/deploy/waves.js';
import type { Assignment, Plan } from '../../../controller/scheduler/types.js';
import type { ContainerReport, DesiredSet } from '../../../shared/wire.js';
import { assign, held, report, service, spec, stack } from './fixtures.js';

/** Agents that run what they hold at once; `behave` decides a container's report by name; `down` nodes fail. */
function fleet(initial: HeldSets, behave: (name: string) => Partial<ContainerReport> = () => ({}), opts: { down?: string[]; staleOn?: string } = {}) {
  const sets = new Map(initial);
  const puts: string[] = [];
  const files: string[] = [];
  const fail = (node: string) => ({ ok: false as const, kind: 'refused' as const, message: `connection refused by ${node}`, hint: 'start it' });
  const port: AgentPort = {
    async putDesired(node, set) {
      if (opts.down?.includes(node)) return fail(node);
      if (opts.staleOn === node) return { ok: true, outcome: 'stale', generation: 99 };
      const cur = sets.get(node);
      if (cur && set.generation <= cur.generation) return { ok: true, outcome: 'stale', generation: cur.generation };
      sets.set(node, set);
      puts.push(`${node}@${set.generation}: ${set.containers.map((c) => c.name).join(',')}`);
      return { ok: true, outcome: 'accepted', generation: set.generation };
    },
    async getReport(node) {
      if (opts.down?.includes(node)) return fail(node);
      const set = sets.get(node) as DesiredSet | null | undefined;
      return {
        ok: true,
        fingerprint: '',
        report: report((set?.containers ?? []).map((c) => ({ name: c.name, state: 'running', health: null, ...behave(c.name) }))),
      };
    },
    async putFile(node, d) {
      files.push(`${node}:${d.name}:${d.kind}:${d.data.toString()}`);
      return { ok: true };
    },
  };
  return { port, sets, puts, files };
}

/** The fleet with every report showing no container and `lastError` from the agent. */
function withAgentError<F extends ReturnType<typeof fleet>>(f: F, lastError: string): F {
  const getReport = f.port.getReport;
  f.port.getReport = async (node) => {
    const r = await getReport(node);
    if (r.ok) r.report = { ...r.report, containers: [], reconcile: { ...r.report.reconcile, lastError } };
    return r;
  };
  return f;
}

function clock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now };
}

const specFor = (a: Assignment) => spec(a.service, a.slot, 'bbbbbbbb');
const wantedOf = (plan: Plan): Wanted[] =>
  plan.assignments.map((a) => ({
    stack: a.stack,
    service: a.service,
    node: a.node,
    name: specFor(a).name.replace('bbbbbbbb', a.action === 'keep' ? 'aaaaaaaa' : 'bbbbbbbb'),
  }));

async function run(plan: Plan, initial: HeldSets, stacks = [stack([service('web')])], f = fleet(initial), timeoutMs = 30_000) {
  const c = clock();
  const events: DeployEvent[] = [];
  const changes = changesOf(plan, initial, specFor);
  const result = await applySteps({ steps: steps(changes, stacks), held: initial, wanted: wantedOf(plan), stacks, files: [], timeoutMs }, f.port, c, (e) =>
    events.push(e),
  );
  return { result, events, f, elapsed: c.elapsed() };
}

const twoNodes = (): HeldSets =>
  new Map([
    ['h01', { generation: 2, containers: [spec('web', 1), spec('db', 1, 'ffffffff', {}, 'other')] }],
    ['h02', null],
  ]);

t.test('a first deploy: one create step, both nodes written, all running, no monitor wait', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01'), assign('create', 'web', 2, 'h02')], removals: [], unplaced: [] };
  const { result, f, events, elapsed } = await run(
    plan,
    new Map([
      ['h01', null],
      ['h02', null],
    ]),
  );
  t.equal(result.code, 0);
  t.same(f.puts, ['h01@1: demo_web.1.bbbbbbbb', 'h02@1: demo_web.2.bbbbbbbb']);
  t.ok(elapsed < 1000, 'creates are not monitored');
  const last = events.filter((e) => e.type === 'progress').pop();
  t.same(last, { type: 'progress', services: [{ stack: 'demo', service: 'web', running: 2, wanted: 2 }] });
});

t.test('a step over many nodes writes WRITES_AT_ONCE sets at a time, and every one of them', async (t) => {
  t.equal(WRITES_AT_ONCE, 64);
  for (const nodes of [WRITES_AT_ONCE, WRITES_AT_ONCE + 36]) {
    const names = Array.from({ length: nodes }, (_, i) => `h${String(i + 1).padStart(3, '0')}`);
    const plan: Plan = { assignments: names.map((n, i) => assign('create', 'web', i + 1, n)), removals: [], unplaced: [] };
    const initial: HeldSets = new Map(names.map((n) => [n, null]));
    const f = fleet(initial);
    let inFlight = 0;
    let most = 0;
    const put = f.port.putDesired;
    f.port.putDesired = async (node, set) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return put(node, set);
    };
    const { result } = await run(plan, initial, undefined, f);
    t.equal(result.code, 0, `${nodes} nodes: done`);
    t.equal(f.puts.length, nodes, `${nodes} nodes: each written once`);
    t.equal(most, WRITES_AT_ONCE, `${nodes} nodes: ${WRITES_AT_ONCE} at a time at most`);
  }
});

t.test('a rolling stop-first update: the old goes, the new comes and is monitored; other stacks untouched', async (t) => {
  const plan: Plan = { assignments: [assign('replace', 'web', 1, 'h01', held('web', 1, 'h01'))], removals: [], unplaced: [] };
  const { result, f, elapsed } = await run(plan, twoNodes());
  t.equal(result.code, 0);
  t.same(f.puts, ['h01@3: other_db.1.ffffffff', 'h01@4: demo_web.1.bbbbbbbb,other_db.1.ffffffff']);
  t.ok(elapsed >= 5000 && elapsed < 7000, `watched for monitor 5s (${elapsed} ms)`);
  t.same(result.written, ['h01 generation 3: -demo_web.1.aaaaaaaa', 'h01 generation 4: +demo_web.1.bbbbbbbb']);
});

t.test('failure_action pause: stops after the failing step, exit 2 with the exit code', async (t) => {
  const initial: HeldSets = new Map([['h01', { generation: 1, containers: [spec('web', 1), spec('web', 2)] }]]);
  const plan: Plan = { assignments: [1, 2].map((i) => assign('replace', 'web', i, 'h01', held('web', i, 'h01'))), removals: [], unplaced: [] };
  const f = fleet(initial, (name) => (name.endsWith('bbbbbbbb') ? { state: 'exited', exitCode: 3 } : {}));
  const { result } = await run(plan, initial, undefined, f);
  t.equal(result.code, 2);
  t.same(result.failures, [{ replica: 'web.1 (demo_web.1.bbbbbbbb)', node: 'h01', reason: 'exited (exit code 3)' }]);
  t.match(result.stoppedAt, /update web\.1/);
  t.same(
    f.sets.get('h01')?.containers.map((c) => c.name),
    ['demo_web.1.bbbbbbbb', 'demo_web.2.aaaaaaaa'],
    'web.2 was not touched',
  );
});

t.test('a replica that dies and is started again between two polls fails: its start time moved', async (t) => {
  const initial: HeldSets = new Map([['h01', { generation: 1, containers: [spec('web', 1)] }]]);
  const plan: Plan = { assignments: [assign('replace', 'web', 1, 'h01', held('web', 1, 'h01'))], removals: [], unplaced: [] };
  let polls = 0;
  const f = fleet(initial, (name) => {
    if (!name.endsWith('bbbbbbbb')) return {};
    polls++;
    return { startedAt: polls < 3 ? '2026-12-02T08:00:00.000Z' : '2026-12-02T08:00:02.000Z' };
  });
  const { result } = await run(plan, initial, undefined, f);
  t.equal(result.code, 2, 'failed, although every report said running');
  t.match(result.failures, [{ replica: 'web.1 (demo_web.1.bbbbbbbb)', reason: /restarted \(it stopped and was started again at 2026-12-02T08:00:02\.000Z\)/ }]);
  const steady = fleet(initial, () => ({ startedAt: '2026-12-02T08:00:00.000Z' }));
  t.equal((await run(plan, initial, undefined, steady)).result.code, 0, 'the same start time all along: fine');
});

t.test('failure_action continue: every replica tried, the failures named', async (t) => {
  const initial: HeldSets = new Map([['h01', { generation: 1, containers: [spec('web', 1), spec('web', 2)] }]]);
  const plan: Plan = { assignments: [1, 2].map((i) => assign('replace', 'web', i, 'h01', held('web', i, 'h01'))), removals: [], unplaced: [] };
  const f = fleet(initial, (name) => (name.endsWith('bbbbbbbb') ? { state: 'running', health: 'unhealthy' } : {}));
  const { result } = await run(plan, initial, [stack([service('web', { update: { failureAction: 'continue' } })])], f);
  t.equal(result.code, 2);
  t.same(
    result.failures.map((x) => x.reason),
    ['unhealthy: its healthcheck fails', 'unhealthy: its healthcheck fails'],
  );
});

t.test('failure_action rollback: the service gets its old specs back', async (t) => {
  const initial: HeldSets = new Map([['h01', { generation: 1, containers: [spec('web', 1), spec('web', 2)] }]]);
  const plan: Plan = { assignments: [1, 2].map((i) => assign('replace', 'web', i, 'h01', held('web', i, 'h01'))), removals: [], unplaced: [] };
  const f = fleet(initial, (name) => (name.endsWith('bbbbbbbb') ? { restarts: 2, exitCode: 1 } : {}));
  const { result, events } = await run(plan, initial, [stack([service('web', { update: { failureAction: 'rollback', order: 'start-first' } })])], f);
  t.equal(result.code, 2);
  t.same(result.rolledBack, ['web']);
  t.same(result.failures[0].reason, 'restarted 2 time(s) (exit code 1)');
  t.same(
    f.sets.get('h01')?.containers.map((c) => c.name),
    ['demo_web.1.aaaaaaaa', 'demo_web.2.aaaaaaaa'],
    'back to the old specs',
  );
  t.ok(events.some((e) => e.type === 'rollback'));
  t.same(
    events.filter((e) => e.type === 'progress').pop(),
    { type: 'progress', services: [{ stack: 'demo', service: 'web', running: 2, wanted: 2 }] },
    'after the rollback the previous replicas are what must run, and they do',
  );
});

t.test('another deploy raced: stop at once and say where', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01'), assign('create', 'web', 2, 'h02')], removals: [], unplaced: [] };
  const initial: HeldSets = new Map([
    ['h01', null],
    ['h02', null],
  ]);
  const { result } = await run(plan, initial, undefined, fleet(initial, undefined, { staleOn: 'h02' }));
  t.equal(result.code, 2);
  t.same(result.raced, { node: 'h02', generation: 99 });
  t.same(result.written, ['h01 generation 1: +demo_web.1.bbbbbbbb'], 'what was written is said');
});

t.test('an agent that does not answer the write: exit 4 naming it', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01'), assign('create', 'web', 2, 'h02')], removals: [], unplaced: [] };
  const initial: HeldSets = new Map([
    ['h01', null],
    ['h02', null],
  ]);
  const { result } = await run(plan, initial, undefined, fleet(initial, undefined, { down: ['h02'] }));
  t.equal(result.code, 4);
  t.same(result.unreachable, [{ node: 'h02', message: 'connection refused by h02', hint: 'start it' }]);
});

t.test('an agent error that lasts fails the replica; one that passes does not', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01')], removals: [], unplaced: [] };
  const initial: HeldSets = new Map([['h01', null]]);
  const f = withAgentError(fleet(initial), 'create demo_web.1.bbbbbbbb: new: pull access denied for nope');
  const { result, elapsed } = await run(plan, initial, undefined, f);
  t.equal(result.code, 2);
  t.match(result.failures[0].reason, /^the agent: create demo_web\.1\.bbbbbbbb: new: pull access denied/);
  t.ok(elapsed >= 10_000 && elapsed < 12_000, `after the grace (${elapsed} ms)`);
});

t.test('a replica that never comes up within the timeout', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01')], removals: [], unplaced: [] };
  const initial: HeldSets = new Map([['h01', null]]);
  const { result } = await run(
    plan,
    initial,
    undefined,
    fleet(initial, () => ({ state: 'created' })),
    3000,
  );
  t.equal(result.code, 2);
  t.same(result.failures[0].reason, 'not running after 3s: created');
});

t.test('engineHiccup: errors of an engine that did not answer once are retried by the agent, others stay', async (t) => {
  for (const e of [
    'create demo_web.1.bbbbbbbb: cannot create: connect ECONNRESET /var/run/docker.sock',
    'start 0123456789ab: socket hang up',
    'cannot list containers: the Docker engine at /var/run/docker.sock does not answer (ECONNREFUSED)',
  ])
    t.ok(engineHiccup(e), e);
  for (const e of ['create demo_web.1.bbbbbbbb: new: pull access denied for nope', 'create x: secret demo_pw.0123456789ab not delivered: deploy again'])
    t.notOk(engineHiccup(e), e);
});

t.test('an engine hiccup that lasts does not fail the replica after the grace: only the step timeout does', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01')], removals: [], unplaced: [] };
  const initial: HeldSets = new Map([['h01', null]]);
  const f = withAgentError(fleet(initial), 'create demo_web.1.bbbbbbbb: connect ECONNRESET');
  const { result, elapsed } = await run(plan, initial, undefined, f, 30_000);
  t.equal(result.code, 2);
  t.match(result.failures[0].reason, /^not running after 30s/);
  t.ok(elapsed >= 30_000, `waited for the timeout (${elapsed} ms), not the 10 s grace`);
});

t.test('stop: asked between polls, a reason ends the apply there (not a success); none lets it run on', async (t) => {
  const plan: Plan = { assignments: [assign('create', 'web', 1, 'h01')], removals: [], unplaced: [] };
  const initial: HeldSets = new Map([['h01', null]]);
  const f = fleet(initial, () => ({ state: 'created' }));
  const c = clock();
  const changes = changesOf(plan, initial, specFor);
  let polls = 0;
  const stop = () => (polls++ >= 3 ? 'h02 went down' : undefined);
  const input = {
    steps: steps(changes, [stack([service('web')])]),
    held: initial,
    wanted: wantedOf(plan),
    stacks: [stack([service('web')])],
    files: [],
    timeoutMs: 60_000,
  };
  const result = await applySteps({ ...input, stop }, f.port, c, () => {});
  t.equal(result.code, 2, 'stopped with nothing failed is no success');
  t.match(result.stoppedAt, /^create web\.1 \(h02 went down\)$/);
  t.same(result.failures, []);
  t.ok(c.elapsed() < 5000, 'stopped long before the timeout');
  const ran = await applySteps({ ...input, held: new Map([['h01', null]]), stop: () => undefined }, fleet(initial).port, clock(), () => {});
  t.equal(ran.code, 0, 'no reason: it runs to the end');
  t.equal(ran.stoppedAt, undefined);
});

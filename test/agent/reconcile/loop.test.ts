import t from 'tap';
import { reconciler, type LoopEvent } from '../../../agent/reconcile/loop.js';
import { specHash } from '../../../shared/spec-hash.js';
import { REPLACE_AFTER } from '../../../agent/reconcile/next-action.js';
import type { ContainerSpec, DesiredSet } from '../../../shared/wire.js';
import { FakeDocker } from '../docker/fake-docker.js';

const MiB = 1024 * 1024;
const spec = (name: string, more: Partial<ContainerSpec> = {}): ContainerSpec => {
  const [stack, rest] = name.split('_');
  const [service, replica] = rest.split('.');
  return { name, stack, service, replica: Number(replica), image: 'muster-busybox:1', memoryLimit: 32 * MiB, ...more };
};
const three = (): ContainerSpec[] => [spec('web_a.1'), spec('web_a.2'), spec('web_b.1', { memoryLimit: 64 * MiB, cpus: 0.5, pidsLimit: 20 })];

function setup(initial: DesiredSet | null) {
  const docker = new FakeDocker('test');
  let desired = initial;
  const events: LoopEvent[] = [];
  const loop = reconciler({ docker, desired: () => desired, intervalMs: 10_000, now: () => docker.clock.now, onEvent: (e) => events.push(e) });
  // What each tick did until nothing is due: `kind name`, a round of several as `kind name + kind name`.
  const converge = async (max = 50): Promise<string[]> => {
    const done: string[] = [];
    for (let i = 0; i < max; i++) {
      const d = await loop.tick();
      if (!d || d.kind === 'none') return done;
      done.push(d.actions.map((a) => `${a.kind} ${a.name}`).join(' + '));
    }
    throw new Error('did not converge');
  };
  return { docker, loop, events, converge, setDesired: (d: DesiredSet | null) => (desired = d) };
}

t.test('converges from nothing to three running containers with their specs', async (t) => {
  const { docker, loop, converge } = setup({ generation: 1, containers: three() });
  t.same(await converge(), ['create web_a.1', 'create web_a.2', 'create web_b.1']);
  t.same(
    docker.mine().map((c) => [c.dockerName, c.state, c.hash]),
    three().map((s) => [s.name, 'running', specHash(s)]),
  );
  t.equal(docker.mine()[2].spec?.cpus, 0.5, 'the spec reached the engine');
  t.match(loop.status(), { converged: true, lastError: null, lastAction: /^create web_b.1/ });
  t.equal(loop.status().observed.length, 3);
  t.same(await converge(), [], 'a converged node does nothing');
});

t.test('a killed container comes back, with backoff when it keeps dying', async (t) => {
  const { docker, loop, converge } = setup({ generation: 1, containers: [spec('web_a.1')] });
  await converge();
  const id = docker.mine()[0].id;
  docker.kill(id);
  t.same(await converge(), ['start web_a.1'], 'first crash: restarted at once');
  docker.kill(id);
  t.match(await loop.tick(), { kind: 'none', converged: false }, 'second crash: waits');
  docker.clock.now += 1_000;
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'start', reason: /restart #2/ }] }, 'after 1 s');
  docker.kill(id);
  docker.clock.now += 1_500;
  t.match(await loop.tick(), { kind: 'none', wakeAt: docker.clock.now + 500 }, 'third crash: 2 s');
  t.equal(loop.status().observed[0].restartCount, 2, 'restarts counted by the loop');
  t.equal(docker.mine().length, 1, 'the same container, never a duplicate');
});

t.test('a crash-looping image backs off instead of spinning', async (t) => {
  const { docker, converge, loop } = setup({ generation: 1, containers: [spec('web_a.1', { image: 'crash:1' })] });
  docker.crashingImages.add('crash:1');
  t.same(await converge(), ['create web_a.1', 'start web_a.1']);
  t.match(await loop.tick(), { kind: 'none', wakeAt: docker.clock.now + 1000 });
  const starts = () => docker.calls.filter((c) => c.startsWith('start')).length;
  for (let i = 0; i < 5; i++) {
    docker.clock.now += 10 * 60_000;
    await loop.tick();
  }
  t.equal(starts(), 7, 'one start per backoff period');
});

t.test('removed from the set -> gone; spec changed -> replaced', async (t) => {
  const { docker, converge, setDesired } = setup({ generation: 1, containers: three() });
  await converge();
  const [a1, , b1] = docker.mine().map((c) => c.id);
  setDesired({ generation: 2, containers: [three()[0], three()[2]] });
  t.same(await converge(), ['remove web_a.2']);
  setDesired({ generation: 3, containers: [three()[0], { ...three()[2], memoryLimit: 128 * MiB }] });
  t.same(await converge(), ['replace web_b.1']);
  const ids = docker.mine().map((c) => c.id);
  t.ok(ids.includes(a1), 'the unchanged one stays');
  t.notOk(ids.includes(b1), 'the old one is gone');
  t.equal(docker.mine().find((c) => c.dockerName === 'web_b.1')?.spec?.memoryLimit, 128 * MiB);
  setDesired({ generation: 4, containers: [] });
  t.same(await converge(), ['remove web_a.1', 'remove web_b.1']);
  t.same(docker.mine(), []);
});

t.test('unmanaged containers are never touched, even under a desired name', async (t) => {
  const { docker, loop, converge, events } = setup({ generation: 1, containers: [spec('web_a.1'), spec('web_a.2')] });
  const stranger = docker.addForeign('web_a.1'); // someone's own container holds the name
  const other = docker.addForeign('other', 'another-scope');
  t.same(await converge(), ['create web_a.1', 'create web_a.2'], 'the failing one is tried once, then held; the other proceeds');
  t.ok(docker.containers.includes(stranger) && docker.containers.includes(other), 'both still there');
  t.equal(stranger.state, 'running');
  t.match(loop.status().lastError, /create web_a.1: missing: Conflict/);
  t.match(
    events.find((e) => e.kind === 'failed'),
    { retryInMs: 1000 },
  );
  t.match(await loop.tick(), { kind: 'none', converged: false }, 'held');
  docker.clock.now += 1_000;
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'create', name: 'web_a.1' }] }, 'retried after the hold');
  t.match(await loop.tick(), { kind: 'none' }, 'held again, longer');
  t.ok(!docker.calls.some((c) => c.includes(stranger.id) || c.includes(other.id)), 'no call ever named them');
});

t.test('a failing create holds one name with growing backoff; success clears it', async (t) => {
  const { docker, loop, converge } = setup({ generation: 1, containers: [spec('web_a.1')] });
  docker.failCreate.set('web_a.1', 'No such image: muster-busybox:1');
  await converge();
  const creates = () => docker.calls.filter((c) => c === 'create web_a.1').length;
  for (const wait of [1_000, 2_000, 4_000]) {
    docker.clock.now += wait - 1;
    await loop.tick();
    const before = creates();
    docker.clock.now += 1;
    await loop.tick();
    t.equal(creates(), before + 1, `retried after ${wait} ms, not before`);
  }
  docker.failCreate.clear();
  docker.clock.now += 60_000;
  t.same(await converge(), ['create web_a.1']);
  t.match(loop.status(), { converged: true });
});

t.test('a container that cannot be started is created again after REPLACE_AFTER failed starts', async (t) => {
  const { docker, loop, converge, events } = setup({ generation: 1, containers: [spec('web_a.1')] });
  t.same(await converge(), ['create web_a.1']);
  const [old] = docker.mine();
  docker.kill(old.id);
  docker.failStart.set(old.id, 'task abc: already exists');
  docker.calls = [];
  for (let i = 0; i < REPLACE_AFTER; i++) {
    docker.clock.now += 5 * 60_000;
    await loop.tick();
  }
  t.equal(docker.calls.filter((c) => c === `start ${old.id}`).length, REPLACE_AFTER, `${REPLACE_AFTER} starts tried`);
  docker.clock.now += 5 * 60_000;
  t.same(await converge(), ['replace web_a.1'], 'then replaced');
  const [fresh] = docker.mine();
  t.not(fresh.id, old.id, 'a new container');
  t.equal(fresh.state, 'running');
  t.match(events.at(-1), { kind: 'acted', action: { kind: 'replace', reason: `start failed ${REPLACE_AFTER} times in a row: created again` } });
  docker.clock.now += 5 * 60_000;
  t.same(await converge(), [], 'and the failures are forgotten');
});

t.test('no desired set: nothing is touched', async (t) => {
  const { docker, loop } = setup(null);
  docker.addForeign('x', 'test'); // even a container of our scope
  t.equal(await loop.tick(), null);
  t.same(docker.calls, [], 'not even listed');
  t.equal(loop.status().converged, false);
});

t.test('an agent killed between create and start: the next agent starts it, no duplicate', async (t) => {
  const { docker } = setup(null);
  const desired = { generation: 1, containers: [spec('web_a.1')] };
  await docker.create(desired.containers[0], specHash(desired.containers[0])); // the old agent died here
  const fresh = reconciler({ docker, desired: () => desired, intervalMs: 1000, now: () => docker.clock.now });
  t.match(await fresh.tick(), { kind: 'act', actions: [{ kind: 'start', reason: 'created but not started' }] });
  t.match(await fresh.tick(), { kind: 'none', converged: true });
  t.equal(docker.mine().length, 1);
});

t.test('the running loop: converges on its own, wakes on poke, survives Docker going away, stops', async (t) => {
  const docker = new FakeDocker('test');
  let desired: DesiredSet | null = null;
  const events: LoopEvent[] = [];
  const loop = reconciler({ docker, desired: () => desired, intervalMs: 60_000, onEvent: (e) => events.push(e) });
  docker.down = true;
  loop.start();
  loop.start(); // idempotent
  desired = { generation: 1, containers: three() };
  loop.poke();
  await waitFor(() => events.some((e) => e.kind === 'observe-failed'));
  t.match(loop.status().lastError, /observe: connect ECONNREFUSED/);
  docker.down = false;
  loop.poke(); // without this poke the loop would sleep its 60 s interval
  await waitFor(() => loop.status().converged);
  t.equal(docker.mine().filter((c) => c.state === 'running').length, 3);
  await loop.stop();
  const calls = docker.calls.length;
  await new Promise((r) => setTimeout(r, 30));
  t.equal(docker.calls.length, calls, 'stopped: no more calls');
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

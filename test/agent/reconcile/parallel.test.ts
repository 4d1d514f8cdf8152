// The loop with parallelism: rounds run side by side, classes never overlap, starts after a burst of deaths widen slowly.
import t from 'tap';
import { reconciler, SETTLE_MS, type LoopEvent } from '../../../agent/reconcile/loop.js';
import { REPLACE_AFTER } from '../../../agent/reconcile/next-action.js';
import type { ContainerSpec, DesiredSet } from '../../../shared/wire.js';
import { FakeDocker } from '../docker/fake-docker.js';

const spec = (n: number): ContainerSpec => ({ name: `web_a.${String(n).padStart(2, '0')}`, stack: 'web', service: 'a', replica: n, image: 'i' });
const specs = (n: number): ContainerSpec[] => Array.from({ length: n }, (_, i) => spec(i + 1));

/** A fake engine whose calls take a few real milliseconds, counting how many overlap, by kind. */
class SlowDocker extends FakeDocker {
  inflight = 0;
  peak = 0;
  /** every call's kind as it begins and ends, in order */
  timeline: string[] = [];
  private async slow<T>(kind: string, f: () => Promise<T>): Promise<T> {
    this.inflight++;
    this.peak = Math.max(this.peak, this.inflight);
    this.timeline.push(`+${kind}`);
    try {
      await new Promise((r) => setTimeout(r, 3));
      return await f();
    } finally {
      this.inflight--;
      this.timeline.push(`-${kind}`);
    }
  }
  override create(s: ContainerSpec, hash: string): Promise<string> {
    return this.slow('create', () => super.create(s, hash));
  }
  override start(id: string): Promise<void> {
    return this.slow('start', () => super.start(id));
  }
  override remove(id: string): Promise<void> {
    return this.slow('remove', () => super.remove(id));
  }
}

function setup(parallelism: number, initial: DesiredSet) {
  const docker = new SlowDocker('test');
  let desired = initial;
  const events: LoopEvent[] = [];
  const loop = reconciler({ docker, desired: () => desired, intervalMs: 10_000, parallelism, now: () => docker.clock.now, onEvent: (e) => events.push(e) });
  /** the size of each round until nothing is due, or of the first `max` rounds */
  const rounds = async (max?: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < (max ?? 50); i++) {
      const d = await loop.tick();
      if (!d || d.kind === 'none') return out;
      out.push(d.actions.length);
    }
    if (max === undefined) throw new Error('did not converge');
    return out;
  };
  /** `docker kill` of every container after an hour of running (a stable run: no backoff) */
  const killAll = (): void => {
    docker.clock.now += 60 * 60_000;
    for (const c of docker.mine()) docker.kill(c.id);
    docker.clock.now += SETTLE_MS; // past the wait for containers that stopped together (tested on its own)
  };
  return { docker, loop, events, rounds, killAll, setDesired: (d: DesiredSet) => (desired = d) };
}

t.test('twenty new containers: rounds of `parallelism`, side by side', async (t) => {
  const { docker, loop, rounds } = setup(8, { generation: 1, containers: specs(20) });
  t.same(await rounds(), [8, 8, 4]);
  t.equal(docker.peak, 8, 'eight calls at once, never more');
  t.equal(docker.mine().filter((c) => c.state === 'running').length, 20, 'all twenty running');
  t.equal(new Set(docker.mine().map((c) => c.dockerName)).size, 20, 'no duplicate');
  t.equal(docker.calls.filter((c) => c.startsWith('create')).length, 20, 'each created once');
  t.match(loop.status(), { converged: true, lastError: null });
});

t.test('parallelism 1 is one at a time', async (t) => {
  const { docker, rounds } = setup(1, { generation: 1, containers: specs(3) });
  t.same(await rounds(), [1, 1, 1]);
  t.equal(docker.peak, 1);
});

t.test('removals all end before the first creation begins', async (t) => {
  const { docker, rounds, setDesired } = setup(8, { generation: 1, containers: specs(4) });
  await rounds();
  setDesired({ generation: 2, containers: [spec(5), spec(6), spec(7)] });
  docker.timeline = [];
  t.same(await rounds(), [4, 3], 'four removals, then three creations');
  const lastRemove = docker.timeline.lastIndexOf('-remove');
  const firstCreate = docker.timeline.indexOf('+create');
  t.ok(lastRemove >= 0 && firstCreate > lastRemove, 'no creation overlaps a removal');
  t.same(docker.timeline.slice(0, 4), ['+remove', '+remove', '+remove', '+remove'], 'the removals overlap each other');
});

t.test('one failure in a round holds that name only', async (t) => {
  const { docker, loop, events } = setup(8, { generation: 1, containers: specs(3) });
  docker.failCreate.set('web_a.02', 'No such image: i');
  t.match(await loop.tick(), { kind: 'act', actions: [{ name: 'web_a.01' }, { name: 'web_a.02' }, { name: 'web_a.03' }] });
  t.same(
    docker.mine().map((c) => [c.dockerName, c.state]),
    [
      ['web_a.01', 'running'],
      ['web_a.03', 'running'],
    ],
  );
  t.same(
    events.map((e) => `${e.kind} ${e.kind === 'observe-failed' ? '' : e.action.name}`),
    ['acted web_a.01', 'failed web_a.02', 'acted web_a.03'],
  );
  t.match(loop.status().lastError, /create web_a.02: missing: No such image/);
  t.match(await loop.tick(), { kind: 'none', converged: false, reason: /web_a.02 on hold/ });
  docker.failCreate.clear();
  docker.clock.now += 1_000;
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'create', name: 'web_a.02' }] }, 'alone once its hold ends');
  t.match(await loop.tick(), { kind: 'none', converged: true });
});

t.test('containers that died together are started 1, 2, 4... at a time while starts work', async (t) => {
  const { docker, loop, rounds, killAll } = setup(8, { generation: 1, containers: specs(10) });
  await rounds();
  killAll();
  t.same(await rounds(), [1, 2, 4, 3], 'widening, capped by what is left');
  killAll();
  t.same(await rounds(3), [1, 2, 4], 'a round with nothing to do made it narrow again');
  docker.peak = 0;
  docker.clock.now += 60 * 60_000;
  for (const c of docker.mine().slice(0, 3)) docker.kill(c.id); // restarted 2 rounds ago: the last starts stuck
  docker.clock.now += SETTLE_MS;
  t.same(await rounds(), [6], 'no quiet round between, the last starts still running: 6 at once (up to 8, the parallelism)');
  t.equal(docker.peak, 6);
  t.match(await loop.tick(), { kind: 'none', converged: true });
});

t.test('a failed start, or Docker not answering, narrows the starts to one again', async (t) => {
  const { docker, loop, rounds, killAll } = setup(8, { generation: 1, containers: specs(12) });
  await rounds();
  const ids = docker.mine().map((c) => c.id);
  killAll();
  t.same(await rounds(2), [1, 2]);
  docker.failStart.set(ids[3], 'task already exists');
  t.same(await rounds(1), [4], 'four, one of which fails');
  t.same(await rounds(), [1, 2, 2], 'then one, two, and the last two; the failed one is held');
  docker.failStart.clear();
  killAll();
  t.same(await rounds(2), [1, 2]);
  docker.kill(ids[2]); // started by the last round, dead again before the next look
  t.same(await rounds(1), [1], 'a start that did not stick: one again');
  t.same(await rounds(1), [2], 'then two');
  docker.down = true; // dockerd going away after stopping its containers
  await t.rejects(loop.tick(), /ECONNREFUSED/);
  docker.down = false;
  t.same(await rounds(1), [1], 'one start after Docker failed to answer');
});

t.test('replace after REPLACE_AFTER failed starts works inside a round', async (t) => {
  const { docker, rounds, events } = setup(8, { generation: 1, containers: specs(2) });
  await rounds();
  const [a, b] = docker.mine();
  docker.kill(a.id);
  docker.kill(b.id);
  docker.failStart.set(a.id, 'task already exists');
  docker.calls = [];
  for (let i = 0; i < 12; i++) {
    docker.clock.now += 10 * 60_000;
    await rounds(1);
  }
  await rounds();
  t.equal(docker.calls.filter((c) => c === `start ${a.id}`).length, REPLACE_AFTER, `${REPLACE_AFTER} starts of the broken one`);
  t.ok(
    events.some((e) => e.kind === 'acted' && e.action.kind === 'replace' && e.action.name === a.dockerName),
    'then it was created again',
  );
  t.ok(docker.calls.includes(`start ${b.id}`), 'the other one was started');
  t.equal(docker.mine().length, 2);
  t.ok(
    docker.mine().every((c) => c.state === 'running'),
    'both running',
  );
});

t.test('containers that stopped together wait SETTLE_MS before the first start; a lone death does not', async (t) => {
  const { docker, loop, rounds } = setup(8, { generation: 1, containers: specs(3) });
  await rounds();
  docker.clock.now += 60 * 60_000;
  for (const c of docker.mine()) docker.kill(c.id);
  const wait = await loop.tick();
  t.match(wait, { kind: 'none', converged: false, reason: /stopped together/, wakeAt: docker.clock.now + SETTLE_MS }, 'a dockerd going down looks like this');
  docker.clock.now += SETTLE_MS - 1;
  t.match(await loop.tick(), { kind: 'none' }, 'one millisecond before: still waiting');
  docker.clock.now += 1;
  t.same(await rounds(), [1, 2], 'then started, one first');
  docker.clock.now += 60 * 60_000;
  docker.kill(docker.mine()[0].id);
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'start' }] }, 'one container that died: started at once');
});

import t from 'tap';
import { reconciler } from '../../../agent/reconcile/loop.js';
import type { ContainerSpec } from '../../../shared/wire.js';
import { FakeDocker } from '../docker/fake-docker.js';

const spec: ContainerSpec = { name: 'web_a.1', stack: 'web', service: 'a', replica: 1, image: 'i' };

t.test('retryHeld lifts the holds of failed actions (a secret delivered after the create failed)', async (t) => {
  const docker = new FakeDocker('test');
  const loop = reconciler({ docker, desired: () => ({ generation: 1, containers: [spec] }), intervalMs: 10_000, now: () => docker.clock.now });
  docker.failCreate.set(spec.name, 'secret web_db.0123456789ab not delivered: deploy again');
  for (let i = 0; i < 4; i++) {
    await loop.tick();
    docker.clock.now += 60_000; // past the hold: the next tick fails again
  }
  await loop.tick();
  t.match(await loop.tick(), { kind: 'none', converged: false, reason: /on hold after a failure/ }, 'held after repeated failures');
  docker.failCreate.delete(spec.name);
  t.match(await loop.tick(), { kind: 'none', reason: /on hold/ }, 'still held although it would work now');
  loop.retryHeld();
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'create', name: spec.name }] }, 'tried at once after retryHeld');
  t.match(await loop.tick(), { kind: 'none', converged: true });
});

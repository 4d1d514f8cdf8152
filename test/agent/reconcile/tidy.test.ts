import t from 'tap';
import { reconciler, TIDY_EVERY_MS } from '../../../agent/reconcile/loop.js';
import { describeTidy, tidyNode } from '../../../agent/reconcile/tidy.js';
import type { ContainerSpec, DesiredSet } from '../../../shared/wire.js';
import { FakeDocker } from '../docker/fake-docker.js';

const spec = (name: string, more: Partial<ContainerSpec> = {}): ContainerSpec => ({ name, stack: 'web', service: 'a', replica: 1, image: 'i', ...more });
const digest = `0123456789ab${'0'.repeat(52)}`;

t.test('tidyNode keeps what desired containers use and says what went', async (t) => {
  const set: DesiredSet = {
    generation: 3,
    containers: [
      spec('web_a.1', {
        networks: [{ name: 'web_front' }, { name: 'web_back' }],
        files: [{ kind: 'secret', name: 'web_db.0123456789ab', digest, target: '/s' }],
      }),
      spec('web_b.1', { networkMode: 'host' }),
    ],
  };
  const asked: unknown[] = [];
  const docker = { pruneNetworks: async (keep: ReadonlySet<string>) => (asked.push(['networks', [...keep].sort()]), ['web_old']) };
  const files = {
    prune: async (keepFiles: ReadonlySet<string>, keepContainers: ReadonlySet<string>) => (
      asked.push(['files', [...keepFiles], [...keepContainers]]), { files: ['secret web_db.aaaaaaaaaaaa'], mounts: ['web_a.0'] }
    ),
  };
  const done = await tidyNode(set, docker, files);
  t.same(asked, [
    ['networks', ['web_back', 'web_front']],
    ['files', ['web_db.0123456789ab'], ['web_a.1', 'web_b.1']],
  ]);
  t.same(done, { networks: ['web_old'], files: ['secret web_db.aaaaaaaaaaaa'], mounts: ['web_a.0'] });
  t.equal(describeTidy(done), 'removed, as no desired container uses it: network web_old, secret web_db.aaaaaaaaaaaa, file copies of 1 old container(s)');
  t.equal(describeTidy({ networks: [], files: [], mounts: [] }), undefined, 'nothing removed: nothing said');
  t.same(await tidyNode(set, {}), { networks: [], files: [], mounts: [] }, 'an engine without networks to prune, no files store');
});

t.test('the loop tidies once converged: once per generation, again after TIDY_EVERY_MS or a failure', async (t) => {
  const docker = new FakeDocker('test');
  let desired: DesiredSet = { generation: 1, containers: [spec('web_a.1')] };
  const tidied: number[] = [];
  let failNext = false;
  const loop = reconciler({
    docker,
    desired: () => desired,
    intervalMs: 10_000,
    now: () => docker.clock.now,
    tidy: async (set) => {
      if (failNext) {
        failNext = false;
        throw new Error('engine hiccup');
      }
      tidied.push(set.generation);
    },
  });
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'create' }] });
  t.same(tidied, [], 'not before convergence');
  t.match(await loop.tick(), { kind: 'none', converged: true });
  t.same(tidied, [1], 'once converged');
  await loop.tick();
  t.same(tidied, [1], 'not again for the same generation');
  docker.clock.now += TIDY_EVERY_MS - 1;
  await loop.tick();
  t.same(tidied, [1]);
  docker.clock.now += 1;
  await loop.tick();
  t.same(tidied, [1, 1], `again after ${TIDY_EVERY_MS} ms`);
  desired = { generation: 2, containers: [spec('web_a.1'), spec('web_b.1')] };
  failNext = true;
  t.match(await loop.tick(), { kind: 'act', actions: [{ kind: 'create', name: 'web_b.1' }] });
  t.match(await loop.tick(), { kind: 'none', converged: true });
  t.match(loop.status().lastError, /^tidy: engine hiccup/, 'a failed tidy is the last error');
  await loop.tick();
  t.same(tidied, [1, 1, 2], 'and is tried again at the next tick');
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { benchStacks, SERVICES_PER_STACK, STACKS } from '../../../bench/lib/manager-gen.mjs';

const total = (s: ReturnType<typeof benchStacks>) => s.flatMap((st) => st.services).reduce((n, v) => n + v.replicas, 0);

t.test('10,000 replicas: 4 stacks of 5 services, 500 each', async (t) => {
  const s = benchStacks(10_000);
  t.equal(s.length, STACKS);
  t.same(
    s.map((st) => st.services.length),
    Array(STACKS).fill(SERVICES_PER_STACK),
  );
  t.ok(s.flatMap((st) => st.services).every((v) => v.replicas === 500));
  t.same(
    s.map((st) => st.name),
    ['bench1', 'bench2', 'bench3', 'bench4'],
  );
});

t.test('an uneven count: every replica placed once, services differ by one at most', async (t) => {
  for (const n of [10_001, 10_019, 21, 39, 7777]) {
    const s = benchStacks(n);
    const counts = s.flatMap((st) => st.services).map((v) => v.replicas);
    t.equal(total(s), n, `${n}: the total`);
    t.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${n}: even`);
  }
});

t.test('fewer replicas than services: one service per replica, none empty', async (t) => {
  const s = benchStacks(7);
  t.equal(s.flatMap((st) => st.services).length, 7);
  t.same(
    s.map((st) => st.services.length),
    [5, 2],
  );
  t.equal(benchStacks(20).flatMap((st) => st.services).length, 20, 'exactly as many as the services');
  t.equal(benchStacks(1).length, 1);
  t.throws(() => benchStacks(0), /replicas must be a positive integer, not 0/);
  t.throws(() => benchStacks(2.5), /positive integer/);
});

t.test('the YAML is a Compose file with the counts, the image and the reservation', async (t) => {
  const [st] = benchStacks(30, { image: 'busybox:1', memory: '8m', stacks: 1, perStack: 3 });
  const doc = parse(st.yaml);
  t.equal(doc.name, 'bench1');
  t.same(Object.keys(doc.services), ['svc1', 'svc2', 'svc3']);
  for (const v of Object.values(doc.services) as { image: string; deploy: { replicas: number; resources: { reservations: { memory: string } } } }[]) {
    t.equal(v.image, 'busybox:1');
    t.equal(v.deploy.replicas, 10);
    t.equal(v.deploy.resources.reservations.memory, '8m');
  }
});

t.test("the controller's own loader reads every generated stack as written", async (t) => {
  const { loadStack } = await import('../../../controller/stack/load.js');
  const { storeStack } = await import('../../../controller/deploy/history.js');
  const dir = t.testdir();
  for (const st of benchStacks(1234)) {
    const file = join(dir, `${st.name}.yml`);
    writeFileSync(file, st.yaml);
    const stack = loadStack(file, { env: {} });
    t.equal(stack.name, st.name);
    t.same(
      stack.services.map((v) => [v.name, v.deploy.replicas, v.deploy.reservations.memoryBytes]),
      st.services.map((v) => [v.name, v.replicas, 16 * 2 ** 20]),
    );
    t.equal(storeStack(stack).name, st.name, 'stored as history keeps it');
  }
});

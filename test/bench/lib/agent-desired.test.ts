import t from 'tap';
import { benchDesiredSet, convergedOn, SLEEPER } from '../../../bench/lib/agent-desired.mjs';

const MiB = 1024 * 1024;

t.test('a desired set of N containers with limits', async (t) => {
  const set = benchDesiredSet(20, 'bench1', 'muster-busybox:1');
  t.equal(set.generation, 1);
  t.equal(set.containers.length, 20);
  t.same(
    set.containers.map((c) => c.replica),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  t.equal(new Set(set.containers.map((c) => c.name)).size, 20, 'names are unique');
  t.match(set.containers[0], {
    name: 'bench1_svc.1',
    stack: 'bench1',
    service: 'svc',
    image: 'muster-busybox:1',
    command: SLEEPER,
    memoryReservation: 8 * MiB,
  });
  t.same(
    [...new Set(set.containers.map((c) => c.memoryLimit / MiB))].sort((a, b) => a - b),
    [16, 24, 32, 40],
    'limits vary',
  );
  for (const c of set.containers) {
    t.ok(c.memoryLimit >= 6 * MiB && c.memoryReservation <= c.memoryLimit, `${c.name}: within Docker's minimum and above its reservation`);
    t.match(c.name, /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a name the agent schema accepts');
  }
});

t.test('converged: the loop says so and every desired name runs', async (t) => {
  const set = benchDesiredSet(2, 'b', 'img');
  const running = (names: string[]) => names.map((name) => ({ name, state: 'running' }));
  const rows: [unknown, boolean, string][] = [
    [{ reconcile: { converged: true }, containers: running(['b_svc.1', 'b_svc.2']) }, true, 'all running'],
    [{ reconcile: { converged: false }, containers: running(['b_svc.1', 'b_svc.2']) }, false, 'the loop is still acting'],
    [{ reconcile: { converged: true }, containers: running(['b_svc.1']) }, false, 'one missing'],
    [{ reconcile: { converged: true }, containers: [...running(['b_svc.1']), { name: 'b_svc.2', state: 'exited' }] }, false, 'one exited'],
    [{ reconcile: { converged: true } }, false, 'no containers field'],
    [undefined, false, 'no report'],
  ];
  for (const [report, want, why] of rows) t.equal(convergedOn(report, set), want, why);
});

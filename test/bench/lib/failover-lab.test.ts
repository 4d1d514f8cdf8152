import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadStack } from '../../../controller/stack/load.js';
import { IMAGE, stackYaml } from '../../../bench/lib/failover-lab.mjs';

t.test("the failover stack is what the controller's loader reads: 9 replicas, 2 GiB each, the bench image", async (t) => {
  const dir = t.testdir();
  for (const replicas of [9, 1]) {
    const file = join(dir, `app${replicas}.yml`);
    writeFileSync(file, stackYaml('app', replicas));
    const stack = loadStack(file, { env: {} });
    t.equal(stack.name, 'app');
    t.equal(stack.services.length, 1);
    const [web] = stack.services;
    t.equal(web.name, 'web');
    t.equal(web.image, IMAGE);
    t.equal(web.deploy.replicas, replicas);
    t.equal(web.deploy.reservations.memoryBytes, 2 * 2 ** 30);
  }
});

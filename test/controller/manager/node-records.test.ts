import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { healthAtStart, managerDir, readNodeRecords, writeNodeRecords } from '../../../controller/manager/node-records.js';

t.test('records are written privately, without error texts or unknown nodes, and read back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-node-records-'));
  t.same(await readNodeRecords(dir), {}, 'none yet');
  await writeNodeRecords(
    dir,
    new Map([
      ['b', { state: 'down' as const, since: 20, lastSeen: 10, lastError: 'refused by 10.0.0.2' }],
      ['a', { state: 'up' as const, since: 5, lastSeen: 30 }],
      ['c', { state: 'unknown' as const, since: 1 }],
    ]),
  );
  const file = join(managerDir(dir), 'nodes.json');
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.notMatch(readFileSync(file, 'utf8'), /refused/, 'no error text');
  t.same(await readNodeRecords(dir), { a: { state: 'up', since: 5, lastSeen: 30 }, b: { state: 'down', since: 20, lastSeen: 10 } });
  writeFileSync(file, '{"a": {"state": "sideways", "since": 1}, "b": {"state": "up", "since": "x"}}');
  t.same(await readNodeRecords(dir), {}, 'records of another shape are dropped');
  writeFileSync(file, 'torn');
  t.same(await readNodeRecords(dir), {}, 'a torn file is no record');
});

t.test('healthAtStart: up keeps its since; down stays down with its since; silent counts from its last answer', async (t) => {
  t.same(healthAtStart(true, { state: 'up', since: 5, lastSeen: 9 }, 100), { state: 'up', since: 5, lastSeen: 100 });
  t.same(healthAtStart(true, { state: 'down', since: 50 }, 100), { state: 'up', since: 100, lastSeen: 100 }, 'back: up from now');
  t.same(healthAtStart(true, undefined, 100), { state: 'up', since: 100, lastSeen: 100 });
  t.same(healthAtStart(false, { state: 'down', since: 50, lastSeen: 40 }, 100), { state: 'down', since: 50, lastSeen: 40 }, 'no second node-down');
  t.same(healthAtStart(false, { state: 'up', since: 5, lastSeen: 90 }, 100), { state: 'unknown', since: 90 });
  t.same(healthAtStart(false, undefined, 100), { state: 'unknown', since: 100 });
});

import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { lastDesired, rememberDesired } from '../../../controller/deploy/desired-cache.js';
import { statePaths } from '../../../controller/fleet/state-dir.js';
import { spec } from './fixtures.js';

t.test('the last desired set of a node is kept privately, written when it changes, read back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-desired-cache-'));
  t.equal(await lastDesired(dir, 'h01'), undefined, 'nothing kept yet');
  const set = { generation: 3, containers: [spec('web', 1, '01234567')] };
  await rememberDesired(dir, 'h01', set);
  t.same(await lastDesired(dir, 'h01'), set);
  const file = join(statePaths(dir).node('h01'), 'desired.json');
  t.equal(statSync(file).mode & 0o777, 0o600, 'the file is 0600');
  t.equal(statSync(statePaths(dir).node('h01')).mode & 0o777, 0o700, 'its directory 0700');
  const before = statSync(file).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  await rememberDesired(dir, 'h01', { containers: set.containers, generation: 3 });
  t.equal(statSync(file).mtimeMs, before, 'the same set (keys in another order) is not written again');
  await rememberDesired(dir, 'h01', { generation: 4, containers: [] });
  t.same(await lastDesired(dir, 'h01'), { generation: 4, containers: [] }, 'a changed set replaces it');
  t.same(
    readdirSync(statePaths(dir).node('h01')).filter((f) => f.includes('tmp')),
    [],
    'no temporary file left',
  );
  writeFileSync(file, '{"generation": "x"}');
  t.equal(await lastDesired(dir, 'h01'), undefined, 'a malformed file is ignored');
  writeFileSync(file, 'not json');
  t.equal(await lastDesired(dir, 'h01'), undefined, 'so is a torn one');
});

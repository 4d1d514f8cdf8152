import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { fencedBy, pruneFenced, readFenced, recordFenced, writeFenced } from '../../../controller/deploy/fence.js';
import { statePaths } from '../../../controller/fleet/state-dir.js';
import type { Plan } from '../../../controller/scheduler/types.js';
import { assign, held, spec } from './fixtures.js';

const db = spec('db', 1, 'aaaaaaaa', { mounts: [{ type: 'volume', source: 'demo_data', target: '/d' }] });
const web = spec('web', 2, 'bbbbbbbb');
const away = { name: 'h01', lastDesired: { generation: 5, containers: [db, web] } };
const up = { name: 'h02', desired: { generation: 2, containers: [spec('web', 1, 'bbbbbbbb')] } };

t.test('fencedBy: what a plan moves or removes from a node that did not answer, by name', async (t) => {
  const plan: Plan = {
    assignments: [assign('move', 'db', 1, 'h02', held('db', 1, 'h01', 'aaaaaaaa')), assign('keep', 'web', 1, 'h02', held('web', 1, 'h02', 'bbbbbbbb'))],
    removals: [held('web', 2, 'h01', 'bbbbbbbb'), held('web', 1, 'h02', 'bbbbbbbb')],
    unplaced: [],
  };
  t.same([...fencedBy(plan, [away, up])], [['h01', [db.name, web.name]]], 'both taken from h01; h02 answered, so its removal is written, not fenced');
  t.same([...fencedBy(plan, [{ ...away, desired: away.lastDesired }, up])], [], 'a node that answered fences nothing');
  t.same([...fencedBy(plan, [{ name: 'h01' }, up])], [], 'nothing known of its last set: nothing to name');
  const other = { ...plan, assignments: [assign('move', 'db', 1, 'h01', held('db', 1, 'h01', 'cccccccc'))], removals: [] };
  t.same([...fencedBy(other, [away, up])], [], 'a move onto its own node of another spec hash names no held container');
  t.same(
    [...fencedBy({ assignments: [assign('create', 'db', 1, 'h02')], removals: [], unplaced: [] }, [away])],
    [['h01', [db.name]]],
    'its slot created on another node: the copy on h01 is fenced too',
  );
});

t.test('fenced names are kept per node, privately and atomically, and go when none are left', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-fence-'));
  t.same(await readFenced(dir, 'h01'), [], 'none yet');
  const plan: Plan = { assignments: [assign('move', 'db', 1, 'h02', held('db', 1, 'h01', 'aaaaaaaa'))], removals: [], unplaced: [] };
  await recordFenced(dir, plan, [away, up]);
  await recordFenced(dir, { ...plan, assignments: [], removals: [held('web', 2, 'h01', 'bbbbbbbb')] }, [away, up]);
  t.same(await readFenced(dir, 'h01'), [db.name, web.name], 'a second plan adds to the first');
  const file = join(statePaths(dir).node('h01'), 'fenced.json');
  t.equal(statSync(file).mode & 0o777, 0o600, 'the file is 0600');
  t.same(
    readdirSync(statePaths(dir).node('h01')).filter((f) => f.includes('tmp')),
    [],
    'no temporary file left',
  );
  await writeFenced(dir, 'h01', [web.name]);
  t.same(await readFenced(dir, 'h01'), [web.name]);
  await writeFenced(dir, 'h01', []);
  t.same(readdirSync(statePaths(dir).node('h01')), [], 'the file goes with the last name');
  await writeFenced(dir, 'h01', []);
  t.pass('removing it again is no error');
  writeFileSync(file, 'not json');
  t.same(await readFenced(dir, 'h01'), [], 'a torn file fences nothing');
  writeFileSync(file, '{"a": 1}');
  t.same(await readFenced(dir, 'h01'), [], 'nor does one of another shape');
});

t.test('fencedBy: a slot of a node away that the plan places on another node is fenced; global replicas are not', async (t) => {
  const agent = spec('agent', 0, 'dddddddd');
  const node = { name: 'h01', lastDesired: { generation: 5, containers: [db, web, agent] } };
  const plan: Plan = {
    assignments: [assign('create', 'web', 2, 'h02'), assign('keep', 'agent', 0, 'h02', held('agent', 0, 'h02', 'dddddddd'))],
    removals: [],
    unplaced: [],
  };
  t.same([...fencedBy(plan, [node, up])], [['h01', [web.name]]], 'web.2 runs again on h02: the copy on h01 is fenced; the global agent is not');
  const same = { ...plan, assignments: [assign('create', 'web', 2, 'h01')] };
  t.same([...fencedBy(same, [node, up])], [], 'a slot placed on its own node is not fenced');
});

t.test('pruneFenced: names the node no longer holds leave the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-fence-prune-'));
  await writeFenced(dir, 'h01', [db.name, web.name]);
  t.same(await pruneFenced(dir, 'h01', { generation: 6, containers: [web] }), [web.name]);
  t.same(await readFenced(dir, 'h01'), [web.name]);
  t.same(await pruneFenced(dir, 'h01', { generation: 7, containers: [web] }), [web.name], 'nothing to drop: unchanged');
  t.same(await pruneFenced(dir, 'h01', null), [], 'no set at all: nothing is held');
  t.same(readdirSync(statePaths(dir).node('h01')), [], 'and the file is gone');
});

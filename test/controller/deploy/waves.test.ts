import t from 'tap';
import { changesOf } from '../../../controller/deploy/desired.js';
import type { HeldSets } from '../../../controller/deploy/edits.js';
import { rollbackSteps, steps, updateConfigOf } from '../../../controller/deploy/waves.js';
import type { Assignment, Plan } from '../../../controller/scheduler/types.js';
import { assign, held, service, spec, stack, update } from './fixtures.js';

const specFor = (a: Assignment) => spec(a.service, a.slot, 'bbbbbbbb');
const heldSets: HeldSets = new Map([
  ['h01', { generation: 1, containers: [1, 2, 3, 4].map((i) => spec('web', i)).concat([spec('api', 1), spec('api', 2), spec('old', 1)]) }],
]);
const updatesOf = (service: string, n: number) => Array.from({ length: n }, (_, i) => assign('replace', service, i + 1, 'h01', held(service, i + 1, 'h01')));
/** A step in short: kind, its edits as `+web.1@h01` / `-web.1@h01`, monitor, delay. */
const short = (plan: Plan, stacks = [stack([service('web'), service('api')])]) =>
  steps(changesOf(plan, heldSets, specFor), stacks).map((s) => [
    s.kind,
    s.edits.map((e) => ('add' in e ? `+${e.add.service}.${e.add.replica}@${e.node}` : `-${e.remove.service}.${e.remove.replica}@${e.node}`)).join(' '),
    s.monitorS,
    s.delayS,
  ]);

t.test('Swarm defaults: creates first at once, then one at a time stop-first with monitor 5s, removals last', async (t) => {
  const plan: Plan = {
    assignments: [assign('create', 'web', 5, 'h01'), assign('create', 'api', 3, 'h01'), ...updatesOf('web', 2)],
    removals: [held('old', 1, 'h01')],
    unplaced: [],
  };
  t.same(short(plan), [
    ['create', '+web.5@h01 +api.3@h01', 0, 0],
    ['update', '-web.1@h01', 0, 0],
    ['update', '+web.1@h01', 5, 0],
    ['update', '-web.2@h01', 0, 0],
    ['update', '+web.2@h01', 5, 0],
    ['remove', '-old.1@h01', 0, 0],
  ]);
  t.same(short({ assignments: [assign('keep', 'web', 1, 'h01', held('web', 1, 'h01'))], removals: [], unplaced: [] }), [], 'nothing to do: no step');
});

t.test('start-first, parallelism 2 of 4, delay between groups (not after the last)', async (t) => {
  const stacks = [stack([service('web', { update: { order: 'start-first', parallelism: 2, delayS: 3, monitorS: 1 } })])];
  t.same(short({ assignments: updatesOf('web', 4), removals: [], unplaced: [] }, stacks), [
    ['update', '+web.1@h01 +web.2@h01', 1, 0],
    ['update', '-web.1@h01 -web.2@h01', 0, 3],
    ['update', '+web.3@h01 +web.4@h01', 1, 0],
    ['update', '-web.3@h01 -web.4@h01', 0, 0],
  ]);
  const all = [stack([service('web', { update: { parallelism: 0, monitorS: 2 } })])];
  t.same(
    short({ assignments: updatesOf('web', 3), removals: [], unplaced: [] }, all),
    [
      ['update', '-web.1@h01 -web.2@h01 -web.3@h01', 0, 0],
      ['update', '+web.1@h01 +web.2@h01 +web.3@h01', 2, 0],
    ],
    'parallelism 0: all at once',
  );
});

t.test('services update side by side, phase by phase', async (t) => {
  const stacks = [stack([service('web'), service('api', { update: { monitorS: 9 } })])];
  t.same(short({ assignments: [...updatesOf('web', 2), ...updatesOf('api', 1)], removals: [], unplaced: [] }, stacks), [
    ['update', '-api.1@h01 -web.1@h01', 0, 0],
    ['update', '+api.1@h01 +web.1@h01', 9, 0],
    ['update', '-web.2@h01', 0, 0],
    ['update', '+web.2@h01', 5, 0],
  ]);
  t.same(updateConfigOf(stacks, 'demo', 'api').monitorS, 9);
  t.same(updateConfigOf(stacks, 'demo', 'gone').order, 'stop-first', 'Swarm defaults for a service not in the file');
});

t.test('rollbackSteps: replica by replica per rollback_config, what was added goes, what was removed comes back', async (t) => {
  const applied = [1, 2, 3].flatMap((i) => [
    { node: 'h01', remove: spec('web', i, 'aaaaaaaa') },
    { node: 'h01', add: spec('web', i, 'bbbbbbbb') },
  ]);
  const shortOf = (list: ReturnType<typeof rollbackSteps>) =>
    list.map((s) => [s.edits.map((e) => ('add' in e ? `+${e.add.name}` : `-${e.remove.name}`)).join(' '), s.monitorS, s.delayS]);
  t.same(shortOf(rollbackSteps(applied, update({ parallelism: 2, order: 'start-first', monitorS: 1, delayS: 4 }))), [
    ['+demo_web.1.aaaaaaaa +demo_web.2.aaaaaaaa', 1, 0],
    ['-demo_web.1.bbbbbbbb -demo_web.2.bbbbbbbb', 0, 4],
    ['+demo_web.3.aaaaaaaa', 1, 0],
    ['-demo_web.3.bbbbbbbb', 0, 0],
  ]);
  t.same(
    shortOf(rollbackSteps(applied, update({ parallelism: 0 }))),
    [
      ['-demo_web.1.bbbbbbbb -demo_web.2.bbbbbbbb -demo_web.3.bbbbbbbb', 0, 0],
      ['+demo_web.1.aaaaaaaa +demo_web.2.aaaaaaaa +demo_web.3.aaaaaaaa', 5, 0],
    ],
    'stop-first, all at once',
  );
  t.same(shortOf(rollbackSteps([{ node: 'h02', add: spec('web', 4, 'bbbbbbbb') }], update())), [['-demo_web.4.bbbbbbbb', 0, 0]], 'a created replica just goes');
  t.same(rollbackSteps([], update()), []);
});

import t from 'tap';
import { changesOf, desiredAfter } from '../../../controller/deploy/desired.js';
import { applyEdits, undo, withSets, type HeldSets } from '../../../controller/deploy/edits.js';
import type { Assignment } from '../../../controller/scheduler/types.js';
import { assign, held, spec } from './fixtures.js';

const names = (s: { containers: { name: string }[] } | undefined | null) => s?.containers.map((c) => c.name);
const specFor = (a: Assignment) => spec(a.service, a.slot, 'bbbbbbbb');

t.test('applyEdits: generation held + 1 (1 for a node with none), sorted, idempotent adds, absent removes ignored', async (t) => {
  const heldSets: HeldSets = new Map([
    ['h01', { generation: 7, containers: [spec('web', 1), spec('db', 1, 'ffffffff', {}, 'other')] }],
    ['h02', null],
    ['h03', { generation: 2, containers: [spec('web', 3)] }],
  ]);
  const next = applyEdits(heldSets, [
    { node: 'h01', add: spec('web', 2) },
    { node: 'h01', remove: spec('web', 1) },
    { node: 'h01', add: spec('web', 2) },
    { node: 'h02', add: spec('web', 4) },
    { node: 'h02', remove: spec('web', 9) },
  ]);
  t.same([...next.keys()], ['h01', 'h02'], 'only nodes edited');
  t.same(next.get('h01'), { generation: 8, containers: [spec('web', 2), spec('db', 1, 'ffffffff', {}, 'other')].sort((a, b) => (a.name < b.name ? -1 : 1)) });
  t.equal(next.get('h02')?.generation, 1);
  t.same(names(next.get('h02')), ['demo_web.4.aaaaaaaa']);
  t.same(names(withSets(heldSets, next).get('h03')), ['demo_web.3.aaaaaaaa'], 'untouched nodes keep their set');
  t.same(applyEdits(heldSets, []).size, 0);
  const edits = [
    { node: 'h01', add: spec('web', 2) },
    { node: 'h01', remove: spec('web', 1) },
  ];
  t.same(
    undo(edits),
    [
      { node: 'h01', add: spec('web', 1) },
      { node: 'h01', remove: spec('web', 2) },
    ],
    'undo reverses and swaps',
  );
});

t.test('desiredAfter: creates, replaces, moves, removals; other stacks and keeps untouched', async (t) => {
  const w1 = held('web', 1, 'h01');
  const w2 = held('web', 2, 'h01');
  const w3 = held('web', 3, 'h02');
  const w4 = held('web', 4, 'h02');
  const heldSets: HeldSets = new Map([
    ['h01', { generation: 3, containers: [spec('web', 1), spec('web', 2), spec('db', 1, 'ffffffff', {}, 'other')] }],
    ['h02', { generation: 5, containers: [spec('web', 3), spec('web', 4)] }],
    ['h03', null],
  ]);
  const plan = {
    assignments: [
      assign('keep', 'web', 1, 'h01', w1),
      assign('replace', 'web', 2, 'h01', w2),
      assign('move', 'web', 3, 'h03', w3),
      assign('create', 'web', 5, 'h03'),
    ],
    removals: [w4],
    unplaced: [],
  };
  const changes = changesOf(plan, heldSets, specFor);
  t.equal(changes.length, 4, 'keeps need no change');
  t.same(
    changes.map((c) => [c.assignment?.action, c.add?.node, c.remove?.node]),
    [
      ['replace', 'h01', 'h01'],
      ['move', 'h03', 'h02'],
      ['create', 'h03', undefined],
      [undefined, undefined, 'h02'],
    ],
  );
  const after = desiredAfter(plan, heldSets, specFor);
  t.same(names(after.get('h01')), ['demo_web.1.aaaaaaaa', 'demo_web.2.bbbbbbbb', 'other_db.1.ffffffff']);
  t.equal(after.get('h01')?.generation, 4);
  t.same(names(after.get('h02')), [], 'both of h02 went');
  t.equal(after.get('h02')?.generation, 6);
  t.same(names(after.get('h03')), ['demo_web.3.bbbbbbbb', 'demo_web.5.bbbbbbbb']);
  t.equal(after.get('h03')?.generation, 1);

  const keepAll = { assignments: [assign('keep', 'web', 1, 'h01', w1)], removals: [], unplaced: [] };
  t.equal(desiredAfter(keepAll, heldSets, specFor).size, 0, 'a plan of keeps writes nothing');
  const ghost = { assignments: [], removals: [held('web', 9, 'h01')], unplaced: [] };
  t.equal(changesOf(ghost, heldSets, specFor).length, 0, 'a removal the node does not hold is nothing to do');
});

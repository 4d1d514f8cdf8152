import t from 'tap';
import { planCounts, renderPlan, summaryLine } from '../../../controller/deploy/render.js';
import { assign, held } from './fixtures.js';

t.test('renderPlan: grouped by service, one line per replica with the reason; unplaced; a summary', async (t) => {
  const plan = {
    assignments: [
      assign('create', 'web', 2, 'h02'),
      assign('keep', 'web', 1, 'h01', held('web', 1, 'h01')),
      assign('move', 'web', 3, 'h02', held('web', 3, 'h03')),
      assign('replace', 'db', 1, 'h01', held('db', 1, 'h01', '0123abcd')),
      assign('create', 'agent', 0, 'h01'),
    ],
    removals: [held('web', 4, 'h01')],
    unplaced: [{ stack: 'demo', service: 'web', slot: 5, reason: 'no suitable node (insufficient memory on 2 nodes)', rejections: { memory: 2 } }],
  };
  t.equal(
    renderPlan(plan),
    [
      'demo agent:',
      '  create    agent  h01         because h01',
      'demo db:',
      '  replace   db.1   h01         because h01',
      'demo web:',
      '  keep      web.1  h01         because h01',
      '  create    web.2  h02         because h02',
      '  move      web.3  h03 -> h02  because h02',
      '  remove    web.4  h01         no longer wanted',
      '  unplaced  web.5  -           no suitable node (insufficient memory on 2 nodes)',
      'plan: 2 to create, 1 to keep, 1 to replace, 1 to move, 1 to remove, 1 unplaced',
      '',
    ].join('\n'),
  );
  t.same(planCounts(plan), { create: 2, keep: 1, replace: 1, move: 1, remove: 1, unplaced: 1 });
});

t.test('summaryLine', async (t) => {
  t.equal(summaryLine({ create: 0, keep: 0, replace: 0, move: 0, remove: 0, unplaced: 0 }), 'nothing to do');
  t.equal(summaryLine({ create: 0, keep: 4, replace: 0, move: 0, remove: 0, unplaced: 0 }), '4 to keep');
  t.equal(summaryLine({ create: 0, keep: 0, replace: 0, move: 0, remove: 0, unplaced: 1 }), '1 unplaced');
});

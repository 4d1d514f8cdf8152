import t from 'tap';
import type { HeldSets } from '../../../controller/deploy/edits.js';
import { applyEdits } from '../../../controller/deploy/edits.js';
import { removalStep } from '../../../controller/ops/rm.js';
import { spec } from '../deploy/fixtures.js';

t.test("rm: every node's set without the stack's containers, generation + 1, other stacks kept", async (t) => {
  const held: HeldSets = new Map([
    ['h02', { generation: 7, containers: [spec('web', 2), spec('web', 1, 'aaaaaaaa', {}, 'shop')] }],
    ['h01', { generation: 3, containers: [spec('web', 1), spec('mon', 0)] }],
    ['h03', { generation: 1, containers: [spec('web', 2, 'aaaaaaaa', {}, 'shop')] }],
    ['h04', null],
  ]);
  const step = removalStep(held, 'demo');
  t.ok(step);
  t.equal(step?.kind, 'remove');
  t.equal(step?.label, 'remove web.1@h01 mon@h01 web.2@h02');
  const sets = applyEdits(held, step?.edits ?? []);
  t.same([...sets.keys()].sort(), ['h01', 'h02'], 'nodes without the stack are not written');
  t.same(sets.get('h01'), { generation: 4, containers: [] });
  t.same(sets.get('h02'), { generation: 8, containers: [spec('web', 1, 'aaaaaaaa', {}, 'shop')] });
  t.equal(removalStep(held, 'nothing'), undefined, 'a stack no node holds: no step');
});
